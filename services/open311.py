"""Open311 GeoReport v2: the city's services and reports for other applications.

Reading is public and needs no key; submitting needs an API key (see the
``create_open311_key`` command). Submissions go through ``report_create``, the same
rule the website and the REST API follow. Contact details sent with a request are
stored privately and never returned. The spec: http://wiki.open311.org/GeoReport_v2
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.db.models import CharField, Exists, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from cocreate import limits
from cocreate.timestamps import UtcSecondsText
from services import filters, responsible
from services.actions import Contact, report_create
from services.filters import ReportFilter, split_values
from services.models import (
    Open311Client,
    Report,
    ReportPhoto,
    ReportQuerySet,
    Service,
    ServiceAttribute,
    hash_api_key,
    translated,
)
from services.open311_render import (
    CONTENT_TYPES,
    REQUEST_COLUMNS,
    created_document,
    definition_document,
    discovery_document,
    render,
    render_errors,
    request_documents,
    service_document,
    token_document,
)

# When these endpoints last changed, for the discovery document; move it with them.
CHANGESET = datetime(2026, 11, 22, tzinfo=UTC)
DEFAULT_WINDOW = timedelta(days=90)
# A page of requests: 200 unless the client asks for up to the spec's 1000 (docs/open311.md).
DEFAULT_PAGE_SIZE = 200
MAX_PAGE_SIZE = 1000
# Nine digits keep page times page_size far inside the database's integers.
MAX_WHOLE = 999_999_999
MAX_FILTER_ITEMS = 200
# Ids beyond 18 digits cannot exist and would overflow the database's integers.
REPORT_ID = re.compile(r"[0-9]{1,18}")
ATTRIBUTE_FIELD = re.compile(r"attribute\[([^\[\]]+)\](\[\])?")
ATTRIBUTE_MESSAGE = re.compile(r"[-\w]+: .+", re.DOTALL)
# A "+" sent unencoded in a query string arrives as a space: 08:30:00 07:00 means 08:30:00+07:00.
UNENCODED_OFFSET = re.compile(r"(T[0-9:.]+) ([0-9]{2}:?[0-9]{2})$")
# The contact details a client may send, stored privately (``services.actions.check_contact`` checks them).
CONTACT_FIELDS = ("email", "first_name", "last_name", "phone")
# report_create names fields after the model; clients know the Open311 parameter names.
PARAMETER_NAMES = {"lon": "long", "address": "address_string"}


class Open311Error(Exception):
    """A request the spec answers with an error list (400, 403, 404 or 429, with ``retry_after`` seconds)."""

    def __init__(self, status: int, *descriptions: str, retry_after: int | None = None):
        super().__init__(*descriptions)
        self.status = status
        self.descriptions = descriptions
        self.retry_after = retry_after


def authenticate_client(api_key: str | None) -> Open311Client | None:
    """The active client holding ``api_key``, or None."""
    if not api_key:
        return None
    return Open311Client.objects.filter(key_hash=hash_api_key(api_key), active=True).first()


def endpoint(*methods: str) -> Callable:
    """Check the format, method and jurisdiction, and answer Open311Error with the spec's error list."""
    allowed = {*methods, "HEAD"} if "GET" in methods else set(methods)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        # API clients authenticate with a key, never with cookies, so there is no session to forge.
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request: HttpRequest, fmt: str, **kwargs: str) -> HttpResponse:
            if fmt not in CONTENT_TYPES:
                # XML is the format the spec requires every server to speak.
                return render_errors(404, [_("Unknown format; use .json or .xml.")], "xml")
            if request.method not in allowed:
                response = render_errors(405, [_("This method is not allowed here.")], fmt)
                response["Allow"] = ", ".join(sorted(allowed))
                return response
            try:
                check_jurisdiction(request)
                return view(request, fmt, **kwargs)
            except Open311Error as error:
                response = render_errors(error.status, error.descriptions, fmt)
                if error.retry_after:
                    response["Retry-After"] = str(error.retry_after)
                return response
            except RequestDataTooBig:
                return render_errors(413, [_("The request body is too large.")], fmt)
            except (TooManyFieldsSent, TooManyFilesSent) as error:
                return render_errors(400, [str(error)], fmt)

        return wrapper

    return decorator


def check_jurisdiction(request: HttpRequest) -> None:
    expected = settings.OPEN311_JURISDICTION_ID
    given = request.GET.get("jurisdiction_id") or (
        request.POST.get("jurisdiction_id") if request.method == "POST" else ""
    )
    if expected and given and given != expected:
        raise Open311Error(404, _("Unknown jurisdiction_id."))


@endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    document = discovery_document(
        changeset=CHANGESET,
        contact=_("Write to the %(site)s team through %(url)s.")
        % {"site": settings.SITE_NAME, "url": settings.SITE_URL},
        key_service=_("Reading needs no key. To submit requests, ask the %(site)s team for an API key at %(url)s.")
        % {"site": settings.SITE_NAME, "url": settings.SITE_URL},
    )
    return render(document, fmt, "discovery")


@endpoint("GET")
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    services = Service.objects.active().annotate(
        has_attributes=Exists(ServiceAttribute.objects.filter(service=OuterRef("pk")))
    )
    return render([service_document(service) for service in services], fmt, "services")


@endpoint("GET")
def service_definition(request: HttpRequest, fmt: str, service_code: str) -> HttpResponse:
    service = Service.objects.active().with_attributes().filter(service_code=service_code).first()
    if service is None:
        raise Open311Error(404, _("Unknown or inactive service_code."))
    return render(definition_document(service), fmt, "service_definition")


@endpoint("GET", "POST")
def service_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return request_create(request, fmt)
    reports = filter_requests(published_requests(), request.GET)
    offset, limit = page_bounds(request.GET)
    return render(request_documents(reports[offset : offset + limit]), fmt, "service_requests")


@endpoint("GET")
def request_detail(request: HttpRequest, fmt: str, service_request_id: str) -> HttpResponse:
    report_id = parse_report_id(service_request_id)
    documents = request_documents(published_requests().filter(pk=report_id)) if report_id is not None else []
    if not documents:
        raise Open311Error(404, _("Unknown service_request_id."))
    return render(documents, fmt, "service_requests")


@endpoint("GET")
def token_detail(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    """Ids are given at once, so a token is the request's id."""
    report_id = parse_report_id(token)
    report = Report.objects.visible().filter(pk=report_id).first() if report_id is not None else None
    if report is None:
        raise Open311Error(404, _("Unknown token."))
    return render([token_document(report)], fmt, "service_requests")


def published_requests() -> ReportQuerySet:
    """Public reports, newest first, as rows of ``REQUEST_COLUMNS``: one query for a page of any size,
    of plain values (building model instances cost more than all the rest of a page of 1000)."""
    # A fresh clone each time: the cached query is a template and is never evaluated itself.
    return _published_rows(translation.get_language()).all()


@functools.cache
def _published_rows(language: str) -> ReportQuerySet:
    """What a request document reads: the operator answering for each report (``responsible_name``,
    from ``services.responsible``), its first ready, visible photo (``photo``) and its times as text
    (``cocreate.timestamps``).

    Built once per process: putting the subqueries and annotations together costs more than
    compiling the result, and they never change (the responsible parties register at start-up);
    one per language, for the service's name in it.
    """
    photos = (
        ReportPhoto.objects.visible().ready().filter(report=OuterRef("pk")).exclude(image="").order_by("position", "pk")
    )
    # One subquery gives both the photo's id and its file name, as "id:name": a second one would
    # double the database's work per report (an id has no colon, so the first one splits them).
    photo = Concat(Cast("pk", CharField()), Value(":"), "image", output_field=CharField())
    reports = Report.objects.visible().annotate(
        service_name=translated("service__name"),
        photo=Subquery(photos.values(photo=photo)[:1]),
        created_text=UtcSecondsText("created_at"),
        updated_text=UtcSecondsText("updated_at"),
        expected_text=UtcSecondsText("expected_at"),
    )
    return responsible.annotate(reports).order_by("-created_at", "-pk").values_list(*REQUEST_COLUMNS)


def parse_report_id(text: str) -> int | None:
    return int(text) if REPORT_ID.fullmatch(text) else None


def filter_requests(reports: ReportQuerySet, params: QueryDict) -> ReportQuerySet:
    """Apply the spec's filters; ``service_request_id`` overrides all the others."""
    return request_filter(params).apply(reports)


def request_filter(params: QueryDict) -> ReportFilter:
    """The spec's query parameters as a ``ReportFilter``, or an Open311Error naming the bad one."""
    ids = split_list(params.get("service_request_id", ""), "service_request_id")
    if ids:
        return ReportFilter(ids=tuple(number for text in ids if (number := parse_report_id(text)) is not None))
    codes = split_list(params.get("service_code", ""), "service_code")
    statuses = split_list(params.get("status", ""), "status")
    if not set(statuses) <= {"open", "closed"}:
        raise Open311Error(400, _("status: use open, closed or both, separated by a comma."))
    start = parse_moment(params.get("start_date", ""), "start_date")
    end = parse_moment(params.get("end_date", ""), "end_date")
    if start is None and end is None:
        start = timezone.now() - DEFAULT_WINDOW
    if start is not None and end is not None and start > end:
        raise Open311Error(400, _("start_date must be before end_date."))
    return ReportFilter(service_codes=tuple(codes), open311_statuses=tuple(statuses), since=start, until=end)


def split_list(text: str, name: str) -> list[str]:
    items = split_values(text)
    if len(items) > MAX_FILTER_ITEMS:
        raise Open311Error(
            400, _("%(name)s: give at most %(limit)d values.") % {"name": name, "limit": MAX_FILTER_ITEMS}
        )
    return items


def parse_moment(text: str, name: str) -> datetime | None:
    """An ISO 8601 date and time; one without an offset is read in the city's time zone."""
    try:
        return filters.parse_moment(UNENCODED_OFFSET.sub(r"\1+\2", text.strip()))
    except ValueError:
        raise Open311Error(
            400, _("%(name)s: use ISO 8601, such as 2026-11-02T08:30:00+07:00.") % {"name": name}
        ) from None


def page_bounds(params: QueryDict) -> tuple[int, int]:
    """Offset and limit from ``page`` (from 1) and ``page_size`` (1 to 1000, 200 when not given)."""
    page = parse_whole(params.get("page", ""), "page", MAX_WHOLE) or 1
    size = parse_whole(params.get("page_size", ""), "page_size", MAX_PAGE_SIZE) or DEFAULT_PAGE_SIZE
    return (page - 1) * size, size


def parse_whole(text: str, name: str, maximum: int) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not re.fullmatch(r"[0-9]{1,9}", text) or not 1 <= int(text) <= maximum:
        raise Open311Error(
            400, _("%(name)s: give a whole number from 1 to %(maximum)d.") % {"name": name, "maximum": maximum}
        )
    return int(text)


def request_create(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    api_key = data.get("api_key", "")
    if not api_key:
        raise Open311Error(403, _("api_key was not provided."))
    client = authenticate_client(api_key)
    if client is None:
        raise Open311Error(403, _("api_key is invalid."))
    check_write_limits(request, client)
    contact = Contact(**{name: data.get(name, "").strip() for name in CONTACT_FIELDS})
    try:
        report = report_create(
            service_code=data.get("service_code", ""),
            lat=data.get("lat"),
            lon=data.get("long"),
            address=data.get("address_string", ""),
            description=data.get("description", ""),
            attributes=parse_attributes(data),
            reporter=None,
            source=Report.Source.OPEN311,
            open311_client=client,
            contact=contact,
        )
    except ValidationError as error:
        raise Open311Error(400, *describe(error)) from None
    except PermissionDenied as error:
        raise Open311Error(403, str(error) or _("You may not submit this request.")) from None
    # media_url is accepted and ignored: the server never fetches addresses a client sends.
    notice = _("Your request will be published once a moderator has checked it.") if not report.is_visible else ""
    return render([created_document(report, notice)], fmt, "service_requests")


def check_write_limits(request: HttpRequest, client: Open311Client) -> None:
    """Count the POST against its client key and its address (``cocreate.limits``); 429 when over."""
    waits = [
        limits.consume(request, scope=limits.OPEN311_KEY, ident=str(client.pk)),
        limits.consume(request, scope=limits.ADDRESS, ident=limits.client_address(request)),
    ]
    over = [wait for wait in waits if wait is not None]
    if over:
        wait = max(over)
        message = _("Too many requests: wait %(seconds)d seconds, then try again.") % {"seconds": wait}
        raise Open311Error(429, message, retry_after=wait)


def parse_attributes(data: QueryDict) -> dict[str, object]:
    """``attribute[code]=value``, and ``attribute[code][]=value`` repeated for several choices."""
    answers: dict[str, object] = {}
    for key, values in data.lists():
        match = ATTRIBUTE_FIELD.fullmatch(key)
        if match is None:
            continue
        code, many = match.groups()
        values = [value for value in values if value != ""]  # an empty box is no answer
        if not values:
            continue
        previous = answers.get(code)
        if previous is not None or many or len(values) > 1:
            earlier = [] if previous is None else previous if isinstance(previous, list) else [previous]
            answers[code] = earlier + values
        else:
            answers[code] = values[0]
    return answers


def describe(error: ValidationError) -> list[str]:
    """``report_create``'s errors as the spec's error list, one ``parameter: message`` line each,
    named as the client sent it.

    A NUL character anywhere is one answer for the whole request; the contact details are
    answered before the rest (as they were checked first before ``report_create`` checked them).
    """
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    errors = error.error_dict
    if any(item.code == "nul" for items in errors.values() for item in items):
        return [_("Remove the NUL characters from the request.")]
    if contact := describe_contact(errors):
        return contact
    lines = []
    for field, messages in error.message_dict.items():
        for message in messages:
            if field == NON_FIELD_ERRORS:
                lines.append(message)
            elif field == "attributes" and ATTRIBUTE_MESSAGE.fullmatch(message):
                code, text = message.split(": ", 1)  # clean_attributes says "code: message"
                lines.append(f"attribute[{code}]: {text}")
            else:
                lines.append(f"{PARAMETER_NAMES.get(field, field)}: {message}")
    return lines


def describe_contact(errors: dict[str, list[ValidationError]]) -> list[str]:
    """The contact details' errors in the wording Open311 clients know: what is invalid, then what is too long."""
    invalid = {
        "email": _("email: enter a valid email address."),
        "phone": _("phone: enter a phone number of digits, spaces and + ( ) . -, such as +62 812 3456 7890."),
    }
    lines = [line for name, line in invalid.items() if any(item.code == "invalid" for item in errors.get(name, []))]
    for name in CONTACT_FIELDS:
        for item in errors.get(name, []):
            if item.code == "max_length":
                limit = item.params["limit_value"]
                lines.append(_("%(name)s: use at most %(limit)d characters.") % {"name": name, "limit": limit})
    return lines
