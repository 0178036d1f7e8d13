"""`load_demo` creates users with the README's password: in production it refuses."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from profdev.models import School

ROOT = Path(__file__).resolve().parents[2]
REFUSAL = "Демонстрационные данные загружаются только в режиме разработки (DJANGO_DEBUG=1)"


@pytest.mark.django_db
def test_load_demo_refuses_in_production_and_creates_nobody(settings):
    settings.DEBUG = False
    settings.TESTING = False
    with pytest.raises(CommandError, match=r"DJANGO_DEBUG=1"):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.exists()
    assert not School.objects.exists()


def test_manage_py_load_demo_under_production_settings_exits_with_the_russian_message(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PROFDEV_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "profdev.settings",
        "DJANGO_SECRET_KEY": "production-probe-" + "x" * 50,
        "PROFDEV_SEAL_KEY": "production-seal-probe-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "portal.example.ru",
        "PROFDEV_PORTAL_URL": "https://portal.example.ru",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "load_demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert REFUSAL in result.stderr
    assert "admin" not in result.stdout
