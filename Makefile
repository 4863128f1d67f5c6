# Two commands for a newcomer: `make run` (install, prepare, serve with demo data) and `make test`.
# Everything is installed into .venv/ from the hash-pinned lock files, with the first Python >= 3.11 found.

PYTHON ?= $(shell for p in python3.11 python3.12 python3.13 python3 python; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; \
	then echo $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# `make run PORT=8001` when 8000 is taken.
PORT ?= 8000

.PHONY: install run test lint format lock bootstrap worker messages compilemessages clean

$(STAMP): requirements-dev.lock
	@if [ -z "$(PYTHON)" ]; then echo "Fandt ingen Python 3.11 eller nyere. Installér Python 3.11+ og prøv igen."; exit 1; fi
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	@touch $@

install: $(STAMP)

## Prepare the database (idempotent) and serve on http://127.0.0.1:$(PORT) with SQLite and in-process tasks.
run: install
	$(BIN)/python manage.py bootstrap --sample-data
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

bootstrap: install
	$(BIN)/python manage.py bootstrap --sample-data

## The whole test suite (on PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set).
test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## A Celery worker against REDIS_URL (not needed without it: tasks then run in-process).
worker: install
	$(BIN)/celery -A sundhedsaftale worker --loglevel=info

## Re-pin dependencies after changing pyproject.toml.
lock: install
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --generate-hashes -o requirements.lock pyproject.toml
	$(BIN)/pip-compile --quiet --strip-extras --generate-hashes --extra dev -o requirements-dev.lock pyproject.toml

## Update the English catalogue after changing Danish strings, then translate locale/en/LC_MESSAGES/django.po.
messages: install
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=staticfiles --ignore=bench --ignore=tests

## Compile the catalogue (the .mo is committed; gettext is only needed by whoever edits translations).
compilemessages: install
	$(BIN)/python manage.py compilemessages -l en --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
