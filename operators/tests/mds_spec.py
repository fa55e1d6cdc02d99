"""What MDS 2.0's Policy and Geography texts require of a document, as checks (the specification
ships no JSON Schema for 2.0: its schemas moved to OpenAPI documents in another repository)."""

from __future__ import annotations

import uuid

POLICY_REQUIRED = {"name", "mode_id", "policy_id", "description", "start_date", "published_date", "rules"}
POLICY_OPTIONAL = {"provider_ids", "currency", "end_date", "prev_policies"}
RULE_REQUIRED = {"name", "rule_id", "rule_type", "geographies", "states"}
RULE_TYPES = {"count", "time", "speed", "user"}
RULE_UNITS = {"count": {"devices"}, "time": {"seconds", "minutes", "hours", "days"}, "speed": {"mph", "kph"}}
MICROMOBILITY_STATES = {
    "removed", "available", "non_operational", "reserved", "on_trip", "non_contactable", "missing", "elsewhere",
}  # fmt: skip
VEHICLE_TYPES = {
    "bicycle", "bus", "cargo_bicycle", "car", "delivery_robot", "moped", "motorcycle", "scooter_standing",
    "scooter_seated", "truck", "other",
}  # fmt: skip
GEOGRAPHY_REQUIRED = {"name", "geography_id", "geography_json", "published_date"}
PUBLICATION_LEAD_MS = 20 * 60 * 1000


def is_uuid(value) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except (TypeError, ValueError):
        return False


def is_timestamp(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def policy_problems(policy: dict) -> list[str]:
    """Everything in ``policy`` the specification's text does not allow."""
    problems = [f"missing {name}" for name in POLICY_REQUIRED - set(policy)]
    problems += [f"unknown field {name}" for name in set(policy) - POLICY_REQUIRED - POLICY_OPTIONAL]
    if not is_uuid(policy.get("policy_id")):
        problems.append("policy_id is not a UUID")
    if policy.get("mode_id") != "micromobility":
        problems.append("mode_id")
    for name in ("start_date", "published_date"):
        if not is_timestamp(policy.get(name)):
            problems.append(f"{name} is not a timestamp in milliseconds")
    if policy.get("end_date") is not None and not is_timestamp(policy["end_date"]):
        problems.append("end_date")
    dated = is_timestamp(policy.get("start_date")) and is_timestamp(policy.get("published_date"))
    if dated and policy["start_date"] < policy["published_date"] + PUBLICATION_LEAD_MS:
        problems.append("start_date is less than 20 minutes after published_date")
    if "provider_ids" in policy and not all(is_uuid(value) for value in policy["provider_ids"]):
        problems.append("provider_ids")
    for rule in policy.get("rules", []):
        problems += [f"rule: {problem}" for problem in rule_problems(rule)]
    return problems


def rule_problems(rule: dict) -> list[str]:
    problems = [f"missing {name}" for name in RULE_REQUIRED - set(rule)]
    if not is_uuid(rule.get("rule_id")):
        problems.append("rule_id is not a UUID")
    kind = rule.get("rule_type")
    if kind not in RULE_TYPES:
        problems.append("rule_type")
    elif kind != "user" and rule.get("rule_units") not in RULE_UNITS[kind]:
        problems.append("rule_units")
    if not rule.get("geographies") or not all(is_uuid(value) for value in rule["geographies"]):
        problems.append("geographies")
    states = rule.get("states", {})
    if not isinstance(states, dict) or set(states) - MICROMOBILITY_STATES:
        problems.append("states")
    if set(rule.get("vehicle_types", [])) - VEHICLE_TYPES:
        problems.append("vehicle_types")
    for name in ("minimum", "maximum"):
        if name in rule and not (isinstance(rule[name], int) and rule[name] >= 0):
            problems.append(name)
    return problems
