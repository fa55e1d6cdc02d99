"""The operator workspace (``/operator/``): the queue of reports routed to one operator, as a list
and on a map, each report's page with its answers, and what was answered in the last days.

Only accounts of operator staff with a membership come in (``operators.actions.operator_of``):
others get the 403 page, visitors are sent to log in. An operator sees only its own
assignments; another operator's report is a 404, as if it did not exist. The pages show what
the public reads of a report (redacted text, the published point and address, public photos),
never who reported it. Every answer goes through ``operators.actions``, which writes the public
update that the report's followers are emailed about.
"""

from __future__ import annotations

from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from cocreate.limits import limit_writes
from operators import actions
from operators.models import Assignment, Operator, Outcome, ResolutionPhoto
from operators.workspace_forms import AcknowledgeForm, BulkResolveForm, ResolveForm
from services.views import map_context

# The session remembers that the account works for an operator, so the site menu links to the
# workspace without a query on every page; the workspace itself checks on each request.
SESSION_KEY = "operator_workspace"
PAGE_SIZE = 50
RECENT_DAYS = 7


def note_workspace_on_login(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """``user_logged_in`` receiver: note in the new session whether the account works for an operator."""
    if request is None or not hasattr(request, "session"):
        return
    if actions.operator_of(user) is not None:
        request.session[SESSION_KEY] = True
    else:
        request.session.pop(SESSION_KEY, None)


def operator_page(view):
    """A workspace page: log in, work for an operator (else 403); the view gets the operator."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        operator = actions.operator_of(request.user)
        if operator is None:
            request.session.pop(SESSION_KEY, None)
            raise PermissionDenied
        if not request.session.get(SESSION_KEY):
            request.session[SESSION_KEY] = True
        return view(request, operator, *args, **kwargs)

    return wrapper


def _assignments(operator: Operator):
    return Assignment.objects.for_operator(operator).on_published_reports().for_workspace()


def _get_assignment(operator: Operator, report_id: int) -> Assignment:
    """The operator's assignment of a published report; 404 for any other report."""
    assignment = _assignments(operator).filter(report__pk=report_id).first()
    if assignment is None:
        raise Http404
    return assignment


def _error_messages(request: HttpRequest, error: ValidationError) -> None:
    for field_messages in error.message_dict.values():
        for message in field_messages:
            messages.error(request, message)


@require_GET
@operator_page
def queue(request: HttpRequest, operator: Operator) -> HttpResponse:
    """Open assignments, the soonest deadline first, as a list and on a map; tick several to answer at once."""
    page = Paginator(_assignments(operator).open().by_deadline(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "operator": operator,
        "page": page,
        "bulk_form": BulkResolveForm(),
        "now": timezone.now(),
        **map_context(),
    }
    return render(request, "operators/workspace/queue.html", context)


@require_GET
@operator_page
def resolved(request: HttpRequest, operator: Operator) -> HttpResponse:
    """What the operator answered in the last ``RECENT_DAYS`` days, the latest first."""
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    page = Paginator(_assignments(operator).resolved_since(since), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "operators/workspace/resolved.html", {"operator": operator, "page": page, "days": RECENT_DAYS}
    )


def _render_report(
    request: HttpRequest,
    operator: Operator,
    assignment: Assignment,
    *,
    resolve_form: ResolveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    report = assignment.report
    context = {
        "operator": operator,
        "assignment": assignment,
        "report": report,
        # The public timeline: status updates only (who wrote a comment is not the operator's business).
        "updates": report.updates.order_by("created_at", "pk"),
        "resolution_photos": ResolutionPhoto.objects.filter(report=report, operator=operator),
        "acknowledge_form": AcknowledgeForm(prefix="ack"),
        "resolve_form": resolve_form or ResolveForm(prefix="resolve"),
        **map_context(),
    }
    return render(request, "operators/workspace/report.html", context, status=status)


@require_GET
@operator_page
def report_detail(request: HttpRequest, operator: Operator, report_id: int) -> HttpResponse:
    """One report as the operator works on it: what the public sees, the deadline, and the answers."""
    return _render_report(request, operator, _get_assignment(operator, report_id))


@require_POST
@operator_page
@limit_writes
def acknowledge(request: HttpRequest, operator: Operator, report_id: int) -> HttpResponse:
    """The operator is on it: a public update."""
    _get_assignment(operator, report_id)
    form = AcknowledgeForm(request.POST, prefix="ack")
    if not form.is_valid():
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
        return redirect("operator_workspace:report", report_id=report_id)
    try:
        actions.assignment_acknowledge(user=request.user, report_id=report_id, note=form.cleaned_data["note"])
    except Assignment.DoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("Acknowledged: the report's page says you are on it."))
    return redirect("operator_workspace:report", report_id=report_id)


@require_POST
@operator_page
@limit_writes
def resolve(request: HttpRequest, operator: Operator, report_id: int) -> HttpResponse:
    """The operator's answer with an optional note and photo; back to the queue when it is recorded."""
    assignment = _get_assignment(operator, report_id)
    form = ResolveForm(request.POST, request.FILES, prefix="resolve")
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.assignment_resolve(
                user=request.user,
                report_id=report_id,
                outcome=data["outcome"],
                note=data["note"],
                photo=data["photo"] or None,
            )
        except Assignment.DoesNotExist:
            raise Http404 from None
        except ValidationError as error:
            if set(error.message_dict) - set(form.fields):
                # About the report itself (already answered): the form is gone from its page.
                _error_messages(request, error)
                return redirect("operator_workspace:report", report_id=report_id)
            for field, field_messages in error.message_dict.items():
                for message in field_messages:
                    form.add_error(field, message)
        else:
            outcome = Outcome(data["outcome"]).label
            messages.success(
                request,
                _("Report #%(id)s: %(outcome)s. The report's page shows it.") % {"id": report_id, "outcome": outcome},
            )
            return redirect("operator_workspace:queue")
    return _render_report(request, operator, assignment, resolve_form=form, status=400)


@require_POST
@operator_page
@limit_writes
def bulk_resolve(request: HttpRequest, operator: Operator) -> HttpResponse:
    """One outcome for every ticked report: all are answered, or none when one cannot be."""
    form = BulkResolveForm(request.POST)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
        return redirect("operator_workspace:queue")
    data = form.cleaned_data
    try:
        done = actions.assignments_resolve(
            user=request.user, report_ids=data["report"], outcome=data["outcome"], note=data["note"]
        )
    except Assignment.DoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        _error_messages(request, error)
    else:
        outcome = Outcome(data["outcome"]).label
        messages.success(
            request,
            ngettext("%(count)d report answered: %(outcome)s.", "%(count)d reports answered: %(outcome)s.", len(done))
            % {"count": len(done), "outcome": outcome},
        )
    return redirect("operator_workspace:queue")
