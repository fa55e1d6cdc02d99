"""With the production variables set, Django's deployment check finds nothing to fix."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_reports_no_issue_under_production_settings(tmp_path):
    environment = {
        **{
            key: value
            for key, value in os.environ.items()
            if key not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        },
        "DJANGO_SETTINGS_MODULE": "cocreate.settings",
        "SECRET_KEY": "p7Xq2LmN9vR4tY8wZ1aB3cD5eF6gH0jK-uV_sT!rQ@oP#nM$lK%jI^hG&fE*dC",
        "ALLOWED_HOSTS": "cocreate.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://cocreate.example.org",
        "BEHIND_PROXY": "true",
        "DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    environment.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_when_debug_is_left_on(tmp_path):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "cocreate.settings", "DEBUG": "1", "DATA_DIR": str(tmp_path)}
    environment.pop("DATABASE_URL", None)
    environment.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert "security.W018" in result.stdout + result.stderr
