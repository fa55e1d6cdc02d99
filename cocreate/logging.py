"""Log record filtering that keeps personal data out of log lines."""

from __future__ import annotations

import logging

from cocreate.redaction import redact

# Extras that Django and allauth attach to records and that can carry personal data.
DROPPED_ATTRIBUTES = ("request", "user", "email", "ip", "remote_addr")
STANDARD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def redact_value(value: object) -> object:
    """Redact strings inside the structures that log extras carry (Celery's task data, for one)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: redact_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [redact_value(item) for item in value]
    if isinstance(value, int | float | bool) or value is None:
        return value
    return redact(str(value))


class PersonalDataFilter(logging.Filter):
    """Drop request objects from records and redact emails, phones and ids in messages and extras."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name in DROPPED_ATTRIBUTES:
            if hasattr(record, name):
                delattr(record, name)
        record.msg = redact(record.getMessage())
        record.args = ()
        for name in set(vars(record)) - STANDARD_ATTRIBUTES:
            setattr(record, name, redact_value(getattr(record, name)))
        return True
