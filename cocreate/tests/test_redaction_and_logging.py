import json
import logging

import pytest

from cocreate.logging import PersonalDataFilter
from cocreate.redaction import REDACTED, find_personal_data, redact


@pytest.mark.parametrize(
    "personal",
    [
        "ana.putri@example.co.id",
        "+62 812-3456-7890",
        "0812 3456 7890",
        "(022) 123 4567",
        "3273012345678901",
        "https://example.org/track?user=ana",
        "0812 34 56 78 90",
        "0812.3456.7890",
        "0812-3456-7890",
        "022 1234567",
        "6281234567890",
        "name [at] domain [dot] com",
        "name (at) domain (dot) co (dot) id",
        "name at domain dot com",
        "name@domain dot com",
        "3273 0101 0101 0001",
        "900101-14-5678",
        "900101145678",
    ],
)
def test_it_redacts_what_looks_personal(personal):
    text = f"Please call or write: {personal}, thanks"
    assert personal not in redact(text)
    assert REDACTED in redact(text)


@pytest.mark.parametrize(
    "ordinary",
    [
        "The bike has been here since 2026-11-02.",
        "Bus stop 12 on Jalan Braga",
        "about 50 m from the corner",
        "Seen on 05-11-2026 08.30 and again at 2026-11-02 08:30.",
        "Open 08.00 - 17.00, closed on 25/12/2026",
        "Jl. Braga No. 112, RT 03/RW 05",
        "It cost Rp 1.500.000, the repair Rp 150.000.000 (12,500,000 in total)",
        "km 12.5, 0.0020101709999380546 s, year 1998 to 2026",
        "Meet at the park dot five; look at the sign at the corner",
    ],
)
def test_it_leaves_ordinary_text_alone(ordinary):
    assert redact(ordinary) == ordinary
    assert find_personal_data(ordinary) == []


@pytest.mark.parametrize(
    "text",
    ["1" * 4000, "a" * 4000 + "@", "0812-" * 800, "a." * 2000, "name at " * 500, "[at] " * 800, "x dot " * 700],
)
def test_redaction_takes_linear_time_on_hostile_text(text):
    import time

    began = time.perf_counter()
    redact(text)
    assert time.perf_counter() - began < 0.1


def test_log_lines_carry_no_email_and_no_request():
    import io

    from django.conf import settings
    from pythonjsonlogger.json import JsonFormatter

    formatter = JsonFormatter(**{k: v for k, v in settings.LOGGING["formatters"]["json"].items() if k != "()"})
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(PersonalDataFilter())
    logger = logging.getLogger("cocreate.test")
    logger.disabled = False
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        logger.warning(
            "Sign-up failed for %s in 0.0020101709999380546s",
            "ana@example.org",
            extra={"request": "GET /?email=ana@example.org", "data": {"kwargs": "{'to': ['ana@example.org']}"}},
        )
    finally:
        logger.removeHandler(handler)
    line = stream.getvalue().strip()
    record = json.loads(line)
    assert record["level"] == "WARNING"
    assert "ana@example.org" not in line
    assert "request" not in record
    assert record["data"]["kwargs"] == "{'to': ['[redacted]']}"
    assert "0.0020101709999380546s" in record["message"]
