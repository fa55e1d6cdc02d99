"""Log record filtering that keeps personal data out of log lines.

Besides emails, phone numbers and identity numbers (``cocreate.redaction``), a log line never
carries a signed token (unfollow links, email confirmation keys), a Celery task's arguments or
return value (jobs take ids only, and the filter hides them anyway), or an unredacted traceback.
"""

from __future__ import annotations

import logging
import re

from cocreate.redaction import REDACTED, redact

# Extras that Django and allauth attach to records and that can carry personal data.
DROPPED_ATTRIBUTES = ("request", "user", "email", "ip", "remote_addr")
STANDARD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}
# Django's signed values ("payload:timestamp:signature"), as in unfollow links.
SIGNED_TOKEN = re.compile(r"\.?[\w-]{8,}:[\w-]{4,10}:[\w-]{20,}")
# Secrets in URL paths: unfollow tokens, email confirmation and password reset keys.
SECRET_PATH = re.compile(r"(/(?:unfollow|confirm-email|key)/)[^/\s\"]+")
# What Celery puts in its log records' ``data`` extra that may carry what a task was given or returned.
CELERY_PAYLOAD = ("args", "kwargs", "return_value")


def redact_line(text: str) -> str:
    """Redact personal data and secrets (signed tokens, keys in paths) from one line of text."""
    return redact(SECRET_PATH.sub(rf"\1{REDACTED}", SIGNED_TOKEN.sub(REDACTED, text)))


def redact_value(value: object) -> object:
    """Redact strings inside the structures that log extras carry (Celery's task data, for one)."""
    if isinstance(value, str):
        return redact_line(value)
    if isinstance(value, dict):
        return {key: redact_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [redact_value(item) for item in value]
    if isinstance(value, int | float | bool) or value is None:
        return value
    return redact_line(str(value))


class PersonalDataFilter(logging.Filter):
    """Drop request objects from records and redact emails, phones and ids in messages and extras."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name in DROPPED_ATTRIBUTES:
            if hasattr(record, name):
                delattr(record, name)
        if isinstance(getattr(record, "data", None), dict):  # Celery's task received/succeeded/failed
            record.data = {key: "[hidden]" if key in CELERY_PAYLOAD else item for key, item in record.data.items()}
        if isinstance(record.args, dict) and any(key in record.args for key in CELERY_PAYLOAD):
            record.args = {key: "[hidden]" if key in CELERY_PAYLOAD else item for key, item in record.args.items()}
        record.msg = redact_line(record.getMessage())
        record.args = ()
        if record.exc_info:
            # Exception messages can quote an address (an SMTP refusal does): log the redacted text.
            record.exc_text = redact_line(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        for name in set(vars(record)) - STANDARD_ATTRIBUTES:
            setattr(record, name, redact_value(getattr(record, name)))
        return True
