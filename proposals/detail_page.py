"""A proposal page's content, rendered once for every reader of the same kind and kept in the cache.

With 200 comments, the page took about 80 ms of templates for a signed-in reader, yet it reads
the same for every signed-in reader but in a few places: their support, follow, author and staff
panels (``LIVE_PARTS``), their own comments (original text, Edit and Delete, no Flag), and the CSRF
token of the forms. So the content (``proposals/_proposal.html``) is rendered with a slot for each
of those places and for each comment, the comments are rendered one by one for a reader who wrote
none of them, the forms hold a random stand-in for the token, and all that is kept in the shared
cache (``cocreate.page_cache.shared_part``, stale as soon as the proposal's page is). A request
fills the slots: the live parts and the reader's own comments are rendered for them (one more
query, only when the cached authors say they wrote some), and its token goes in.

The author and staff who read originals (``cocreate.redaction``) get the content rendered for
them alone, as does everyone while the page cache is off; it goes through the same slots.
"""

from __future__ import annotations

import secrets

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from citizens import roles
from cocreate import page_cache
from proposals.forms import CommentForm, topic_labels
from proposals.models import Proposal, ProposalComment

# No text stored in PostgreSQL holds a NUL, and requests holding one are refused, so no NUL
# comes from what people wrote.
SLOT = "\x00"
LIVE_PARTS = {
    "support": "proposals/_support_actions.html",
    "follow": "proposals/_follow_actions.html",
    "author": "proposals/_author_panel.html",
    "answer": "proposals/_answer_panel.html",
}


class Member:
    """A signed-in reader who wrote none of it and reads no original: what the shared content is
    rendered for."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = id = -1


def _comment_context(comment: ProposalComment, proposal: Proposal, reader) -> dict:
    """What proposals/_comment.html needs: the reader's own comment offers Edit (while allowed) and Delete."""
    own = reader.is_authenticated and comment.author_id == reader.pk and not comment.is_deleted
    return {
        "comment": comment,
        "proposal": proposal,
        "user": reader,
        "deletable_ids": (comment.pk,) if own else (),
        "editable_ids": (comment.pk,) if own and comment.is_editable_by(reader) else (),
    }


def _render_content(proposal: Proposal, *, reader, newest_first: bool, share_url: str, moderation_reason: str) -> dict:
    """The content for ``reader`` with its slots, each comment rendered, and the token's stand-in."""
    threads = list(ProposalComment.objects.threads(proposal, newest_first=newest_first))
    token = secrets.token_urlsafe(24)
    comment_template = get_template("proposals/_comment.html")
    comments: dict[str, tuple[int | None, str]] = {}
    for thread in threads:
        for comment in (thread, *thread.replies.all()):
            html = comment_template.render(_comment_context(comment, proposal, reader))
            comments[str(comment.pk)] = (comment.author_id, html)
    image = getattr(proposal, "image", None)  # selected with the proposal: no query when there is none
    context = {
        "proposal": proposal,
        "user": reader,
        "moderation_reason": moderation_reason,
        "image": image if image is not None and image.is_visible and image.is_ready else None,
        "history": proposal.status_changes.all(),
        "topic_labels": topic_labels(),
        "share_url": share_url,
        "threads": threads,
        "newest_first": newest_first,
        "comment_form": CommentForm(),
        "comment_url": reverse("proposals:comment", args=[proposal.pk]),
        "csrf_token": token,
        "slot": SLOT,
    }
    # Split once here rather than on every request: the odd pieces name the slots.
    pieces = render_to_string("proposals/_proposal.html", context).split(SLOT)
    return {"pieces": pieces, "comments": comments, "token": token}


def _reads_shared_content(user, proposal: Proposal) -> bool:
    """Whether ``user`` reads the content every reader of their kind reads: not its author, not
    staff reading originals, and the page cache is on."""
    if not page_cache.enabled() or not proposal.is_visible:
        return False
    return not (user.is_authenticated and (proposal.author_id == user.pk or roles.reads_as_staff(user)))


def proposal_content(
    request: HttpRequest, proposal: Proposal, *, newest_first: bool, reader_context: dict, moderation_reason: str = ""
) -> SafeString:
    """The proposal page's content as ``request.user`` reads it; ``reader_context`` is what the
    live parts need (``supported``, ``following``, ``is_author``, ``answer_form``...)."""
    user = request.user
    share_url = request.build_absolute_uri(proposal.get_absolute_url())
    options = {"newest_first": newest_first, "share_url": share_url, "moderation_reason": moderation_reason}
    shared = _reads_shared_content(user, proposal)
    if shared:
        audience = "member" if user.is_authenticated else "visitor"
        order = "newest" if newest_first else "oldest"
        content = page_cache.shared_part(
            f"proposal-content:v1:{share_url}:{order}:{audience}",  # v1: the shape of the value
            (f"proposal:{proposal.pk}",),
            lambda: _render_content(proposal, reader=Member() if user.is_authenticated else AnonymousUser(), **options),
        )
    else:
        content = _render_content(proposal, reader=user, **options)
    parts = {name: html for name, (_author, html) in content["comments"].items()}
    reader_id = user.pk if user.is_authenticated else None
    own = [int(name) for name, (author, _html) in content["comments"].items() if reader_id and author == reader_id]
    if shared and own:  # rendered for a reader who wrote none of them: render the reader's own again
        comment_template = get_template("proposals/_comment.html")
        for comment in ProposalComment.objects.filter(pk__in=own).select_related("author"):
            parts[str(comment.pk)] = comment_template.render(_comment_context(comment, proposal, user))
    token = get_token(request) if user.is_authenticated else ""
    live_context = {**reader_context, "proposal": proposal, "user": user, "csrf_token": token}
    for name, template in LIVE_PARTS.items():
        parts[name] = get_template(template).render(live_context)
    html = "".join(parts[piece] if index % 2 else piece for index, piece in enumerate(content["pieces"]))
    if token:
        html = html.replace(content["token"], token)
    return mark_safe(html)  # noqa: S308 - rendered by our templates, which escape what they show
