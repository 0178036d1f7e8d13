"""Settings come from the environment and fail loudly on bad values."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PROFDEV_"))}
    clean["DJANGO_SETTINGS_MODULE"] = "profdev.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_secret_key():
    result = run_manage("check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_bad_boolean_names_the_variable():
    result = run_manage("check", DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG" in result.stderr and "'maybe'" in result.stderr


def test_check_deploy_is_clean_with_production_variables():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="portal.example.ru",
        PROFDEV_SEAL_KEY=secrets.token_urlsafe(50),
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_the_seal_key():
    result = run_manage(
        "check", DJANGO_SECRET_KEY=secrets.token_urlsafe(50), DJANGO_ALLOWED_HOSTS="example.ru"
    )
    assert result.returncode != 0
    assert "recommendations.E001" in result.stderr
    assert "Не задан PROFDEV_SEAL_KEY" in result.stderr


def test_debug_mode_runs_without_secret_key():
    result = run_manage("check", DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
