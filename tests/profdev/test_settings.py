"""Settings come from the environment and fail loudly on bad values."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

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
        PROFDEV_PORTAL_URL="https://portal.example.ru",
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


PRODUCTION = {
    "DJANGO_SECRET_KEY": "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "portal.example.ru",
    "PROFDEV_SEAL_KEY": "y" * 50,
}


def test_production_refuses_to_start_without_the_portal_address():
    result = run_manage("migrate", "--check", **PRODUCTION)
    assert result.returncode != 0
    assert "profdev.E001" in result.stderr
    assert "Не задан PROFDEV_PORTAL_URL — внешний адрес портала" in result.stderr
    assert "https://profdev.example.ru" in result.stderr


def test_gunicorn_refuses_to_start_without_the_portal_address():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PROFDEV_"))}
    result = subprocess.run(
        [sys.executable, "-c", "import profdev.wsgi"],
        cwd=ROOT,
        env={**clean, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "profdev.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Не задан PROFDEV_PORTAL_URL" in result.stderr


@pytest.mark.parametrize("url", ["profdev.example.ru", "https://", "ftp://portal.example.ru"])
def test_a_portal_address_that_is_no_address_is_refused(settings, url):
    settings.PORTAL_URL = url
    with pytest.raises(SystemCheckError, match=f"PROFDEV_PORTAL_URL «{re.escape(url)}» — не адрес"):
        call_command("check")


def test_development_serves_on_the_local_address_by_default():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.PORTAL_URL)",
        DJANGO_DEBUG="1",
    )
    assert result.stdout.splitlines()[-1] == "http://127.0.0.1:8000", result.stderr


def test_debug_mode_runs_without_secret_key():
    result = run_manage("check", DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_postgresql_sessions_run_without_jit():
    """PostgreSQL's JIT spent seconds compiling the effectiveness report's counts at 300
    schools; the portal's connections turn it off, keeping what the address asks for."""
    code = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PROFDEV_"))},
            "DJANGO_SETTINGS_MODULE": "profdev.settings",
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": "postgres://portal@db.example.ru:5432/profdev?sslmode=require",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "'options': '-c jit=off'" in result.stdout
    assert "'sslmode': 'require'" in result.stdout
