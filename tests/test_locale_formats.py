"""Dates and numbers are written as each language writes them (Django's locale formats)."""

from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.utils import formats, timezone, translation

from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

WRITTEN = {  # 14:30 on 5 March 2026 in Jakarta, as each language writes the day
    "en": "March 5, 2026",
    "id": "5 Maret 2026",
    "ms": "5 Mar 2026",
    "vi": "05 tháng 3 năm 2026",
    "th": "5 มีนาคม 2026",
    "ja": "2026年3月5日",
    "ko": "2026년 3월 5일",
    "zh-hans": "2026年3月5日",
}


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_a_reports_dates_are_written_in_the_pages_language(client, language):
    report = ReportFactory(created_at=datetime(2026, 3, 5, 7, 30, tzinfo=UTC))
    client.cookies["django_language"] = language
    page = client.get(f"/reports/{report.pk}/").content.decode()
    with translation.override(language):
        written = formats.date_format(timezone.localtime(report.created_at), "DATETIME_FORMAT")
    assert written in page
    assert WRITTEN[language] in written


@pytest.mark.parametrize(("language", "written"), [("en", "12345.5"), ("id", "12345,5"), ("vi", "12345,5")])
def test_numbers_use_the_languages_decimal_mark_without_thousands_separators(language, written):
    with translation.override(language):
        assert formats.number_format(12345.5, decimal_pos=1) == written
