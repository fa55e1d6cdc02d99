"""The comments section of a proposal page, rendered once for every reader and kept in the cache.

With 200 comments the section is most of a proposal page's cost (about 30 ms of templates), yet
it reads the same for every signed-in reader but in three places: the reader's own comments
(their original text, Edit and Delete, no Flag), the CSRF token of the forms, and nothing else
(staff who passed step-up read every original: their section is rendered for them alone). So the
section is kept in the shared cache (``cocreate.page_cache.shared_part``, stale as soon as the
proposal's page is) in two pieces: the section with a slot for each comment, and each comment
rendered for a reader who wrote none of them, with a random stand-in for the CSRF token. A
request fills the slots, renders again only the reader's own comments (a query, only when the
cached authors say there are some), and puts in its own token.
"""

from __future__ import annotations

import re
import secrets

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from citizens import roles
from cocreate import page_cache
from proposals.forms import CommentForm
from proposals.models import Proposal, ProposalComment

# No text stored in PostgreSQL holds a NUL, and requests holding one are refused, so a NUL
# cannot come from a comment.
SLOT = "\x00"
SLOTS = re.compile("\x00(\\d+)\x00")


class Member:
    """A signed-in reader who wrote none of the comments: what the cached section is rendered for."""

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


def _render_section(proposal: Proposal, *, newest_first: bool, reader) -> dict:
    """The section for ``reader`` with a slot per comment, the comments, and the token's stand-in."""
    threads = list(ProposalComment.objects.threads(proposal, newest_first=newest_first))
    token = secrets.token_urlsafe(24)
    comment_template = get_template("proposals/_comment.html")
    comments: dict[int, tuple[int | None, str]] = {}
    for thread in threads:
        for comment in (thread, *thread.replies.all()):
            comments[comment.pk] = (
                comment.author_id,
                comment_template.render(_comment_context(comment, proposal, reader)),
            )
    context = {
        "threads": threads,
        "proposal": proposal,
        "user": reader,
        "newest_first": newest_first,
        "comment_form": CommentForm(),
        "comment_url": reverse("proposals:comment", args=[proposal.pk]),
        "csrf_token": token,
        "slot": SLOT,
    }
    return {"html": render_to_string("proposals/_comments.html", context), "comments": comments, "token": token}


def _shared_section(request: HttpRequest, proposal: Proposal, *, newest_first: bool) -> dict:
    """The cached section for readers like this one, with this reader's own comments rendered again."""
    user = request.user
    signed_in = user.is_authenticated
    audience = f"{'member' if signed_in else 'visitor'}-{'public' if proposal.is_visible else 'own'}"
    section = page_cache.shared_part(
        f"proposal-comments:{proposal.pk}:{'newest' if newest_first else 'oldest'}:{audience}",
        (f"proposal:{proposal.pk}",),
        lambda: _render_section(proposal, newest_first=newest_first, reader=Member() if signed_in else AnonymousUser()),
    )
    own = {pk for pk, (author, _html) in section["comments"].items() if signed_in and author == user.pk}
    if own:
        comment_template = get_template("proposals/_comment.html")
        comments = dict(section["comments"])
        for comment in ProposalComment.objects.filter(pk__in=own).select_related("author"):
            comments[comment.pk] = (user.pk, comment_template.render(_comment_context(comment, proposal, user)))
        section = {**section, "comments": comments}
    return section


def comments_section(request: HttpRequest, proposal: Proposal, *, newest_first: bool) -> SafeString:
    """The proposal's comments section as ``request.user`` reads it."""
    user = request.user
    if roles.reads_as_staff(user) or not page_cache.enabled():
        section = _render_section(proposal, newest_first=newest_first, reader=user)
    else:
        section = _shared_section(request, proposal, newest_first=newest_first)
    comments = section["comments"]
    html = SLOTS.sub(lambda match: comments[int(match.group(1))][1], section["html"])
    if user.is_authenticated:
        html = html.replace(section["token"], get_token(request))
    return mark_safe(html)  # noqa: S308 - rendered by our templates, which escape what they show
