# Everyday tasks. `make run` sets everything up and serves the demo district;
# `make test` runs the test suite (SQLite by default; set DATABASE_URL for PostgreSQL).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEV_ENV := DJANGO_DEBUG=1
HOST ?= 127.0.0.1:8000

.PHONY: venv run migrate demo test test-browser lint format bench serve-prod worker load clean \
	backup restore messages

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

venv: $(VENV)/.installed

migrate: venv
	$(DEV_ENV) $(PY) manage.py migrate --noinput

demo: migrate
	$(DEV_ENV) $(PY) manage.py load_demo

# The development server on HOST and a worker beside it running queued jobs (both stop on
# Ctrl-C); letters' QR codes point to http://HOST unless PROFDEV_PORTAL_URL is set.
run: demo
	$(DEV_ENV) $(PY) manage.py serve_dev $(HOST)

test: venv
	$(PY) -m pytest -m "not browser" -n 2 $(PYTEST_ARGS)

test-browser: venv
	$(PY) -m pytest -m browser -p no:xdist $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# A synthetic region timed through import, computation and the overview page
# (BENCH_SCHOOLS, BENCH_STAFF; PostgreSQL when DATABASE_URL is set).
bench: venv
	$(PY) bench/run.py

# Production: hashed static files, migrations, then gunicorn (gunicorn.conf.py) against
# DATABASE_URL; needs DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS too (docs/deploy.md).
serve-prod: venv
	@test -n "$$DATABASE_URL" || { echo "Задайте DATABASE_URL (docs/deploy.md)." >&2; exit 1; }
	$(PY) manage.py collectstatic --noinput
	$(PY) manage.py migrate --noinput
	$(VENV)/bin/gunicorn -c gunicorn.conf.py

# The background worker: runs queued jobs (imports, computations); several may run at once.
worker: venv
	$(PY) manage.py run_worker --no-reload

# 50 simulated users for 60 s against gunicorn + PostgreSQL (LOAD_USERS, LOAD_SECONDS).
load: venv
	$(PY) bench/load.py

# Backups of DATABASE_URL's database (docs/security.md): PostgreSQL pg_dump -Fc, SQLite a
# consistent copy. `make restore BACKUP=file` replaces the database: stop the portal first.
BACKUP ?= backups/profdev-$(shell date +%Y%m%d-%H%M%S).backup

backup: venv
	@mkdir -p $(dir $(BACKUP))
	$(PY) manage.py backup_database $(BACKUP)

restore: venv
	@test -f "$(BACKUP)" || { echo "Укажите копию: make restore BACKUP=backups/….backup" >&2; exit 1; }
	$(PY) manage.py restore_database --confirm $(BACKUP)

# The project's Russian messages (locale/ru/LC_MESSAGES/django.po, overrides of Django's admin):
# the compiled .mo is committed; after editing the .po run this (no gettext tools needed).
PO := locale/ru/LC_MESSAGES/django.po
messages: venv
	$(PY) -c "import polib; polib.pofile('$(PO)').save_as_mofile('$(PO:.po=.mo)')"

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
