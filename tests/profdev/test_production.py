"""Production mode: the gunicorn settings and hashed, compressed static files."""

import json
import multiprocessing
import runpy
from pathlib import Path

import pytest
from django.core.management import call_command

CONFIG = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_gunicorn_defaults(monkeypatch):
    for name in ("GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)

    config = runpy.run_path(str(CONFIG))

    assert config["wsgi_app"] == "profdev.wsgi:application"
    assert config["bind"] == "127.0.0.1:8000"
    assert config["workers"] == 2 * multiprocessing.cpu_count() + 1
    assert config["timeout"] == 60
    assert config["accesslog"] == "-"


def test_gunicorn_reads_the_environment(monkeypatch):
    monkeypatch.setenv("GUNICORN_BIND", "unix:/run/profdev/gunicorn.sock")
    monkeypatch.setenv("GUNICORN_WORKERS", "4")
    monkeypatch.setenv("GUNICORN_TIMEOUT", "120")

    config = runpy.run_path(str(CONFIG))

    assert (config["bind"], config["workers"], config["timeout"]) == (
        "unix:/run/profdev/gunicorn.sock",
        4,
        120,
    )


def test_a_bad_number_names_the_variable(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "four")

    with pytest.raises(SystemExit, match="GUNICORN_WORKERS: expected an integer; got 'four'"):
        runpy.run_path(str(CONFIG))


def test_collectstatic_writes_hashed_and_compressed_files(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

    call_command("collectstatic", "--noinput", verbosity=0)

    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in ("css/portal.css", "js/jobs.js", "css/monitoring.css"):
        hashed = manifest[name]
        assert hashed != name
        assert (tmp_path / hashed).exists() and (tmp_path / f"{hashed}.gz").exists()
