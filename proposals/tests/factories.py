"""factory_boy factories for proposals, their comments and supports."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from citizens.tests.factories import UserFactory
from cocreate import safe_markdown
from cocreate.redaction import redact
from proposals.models import Proposal, ProposalComment, ProposalFollow, Support


class ProposalFactory(factory.django.DjangoModelFactory):
    """A published proposal collecting support, with the threshold and window proposal_create gives."""

    class Meta:
        model = Proposal
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Proposal number {n}")
    summary = factory.Sequence(lambda n: f"Summary of proposal {n}")
    body = "More shade trees along the main road."
    body_html = factory.LazyAttribute(lambda proposal: safe_markdown.render(proposal.body))
    redacted_title = factory.LazyAttribute(lambda proposal: redact(proposal.title))
    redacted_summary = factory.LazyAttribute(lambda proposal: redact(proposal.summary))
    redacted_answer = factory.LazyAttribute(lambda proposal: redact(getattr(proposal, "answer", "")))
    author = factory.SubFactory(UserFactory)
    threshold = factory.LazyFunction(lambda: settings.PROPOSAL_SUPPORT_THRESHOLD)
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.SelfAttribute("created_at")
    closes_at = factory.LazyAttribute(
        lambda proposal: proposal.created_at + timedelta(days=settings.PROPOSAL_SUPPORT_WINDOW_DAYS)
    )

    @factory.post_generation
    def author_follows(self, create, extracted, **kwargs):
        """The author follows their proposal, as proposal_create arranges."""
        if create and self.author_id and extracted is not False:
            ProposalFollow.objects.get_or_create(proposal=self, user_id=self.author_id)


class CommentFactory(factory.django.DjangoModelFactory):
    """A comment; the proposal's comment count follows, as proposal_comment_create keeps it."""

    class Meta:
        model = ProposalComment
        skip_postgeneration_save = True

    proposal = factory.SubFactory(ProposalFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Comment number {n}")
    body_html = factory.LazyAttribute(lambda comment: safe_markdown.render(comment.body))

    @factory.post_generation
    def count(self, create, extracted, **kwargs):
        if create:
            Proposal.objects.filter(pk=self.proposal_id).update(comment_count=F("comment_count") + 1)


class SupportFactory(factory.django.DjangoModelFactory):
    """A support; the proposal's support count follows (the threshold is not checked)."""

    class Meta:
        model = Support
        skip_postgeneration_save = True

    proposal = factory.SubFactory(ProposalFactory)
    user = factory.SubFactory(UserFactory)

    @factory.post_generation
    def count(self, create, extracted, **kwargs):
        if create:
            Proposal.objects.filter(pk=self.proposal_id).update(support_count=F("support_count") + 1)
            ProposalFollow.objects.get_or_create(proposal_id=self.proposal_id, user_id=self.user_id)


class StoredProposalFactory(ProposalFactory):
    """A proposal stored directly, for tests of rules run through the API or moderation.

    A fixed title and summary, no text, 100 supports needed, 90 days from now to collect them,
    and no follow by its author (only proposal_create adds that).
    """

    title = "Shade trees on Jl. Braga"
    summary = "Plant trees along the street."
    body = ""
    threshold = 100
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=90))
    author_follows = factory.PostGeneration(lambda proposal, create, extracted, **kwargs: None)
