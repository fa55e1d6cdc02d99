"""English and Bahasa Indonesia are complete: every string in the code has a translation."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import skip_unless_available

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = Path("locale/id/LC_MESSAGES/django.po")


def project_sources() -> list[str]:
    """The project's own apps (not installed packages), plus templates and the catalogue."""
    from django.apps import apps

    own = [Path(config.path).name for config in apps.get_app_configs() if Path(config.path).parent == ROOT]
    return [*own, "templates", "locale"]


def statistics(po_file: Path) -> str:
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po_file)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stderr.strip()


@pytest.fixture
def gettext_tools():
    if not shutil.which("msgfmt") or not shutil.which("xgettext"):
        skip_unless_available("GNU gettext is not installed (apt-get install gettext)")


def test_the_committed_catalogue_has_no_untranslated_or_fuzzy_entry(gettext_tools):
    stats = statistics(ROOT / CATALOGUE)
    assert "untranslated" not in stats and "fuzzy" not in stats, stats


def test_every_string_in_the_code_is_in_the_catalogue(gettext_tools, tmp_path):
    """Extract the strings afresh from a copy of the code; nothing new may appear untranslated."""
    for name in (*project_sources(), "manage.py"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy(source, tmp_path / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "id", "--no-obsolete", "--no-location"],
        cwd=tmp_path,
        env={"DEBUG": "1", "DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        check=True,
        capture_output=True,
    )
    stats = statistics(tmp_path / CATALOGUE)
    assert "untranslated" not in stats and "fuzzy" not in stats, f"run 'make messages' and translate: {stats}"


def test_the_compiled_catalogue_matches_the_translations(gettext_tools, tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(ROOT / CATALOGUE)], check=True)
    committed = ROOT / CATALOGUE.with_suffix(".mo")
    assert committed.exists() and committed.read_bytes() == compiled.read_bytes(), "run 'make messages'"
