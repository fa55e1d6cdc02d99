"""Proposal pages: browse, propose, one proposal with its support, history, answer and comments."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from citizens import roles
from citizens.models import User
from citizens.step_up import staff_power
from cocreate import page_cache
from cocreate.following import follow_or_unfollow
from cocreate.limits import limit_writes
from cocreate.page_cache import public_page
from moderation.notifications import moderation_reason
from proposals import actions
from proposals.detail_page import proposal_content
from proposals.forms import (
    AnswerForm,
    CommentEditForm,
    CommentForm,
    ProposalEditForm,
    ProposalFilterForm,
    ProposalForm,
    topic_labels,
)
from proposals.models import Proposal, ProposalComment, Support
from proposals.notifications import read_unfollow_token

PAGE_SIZE = 20


def _get_readable_proposal(request: HttpRequest, proposal_id: int) -> Proposal:
    """A proposal the requester may see: published, or their own whatever its moderation state."""
    return get_object_or_404(
        Proposal.objects.readable_by(request.user).select_related("author", "image"), pk=proposal_id
    )


def _get_own_comment(request: HttpRequest, proposal: Proposal, comment_id: int) -> ProposalComment:
    comment = get_object_or_404(ProposalComment.objects.visible(), pk=comment_id, proposal=proposal)
    if comment.author_id != request.user.pk:
        raise PermissionDenied
    return comment


def _error_messages(request: HttpRequest, error: ValidationError | PermissionDenied | dict) -> None:
    """Show the refusal of an action (or a form's errors) as messages on the next page."""
    if isinstance(error, PermissionDenied):
        messages.error(request, str(error) or _("You cannot do this."))
        return
    errors = error.message_dict if isinstance(error, ValidationError) else error
    for field_messages in errors.values():
        for message in field_messages:
            messages.error(request, message)


def _wants_json(request: HttpRequest) -> bool:
    """The support button's script asks for JSON; a plain form submission prefers HTML."""
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


LIST_QUERY = ("sort", "page", "topic", "status")


def _list_content(request: HttpRequest, reader) -> str:
    """The list page's content for ``reader``: the filters, the count, a page of proposals."""
    labels = topic_labels()
    form = ProposalFilterForm(request.GET or None, topic_labels=labels)
    proposals = Proposal.objects.readable_by(reader).for_listing()
    sort = "supported"
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            if data["topic"]:
                proposals = proposals.filter(topic=data["topic"])
            if data["status"]:
                proposals = proposals.filter(status=data["status"])
            proposals = proposals.search(data["q"])
            sort = data["sort"] or sort
        else:
            proposals = proposals.none()
    page = Paginator(proposals.sorted_by(sort), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    filtered = any(value for key, value in query.items() if key != "sort")
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "filtered": filtered,
        "topic_labels": labels,
        "user": reader,
    }
    return render_to_string("proposals/_list_content.html", context)


def _reads_the_public_list(user) -> bool:
    """Whether ``user`` reads the list every visitor reads: they have no proposal of their own (which
    they would read in any state, in its original text) and do not read originals as staff."""
    if not user.is_authenticated:
        return True
    return not roles.reads_as_staff(user) and not Proposal.objects.filter(author=user).exists()


@public_page("proposals", cache_query=LIST_QUERY)
@require_GET
def proposal_list(request: HttpRequest) -> HttpResponse:
    """Browse proposals, most supported first, with a topic, a status and a search."""
    shareable = page_cache.enabled() and page_cache.query_is_shareable(request, LIST_QUERY)
    if shareable and _reads_the_public_list(request.user):
        content = page_cache.shared_part(
            f"proposal-list:{request.GET.urlencode()}",
            ("proposals",),
            lambda: _list_content(request, AnonymousUser()),
        )
    else:
        content = _list_content(request, request.user)
    return render(request, "proposals/proposal_list.html", {"content": content})


@login_required
@limit_writes
def proposal_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_verified_email():
        messages.warning(request, _("Confirm your email address before you make a proposal."))
        return redirect("account_email")
    form = ProposalForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = actions.proposal_create(
                author=request.user,
                title=data["title"],
                summary=data["summary"],
                body=data["body"],
                topic=data["topic"],
                lat=data["lat"],
                lon=data["lon"],
                show_name=data["show_name"],
                image_upload=data["image"],
            )
        except ValidationError as error:
            form.add_action_errors(error)
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            if proposal.is_visible:
                messages.success(request, _("Thank you. Your proposal is published: share it to gather support."))
            else:
                messages.success(request, _("Thank you. Your proposal is awaiting moderation before it is published."))
            return redirect(proposal)
    if form.errors and request.FILES:
        messages.warning(request, _("Please choose your image again: browsers do not keep files after an error."))
    context = {
        "form": form,
        "threshold": settings.PROPOSAL_SUPPORT_THRESHOLD,
        "window_days": settings.PROPOSAL_SUPPORT_WINDOW_DAYS,
    }
    return render(request, "proposals/proposal_form.html", context)


@public_page("proposal:{proposal_id}", cache_query=("comments",))
@require_GET
def proposal_detail(request: HttpRequest, proposal_id: int) -> HttpResponse:
    user = request.user
    proposal = get_object_or_404(
        Proposal.objects.readable_by(user).select_related("author", "image").with_reader_state(user), pk=proposal_id
    )
    is_author = user.is_authenticated and proposal.author_id == user.pk
    reader_context = {
        "supported": proposal.reader_supports,
        "following": proposal.reader_follows,
        "support_withdrawable": proposal.is_support_withdrawable,
        "is_author": is_author,
        "answer_form": AnswerForm() if actions.can_answer(user) else None,
    }
    content = proposal_content(
        request,
        proposal,
        newest_first=request.GET.get("comments") == "newest",
        reader_context=reader_context,
        moderation_reason=moderation_reason(proposal) if not proposal.is_visible else "",
    )
    return render(request, "proposals/proposal_detail.html", {"proposal": proposal, "content": content})


@login_required
@limit_writes
def proposal_edit(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """The author edits the proposal until its first support or comment."""
    proposal = _get_readable_proposal(request, proposal_id)
    if proposal.author_id != request.user.pk:
        raise PermissionDenied
    if not proposal.is_editable:
        messages.error(request, _("A proposal cannot be edited once it has supports or comments."))
        return redirect(proposal)
    fields = ("title", "summary", "body", "topic", "lat", "lon", "show_name")
    form = ProposalEditForm(request.POST or None, initial={name: getattr(proposal, name) for name in fields})
    if request.method == "POST" and form.is_valid():
        try:
            actions.proposal_update(proposal=proposal, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_action_errors(error)
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your proposal is updated."))
            return redirect(proposal)
    return render(request, "proposals/proposal_form.html", {"form": form, "proposal": proposal})


@login_required
@limit_writes
def proposal_withdraw(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """The author withdraws a proposal that is still collecting support, after confirming."""
    proposal = _get_readable_proposal(request, proposal_id)
    if proposal.author_id != request.user.pk:
        raise PermissionDenied
    if request.method == "POST":
        try:
            actions.proposal_withdraw(proposal=proposal, by=request.user)
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("Your proposal is withdrawn."))
        return redirect(proposal)
    return render(request, "proposals/proposal_withdraw.html", {"proposal": proposal})


def _support_answer(request: HttpRequest, proposal: Proposal, message: str, *, ok: bool, status: int = 200):
    """JSON for the support button's script; otherwise a message and back to the proposal."""
    if not _wants_json(request):
        if ok:
            messages.success(request, message)
        else:
            messages.error(request, message)
        return redirect(proposal)
    proposal.refresh_from_db(fields=["support_count", "threshold", "status"])
    return JsonResponse(
        {
            "supported": Support.objects.filter(proposal=proposal, user=request.user).exists(),
            "support_count": proposal.support_count,
            "threshold": proposal.threshold,
            "status": proposal.status,
            "status_label": proposal.get_status_display(),
            "message": message,
        },
        status=status,
    )


def _refusal(error: ValidationError | PermissionDenied) -> tuple[str, int]:
    if isinstance(error, PermissionDenied):
        return str(error), 403
    return " ".join(error.messages), 400


@require_POST
@login_required
@limit_writes
def proposal_support(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _get_readable_proposal(request, proposal_id)
    try:
        created = actions.proposal_support(proposal=proposal, user=request.user)
    except (ValidationError, PermissionDenied) as error:
        message, status = _refusal(error)
        return _support_answer(request, proposal, message, ok=False, status=status)
    message = _("Thank you for your support.") if created else _("You already support this proposal.")
    return _support_answer(request, proposal, message, ok=True)


@require_POST
@login_required
@limit_writes
def proposal_unsupport(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _get_readable_proposal(request, proposal_id)
    try:
        removed = actions.proposal_unsupport(proposal=proposal, user=request.user)
    except ValidationError as error:
        message, status = _refusal(error)
        return _support_answer(request, proposal, message, ok=False, status=status)
    message = _("Your support is withdrawn.") if removed else _("You did not support this proposal.")
    return _support_answer(request, proposal, message, ok=True)


@require_POST
@login_required
@limit_writes
def proposal_follow(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _get_readable_proposal(request, proposal_id)
    return follow_or_unfollow(
        request,
        proposal,
        follow=lambda: actions.proposal_follow(proposal=proposal, user=request.user),
        unfollow=lambda: actions.proposal_unfollow(proposal=proposal, user=request.user),
        followed=_("You follow this proposal: you will get an email when its status changes."),
        unfollowed=_("You no longer follow this proposal."),
    )


@require_POST
@login_required
@limit_writes
def proposal_comment(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """A comment, or a reply when the form names a top-level comment as its parent."""
    proposal = _get_readable_proposal(request, proposal_id)
    form = CommentForm(request.POST)
    if not form.is_valid():
        _error_messages(request, form.errors)
        return redirect(proposal)
    data = form.cleaned_data
    parent = None
    if data["parent"]:
        parent = ProposalComment.objects.filter(pk=data["parent"], proposal=proposal).first()
        if parent is None:
            messages.error(request, _("Reply to a comment of this proposal."))
            return redirect(proposal)
    try:
        comment = actions.proposal_comment_create(
            proposal=proposal, author=request.user, body=data["body"], parent=parent, show_name=data["show_name"]
        )
    except (ValidationError, PermissionDenied) as error:
        _error_messages(request, error)
        return redirect(proposal)
    messages.success(request, _("Your comment is published."))
    return redirect(f"{proposal.get_absolute_url()}#comment-{comment.pk}")


@login_required
@limit_writes
def proposal_comment_edit(request: HttpRequest, proposal_id: int, comment_id: int) -> HttpResponse:
    proposal = _get_readable_proposal(request, proposal_id)
    comment = _get_own_comment(request, proposal, comment_id)
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            actions.proposal_comment_edit(comment=comment, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error("body", message)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your comment is updated."))
            return redirect(f"{proposal.get_absolute_url()}#comment-{comment.pk}")
    return render(request, "proposals/comment_edit.html", {"proposal": proposal, "comment": comment, "form": form})


@login_required
@limit_writes
def proposal_comment_delete(request: HttpRequest, proposal_id: int, comment_id: int) -> HttpResponse:
    """The author deletes a comment after confirming; its replies stay."""
    proposal = _get_readable_proposal(request, proposal_id)
    comment = _get_own_comment(request, proposal, comment_id)
    if comment.is_deleted:
        return redirect(proposal)
    if request.method == "POST":
        actions.proposal_comment_delete(comment=comment, by=request.user)
        messages.success(request, _("Your comment is deleted."))
        return redirect(f"{proposal.get_absolute_url()}#comment-{comment.pk}")
    return render(request, "proposals/comment_delete.html", {"proposal": proposal, "comment": comment})


@require_POST
@staff_power(actions.can_answer)
@limit_writes
def proposal_answer(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """City staff publish the official answer with a new status."""
    proposal = _get_readable_proposal(request, proposal_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        _error_messages(request, form.errors)
        return redirect(proposal)
    try:
        actions.proposal_answer(proposal=proposal, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("The answer is published and the author, supporters and followers are told."))
    return redirect(proposal)


def unfollow_by_token(request: HttpRequest, token: str) -> HttpResponse:
    """The unsubscribe link of proposal emails: confirm, then stop following (no login needed)."""
    parsed = read_unfollow_token(token)
    if parsed is None:
        raise Http404
    user_id, proposal_id = parsed
    proposal = get_object_or_404(Proposal, pk=proposal_id)
    if request.method == "POST":
        if follower := User.objects.filter(pk=user_id).first():
            actions.proposal_unfollow(proposal=proposal, user=follower)
        # Authors and supporters are emailed whether they follow or not: say so rather than promise silence.
        if proposal.author_id == user_id or Support.objects.filter(proposal_id=proposal_id, user_id=user_id).exists():
            messages.success(
                request,
                _("You no longer follow this proposal. You still get its emails because you wrote or support it."),
            )
        else:
            messages.success(request, _("You will no longer receive emails about this proposal."))
        return redirect(proposal) if proposal.is_visible else redirect("home")
    return render(request, "proposals/unfollow.html", {"proposal": proposal})
