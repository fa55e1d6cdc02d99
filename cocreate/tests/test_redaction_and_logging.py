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
    assert record["data"]["kwargs"] == "[hidden]"
    assert "0.0020101709999380546s" in record["message"]


def log_through_the_filter(emit) -> dict:
    """Send one record through the production handler set-up and return the JSON line it wrote."""
    import io

    from django.conf import settings
    from pythonjsonlogger.json import JsonFormatter

    formatter = JsonFormatter(**{k: v for k, v in settings.LOGGING["formatters"]["json"].items() if k != "()"})
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(PersonalDataFilter())
    logger = logging.getLogger("cocreate.test.filter")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        emit(logger)
    finally:
        logger.removeHandler(handler)
    return json.loads(stream.getvalue().strip())


def test_celery_task_lines_show_neither_arguments_nor_return_values():
    from celery.app.trace import LOG_SUCCESS

    context = {
        "id": "b1",
        "name": "cocreate.tasks.run_pending_job_task",
        "return_value": "Dear Ana, stop following: https://city.example/reports/unfollow/eyJ1IjoxfQ:1tX2aB:abcdefghijklmnopqrstuvwxyz012/",
        "runtime": 0.1,
        "args": "(12,)",
        "kwargs": "{'body': 'Dear Ana'}",
    }
    record = log_through_the_filter(lambda logger: logger.info(LOG_SUCCESS, context, extra={"data": context}))
    line = json.dumps(record)
    assert "Dear Ana" not in line and "eyJ1IjoxfQ" not in line
    assert record["data"]["args"] == record["data"]["return_value"] == "[hidden]"
    assert "run_pending_job_task[b1] succeeded" in record["message"]


def test_signed_tokens_and_keys_in_paths_are_redacted():
    token = "eyJ1IjoxLCJyIjoyfQ:1tX2aB:Qx0w9n2b8s7d6f5g4h3j2k1l0pAbCdE"
    record = log_through_the_filter(
        lambda logger: logger.warning(
            "Not Found: /reports/unfollow/%s/ and /accounts/confirm-email/MjA:1tX:abc/", token
        )
    )
    assert token not in record["message"] and "MjA:1tX:abc" not in record["message"]
    assert "/reports/unfollow/[redacted]/" in record["message"]


def test_tracebacks_are_redacted_too():
    def emit(logger):
        try:
            raise OSError("recipient refused: ana@example.org")
        except OSError:
            logger.exception("Email not sent")

    record = log_through_the_filter(emit)
    assert "OSError" in record["exc_info"]
    assert "ana@example.org" not in json.dumps(record)


def test_the_production_email_backend_logs_a_count_and_no_address(caplog):
    from django.core.mail import EmailMessage

    from cocreate.email_backend import SummaryEmailBackend

    message = EmailMessage(subject="Your report", body="Dear Ana, secret link", to=["ana@example.org"])
    with caplog.at_level(logging.INFO, logger="cocreate.email_backend"):
        assert SummaryEmailBackend().send_messages([message]) == 1
    assert "1 emails to 1 recipients not delivered" in caplog.text
    assert "ana@example.org" not in caplog.text and "Dear Ana" not in caplog.text


def test_the_access_log_hides_unfollow_tokens_and_confirmation_keys():
    import runpy
    from datetime import timedelta
    from pathlib import Path
    from types import SimpleNamespace

    from gunicorn.config import Config

    conf = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    logger = conf["AccessLogWithoutSecrets"](Config())
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    lines = []
    for path in ("/reports/unfollow/eyJ1IjoxfQ:1tX2aB:abcdefghijklmnop/", "/accounts/confirm-email/MjA:1tX:abc/"):
        environ = {"REQUEST_METHOD": "GET", "RAW_URI": path, "SERVER_PROTOCOL": "HTTP/1.1", "PATH_INFO": path}
        atoms = logger.atoms(response, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=5))
        lines.append(conf["access_log_format"] % atoms)
    assert "eyJ1IjoxfQ" not in lines[0] and "/reports/unfollow/[redacted]/" in lines[0]
    assert "MjA:1tX" not in lines[1] and "/accounts/confirm-email/[redacted]/" in lines[1]
