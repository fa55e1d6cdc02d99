"""The operators' permits as an MDS 2.0 Policy API (and the one Geography its rules refer to), so
the operators' own software can read the caps and limits it must keep (docs/operators.md).

- ``/mds/policies`` and ``/mds/policies/<policy_id>``: per operator, a *fleet cap* policy (a
  ``count`` rule in ``devices`` per capped vehicle type) and an *idle limit* policy (a ``time``
  rule in ``hours``).
- ``/mds/geographies`` and ``/mds/geographies/<geography_id>``: the city's area (``CITY_BOUNDS``),
  which every rule covers.

Ids are UUID version 5, derived from the site's address and the operator's short name and the
rule's kind, so they stay the same from one request (and one server) to the next. The site keeps
no history of permits: a changed cap is served under the same id at once, never as a new policy
naming the old one in ``prev_policies``. ``provider_ids`` holds the operator's MDS provider id
when ``MDS_PROVIDER_IDS`` gives one; without it the field is left out, which MDS reads as "every
provider", so the policy's name and description name the operator.

Versioning follows MDS: answers are ``application/vnd.mds+json;version=2.0``; a client asking in
``Accept`` for another MDS version gets a 406. The documents are public and cacheable (five
minutes, with an ETag).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from operators.models import FormFactor, Operator

MDS_VERSION = "2.0.0"
MEDIA_TYPE = "application/vnd.mds+json;version=2.0"
SERVED_VERSION = "2.0"
CACHE_SECONDS = 300
MODE_ID = "micromobility"
# MDS: "start_date must be at least 20 minutes after published_date", so providers can poll.
PUBLICATION_LEAD = timedelta(minutes=20)

# GBFS form factors and the MDS vehicle types they are (MDS took its list from GBFS).
VEHICLE_TYPES = {
    FormFactor.BICYCLE: "bicycle",
    FormFactor.CARGO_BICYCLE: "cargo_bicycle",
    FormFactor.SCOOTER_STANDING: "scooter_standing",
    FormFactor.SCOOTER_SEATED: "scooter_seated",
    FormFactor.MOPED: "moped",
    FormFactor.CAR: "car",
    FormFactor.OTHER: "other",
}
# A cap counts the vehicles parked in the public space: those the city sees in the operator's feed.
COUNT_STATES = ("available", "non_operational", "reserved")
# The idle limit: a vehicle left unused (rentable or not) at one place.
IDLE_STATES = ("available", "non_operational")

FLEET_CAP = "fleet-cap"
IDLE_LIMIT = "idle-limit"


class BadRequest(Exception):
    def __init__(self, description: str, details: list[str]) -> None:
        super().__init__(description)
        self.description, self.details = description, details


# Ids and times ---------------------------------------------------------------------------------


def _namespace() -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/mds/")


def policy_id(slug: str, kind: str) -> str:
    return str(uuid.uuid5(_namespace(), f"policy/{slug}/{kind}"))


def rule_id(slug: str, kind: str, part: str = "") -> str:
    return str(uuid.uuid5(_namespace(), f"rule/{slug}/{kind}/{part}"))


def city_geography_id() -> str:
    """The city's area; its id changes with the bounds, as a changed geography must."""
    bounds = ",".join(str(value) for value in settings.CITY_BOUNDS)
    return str(uuid.uuid5(_namespace(), f"geography/city/{bounds}"))


def milliseconds(moment: datetime) -> int:
    """An MDS timestamp: integer milliseconds since the Unix epoch."""
    return int(moment.timestamp() * 1000)


def day_start(day: date) -> datetime:
    """Midnight at the start of ``day`` in the city's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


# Documents -------------------------------------------------------------------------------------


def _dates(operator: Operator) -> tuple[int, int | None, int]:
    """(start, end, published): the permit's days in the city's time, begun no sooner than 20
    minutes after the operator was recorded (its policies' publication)."""
    published = operator.created_at
    start = day_start(operator.permit_valid_from) if operator.permit_valid_from else published
    start = max(start, published + PUBLICATION_LEAD)
    end = day_start(operator.permit_valid_until + timedelta(days=1)) if operator.permit_valid_until else None
    return milliseconds(start), milliseconds(end) if end else None, milliseconds(published)


def _policy(operator: Operator, kind: str, name: str, description: str, rules: list[dict]) -> dict:
    start, end, published = _dates(operator)
    policy: dict[str, object] = {
        "policy_id": policy_id(operator.slug, kind),
        "name": name,
        "mode_id": MODE_ID,
        "description": description,
        "start_date": start,
        "end_date": end,
        "published_date": published,
        "rules": rules,
    }
    provider = settings.MDS_PROVIDER_IDS.get(operator.slug)
    if provider:
        policy["provider_ids"] = [provider]
    return policy


def operator_policies(operator: Operator) -> list[dict]:
    """The operator's fleet cap policy (when a vehicle type has a cap) and idle limit policy."""
    types = list(operator.vehicle_types.all())
    area = [city_geography_id()]
    policies = []
    capped = [permitted for permitted in types if permitted.fleet_cap is not None]
    if capped:
        rules = [
            {
                "rule_id": rule_id(operator.slug, FLEET_CAP, permitted.form_factor),
                "name": _("%(type)s fleet cap") % {"type": permitted.get_form_factor_display()},
                "rule_type": "count",
                "rule_units": "devices",
                "geographies": area,
                "states": {state: [] for state in COUNT_STATES},
                "vehicle_types": [VEHICLE_TYPES[FormFactor(permitted.form_factor)]],
                "maximum": permitted.fleet_cap,
            }
            for permitted in capped
        ]
        policies.append(
            _policy(
                operator,
                FLEET_CAP,
                _("Fleet cap: %(operator)s") % {"operator": operator.name},
                _("The most vehicles %(operator)s may park in the city under its permit, by vehicle type.")
                % {"operator": operator.name},
                rules,
            )
        )
    idle_rule: dict[str, object] = {
        "rule_id": rule_id(operator.slug, IDLE_LIMIT),
        "name": _("Idle limit"),
        "rule_type": "time",
        "rule_units": "hours",
        "geographies": area,
        "states": {state: [] for state in IDLE_STATES},
        "maximum": operator.idle_limit_hours,
    }
    if types:
        idle_rule["vehicle_types"] = sorted({VEHICLE_TYPES[FormFactor(permitted.form_factor)] for permitted in types})
    policies.append(
        _policy(
            operator,
            IDLE_LIMIT,
            _("Idle limit: %(operator)s") % {"operator": operator.name},
            _("How long a vehicle of %(operator)s may stand unused at one place before the city reports it.")
            % {"operator": operator.name},
            [idle_rule],
        )
    )
    return [policy for policy in policies if policy["end_date"] is None or policy["start_date"] < policy["end_date"]]


def all_policies() -> list[dict]:
    """Every operator's policies, in order of their start (two queries)."""
    with translation.override(settings.LANGUAGE_CODE):
        policies = [
            policy
            for operator in Operator.objects.prefetch_related("vehicle_types").order_by("slug")
            for policy in operator_policies(operator)
        ]
    return sorted(policies, key=lambda policy: (policy["start_date"], policy["name"]))


def city_geography(published: int) -> dict:
    min_lon, min_lat, max_lon, max_lat = settings.CITY_BOUNDS
    ring = [[min_lon, min_lat], [max_lon, min_lat], [max_lon, max_lat], [min_lon, max_lat], [min_lon, min_lat]]
    with translation.override(settings.LANGUAGE_CODE):
        name, description = _("City area"), _("The area the city's permits for shared vehicles cover.")
    return {
        "geography_id": city_geography_id(),
        "geography_type": "municipal_boundary",
        "name": name,
        "description": description,
        "published_date": published,
        "geography_json": {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring]}}],
        },
    }


def _last_updated(policies: list[dict]) -> int:
    """The newest publication: the site records when an operator was added, not when it changed."""
    return max((policy["published_date"] for policy in policies), default=0) or milliseconds(timezone.now())


def _first_published(policies: list[dict]) -> int:
    """The city's area is published with the first policy that refers to it."""
    return min((policy["published_date"] for policy in policies), default=0) or milliseconds(timezone.now())


# Requests --------------------------------------------------------------------------------------


def acceptable(accept: str) -> bool:
    """Whether the Accept header allows MDS 2.0: no header, a generic JSON type, or the MDS media
    type without a version or with version 2.0."""
    if not accept.strip():
        return True
    for media_range in accept.split(","):
        kind, *parameters = (part.strip() for part in media_range.split(";"))
        values = dict(parameter.partition("=")[::2] for parameter in parameters)
        if kind.lower() == "application/vnd.mds+json":
            if values.get("version", SERVED_VERSION).strip('"') == SERVED_VERSION:
                return True
        elif kind.lower() in {"*/*", "application/*", "application/json"} and values.get("q") not in {"0", "0.0"}:
            return True
    return False


def _timestamp(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name)
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit()):
        raise BadRequest(
            _("Bad query parameter."), [_("%(name)s must be a timestamp in milliseconds.") % {"name": name}]
        )
    return int(raw)


def _flag(request: HttpRequest, name: str) -> bool:
    raw = request.GET.get(name, "false").lower()
    if raw not in {"true", "false"}:
        raise BadRequest(_("Bad query parameter."), [_("%(name)s must be true or false.") % {"name": name}])
    return raw == "true"


def _error(status: int, error: str, description: str, details: list[str] | None = None) -> HttpResponse:
    """An MDS error message."""
    body = {"error": error, "error_description": description, "error_details": details or []}
    return HttpResponse(json.dumps(body), status=status, content_type="application/json")


def _answer(request: HttpRequest, document: dict) -> HttpResponse:
    """The document in MDS's media type, cacheable, or a 304 when the client holds it already."""
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    etag = f'"{hashlib.sha256(body.encode()).hexdigest()[:32]}"'
    response = get_conditional_response(request, etag=etag) or HttpResponse(body, content_type=MEDIA_TYPE)
    response.headers["ETag"] = etag
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    patch_vary_headers(response, ["Accept"])
    return response


def _negotiated(view):
    """Answer 406 to a client asking for another MDS version, and 400 for a bad parameter."""

    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not acceptable(request.headers.get("Accept", "")):
            return _error(
                406,
                "not_acceptable",
                _("This server answers MDS version %(version)s only.") % {"version": SERVED_VERSION},
                [f"Accept: {MEDIA_TYPE}"],
            )
        try:
            return view(request, *args, **kwargs)
        except BadRequest as problem:
            return _error(400, "bad_param", problem.description, problem.details)

    wrapper.__doc__, wrapper.__name__ = view.__doc__, view.__name__
    return require_safe(wrapper)


@_negotiated
def policies(request: HttpRequest) -> HttpResponse:
    """The policies in force between ``start_date`` (by default now) and ``end_date`` (by default
    open), or with ``last_updated=true`` only when they last changed."""
    start = _timestamp(request, "start_date")
    end = _timestamp(request, "end_date")
    only_last_updated = _flag(request, "last_updated")
    _flag(request, "active_only")  # every policy served is active: none replaces another
    start = milliseconds(timezone.now()) if start is None else start
    every = all_policies()
    if only_last_updated:
        return _answer(request, {"version": MDS_VERSION, "last_updated": _last_updated(every)})
    chosen = [
        policy
        for policy in every
        if (policy["end_date"] is None or policy["end_date"] > start) and (end is None or policy["start_date"] < end)
    ]
    document = {"version": MDS_VERSION, "last_updated": _last_updated(every), "data": {"policies": chosen}}
    return _answer(request, document)


def _uuid(raw: str, name: str) -> str:
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        raise BadRequest(_("Bad path parameter."), [_("%(name)s must be a UUID.") % {"name": name}]) from None


@_negotiated
def policy(request: HttpRequest, policy_id: str) -> HttpResponse:
    """One policy, whatever its dates."""
    wanted = _uuid(policy_id, "policy_id")
    every = all_policies()
    found = [item for item in every if item["policy_id"] == wanted]
    if not found:
        return _error(404, "not_found", _("No policy has this id."))
    return _answer(request, {"version": MDS_VERSION, "last_updated": _last_updated(every), "data": {"policies": found}})


@_negotiated
def geographies(request: HttpRequest) -> HttpResponse:
    """The geographies the policies refer to: the city's area."""
    every = all_policies()
    area = city_geography(_first_published(every))
    return _answer(request, {"version": MDS_VERSION, "last_updated": _last_updated(every), "geographies": [area]})


@_negotiated
def geography(request: HttpRequest, geography_id: str) -> HttpResponse:
    """The city's area by its id."""
    wanted = _uuid(geography_id, "geography_id")
    if wanted != city_geography_id():
        return _error(404, "not_found", _("No geography has this id."))
    return _answer(request, {"version": MDS_VERSION, "geography": city_geography(_first_published(all_policies()))})
