"""With the production variables set and static files collected, Django's deployment check finds
nothing to fix; without collected static files it fails."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_environment(tmp_path) -> dict[str, str]:
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
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    environment.pop("REDIS_URL", None)
    return environment


def manage(environment: dict[str, str], *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_deploy_reports_no_issue_under_production_settings(tmp_path):
    environment = production_environment(tmp_path)
    collected = manage(environment, "collectstatic", "--noinput")
    assert collected.returncode == 0, collected.stdout + collected.stderr
    result = manage(environment, "check", "--deploy", "--fail-level", "DEBUG")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_fails_when_static_files_were_not_collected(tmp_path):
    result = manage(production_environment(tmp_path), "check", "--deploy")
    assert result.returncode != 0
    assert "cocreate.E001" in result.stderr
    assert "collectstatic" in result.stderr


def test_check_deploy_warns_when_debug_is_left_on(tmp_path):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "cocreate.settings", "DEBUG": "1", "DATA_DIR": str(tmp_path)}
    environment.pop("DATABASE_URL", None)
    environment.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert "security.W018" in result.stdout + result.stderr
