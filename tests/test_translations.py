"""Every site language but English is complete: every string in the code has a translation.

Each language in ``settings.LANGUAGES`` (English aside, the code's own language) is checked: a
language whose catalogue is missing or incomplete fails, as it would show English.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation import to_locale

from conftest import skip_unless_available

ROOT = Path(__file__).resolve().parents[1]
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def catalogue(language: str) -> Path:
    """The catalogue's path under the project: locale/zh_Hans/LC_MESSAGES/django.po for zh-hans."""
    return Path("locale") / to_locale(language) / "LC_MESSAGES" / "django.po"


def project_sources() -> list[str]:
    """The project's own apps (not installed packages), plus templates and the catalogue."""
    from django.apps import apps

    own = [Path(config.path).name for config in apps.get_app_configs() if Path(config.path).parent == ROOT]
    return [*own, "templates", "locale"]


def statistics(po_file: Path) -> str:
    assert po_file.exists(), f"{po_file} is missing: run 'make messages' and translate it"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po_file)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stderr.strip()


def have_gettext() -> None:
    if not shutil.which("msgfmt") or not shutil.which("xgettext"):
        skip_unless_available("GNU gettext is not installed (apt-get install gettext)")


@pytest.fixture
def gettext_tools():
    have_gettext()


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    """A copy of the code whose catalogues were brought up to date with its strings, once for all languages."""
    have_gettext()
    copy = tmp_path_factory.mktemp("extracted")
    for name in (*project_sources(), "manage.py"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy(source, copy / name)
    locales = [argument for language in TRANSLATED for argument in ("--locale", to_locale(language))]
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", *locales, "--no-obsolete", "--no-location"],
        cwd=copy,
        env={"DEBUG": "1", "DATA_DIR": str(copy / "data"), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        check=True,
        capture_output=True,
    )
    return copy


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_committed_catalogue_has_no_untranslated_or_fuzzy_entry(gettext_tools, language):
    stats = statistics(ROOT / catalogue(language))
    assert "untranslated" not in stats and "fuzzy" not in stats, stats


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_in_the_code_is_in_the_catalogue(extracted, language):
    """Extract the strings afresh from a copy of the code; nothing new may appear untranslated."""
    stats = statistics(extracted / catalogue(language))
    assert "untranslated" not in stats and "fuzzy" not in stats, f"run 'make messages' and translate: {stats}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogue_matches_the_translations(gettext_tools, tmp_path, language):
    source = ROOT / catalogue(language)
    assert source.exists(), f"{source} is missing"
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(source)], check=True)
    committed = source.with_suffix(".mo")
    assert committed.exists() and committed.read_bytes() == compiled.read_bytes(), "run 'make messages'"
