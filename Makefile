# Everyday tasks. `make run` sets everything up and serves the demo district;
# `make test` runs the test suite (SQLite by default; set DATABASE_URL for PostgreSQL).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEV_ENV := DJANGO_DEBUG=1
HOST ?= 127.0.0.1:8000

.PHONY: venv run migrate demo test test-browser lint format bench serve-prod clean

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

run: demo
	$(DEV_ENV) $(PY) manage.py runserver $(HOST)

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

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
