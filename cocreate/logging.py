"""Log record filtering that keeps personal data out of log lines."""

from __future__ import annotations

import logging

from cocreate.redaction import redact

# Extras that Django and allauth attach to records and that can carry personal data.
DROPPED_ATTRIBUTES = ("request", "user", "email", "ip", "remote_addr")


class PersonalDataFilter(logging.Filter):
    """Drop request objects from records and redact emails, phones and ids in messages."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name in DROPPED_ATTRIBUTES:
            if hasattr(record, name):
                delattr(record, name)
        message = record.getMessage()
        record.msg = redact(message)
        record.args = ()
        return True
