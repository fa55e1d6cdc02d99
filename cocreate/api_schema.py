"""The OpenAPI schema's error answers: every operation documents the 4xx it can give.

drf-spectacular documents what views declare, mostly successes. The API answers every
bad request with a JSON body (``cocreate.api_input``), so this postprocessing hook adds
those answers, with their schema, wherever they can happen:

- 400 where the operation reads a query string or a body;
- 403 everywhere (an invalid token is refused, writes need a confirmed account);
- 404 where the path names an object or a cursor pages the list;
- 413 and 415 where the operation reads a body;
- 429 on writes, which are rate-limited.
"""

from __future__ import annotations

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "`detail` explains a refusal; a 400 about fields maps each field (or `non_field_errors`) to its messages."
    ),
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "string"},
            # A list's items (by index) or a nested object's fields (by name), each with its messages.
            {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        ]
    },
}

DESCRIPTIONS = {
    "400": "Invalid input: `{field: [messages]}`, `{field: {index: [messages]}}` or `{detail: message}`.",
    "403": "Not signed in, an invalid token, an unconfirmed email address, or not allowed.",
    "404": "No such object, or an altered cursor.",
    "413": "The request body is larger than the server accepts.",
    "415": "The body is in a media type the operation does not read.",
    "429": "Too many writes; retry after the Retry-After header's seconds.",
}
WRITE_METHODS = {"post", "put", "patch", "delete"}


def codes_for(method: str, operation: dict, path: str) -> list[str]:
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation
    codes = ["403"]
    if has_body or any(parameter.get("in") == "query" for parameter in parameters):
        codes.append("400")
    if "{" in path or any(parameter.get("name") == "cursor" for parameter in parameters):
        codes.append("404")
    if has_body:
        codes += ["413", "415"]
    if method in WRITE_METHODS:
        codes.append("429")
    return codes


def json_types(responses: dict) -> list[str]:
    """The JSON media types the operation answers in (an error comes in the same, such as GeoJSON)."""
    types = [
        media_type
        for code, response in responses.items()
        if code.startswith("2")
        for media_type in response.get("content", {})
        if media_type == "application/json" or media_type.endswith("+json")
    ]
    return list(dict.fromkeys(types)) or ["application/json"]


def document_errors(result: dict, generator, request, public) -> dict:
    """drf-spectacular postprocessing hook: add the error answers and their shared schema."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, methods in result.get("paths", {}).items():
        for method, operation in methods.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            reference = {
                media_type: {"schema": {"$ref": "#/components/schemas/Error"}} for media_type in json_types(responses)
            }
            for code in codes_for(method, operation, path):
                response = responses.setdefault(code, {"description": DESCRIPTIONS[code]})
                response.setdefault("content", reference)
    return result
