# Digest — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.13 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate seed fixtures lint format check clean backup restore audit bench bench-tools explain
.PHONY: typecheck lint-templates hooks

$(STAMP): requirements/dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 13) else "Digest needs Python 3.13 (set PYTHON=/path/to/python3.13)")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	touch $(STAMP)

install: $(STAMP)

## make run: set up and serve the site with the seed content on http://127.0.0.1:8000 (and the task worker)
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_seed
	$(BIN)/python manage.py ensure_editor
	# The task worker (the Daily Digest by e-mail) runs beside the web server and is stopped
	# when runserver exits; the newsletter's clock is queued first.
	$(BIN)/python manage.py newsletter_clock
	@$(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## make test: set up and run the whole suite (DATABASE_URL selects PostgreSQL)
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

fixtures: $(STAMP)
	$(BIN)/python manage.py build_fixtures

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache

## make backup: pg_dump (custom format) + media tar into $(BACKUP_DIR)/digest-<time>/ (PostgreSQL)
BACKUP_DIR ?= backups
backup:
	BACKUP_DIR=$(BACKUP_DIR) deploy/backup.sh

## make restore BACKUP=backups/digest-<time>: into an empty database (DATABASE_URL) and MEDIA_ROOT
restore:
	BACKUP=$(BACKUP) deploy/restore.sh

## make bench: the page benchmark (gunicorn + nginx + wrk on PostgreSQL digest_bench and Redis)
bench: $(STAMP) bench-tools
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# wrk and nginx from Debian's packages, installed when missing (as root; otherwise it says how).
bench-tools:
	@missing=""; command -v wrk >/dev/null || missing="$$missing wrk"; \
	{ command -v nginx || test -x /usr/sbin/nginx; } >/dev/null || missing="$$missing nginx"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing$$missing (Debian packages)…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "make bench needs$$missing: sudo apt-get install$$missing"; exit 1; fi; \
	fi

## make explain: PostgreSQL plans of the public pages' queries (fails on a sequential scan)
explain: $(STAMP)
	$(BIN)/python bench/explain.py

## make audit: known vulnerabilities in the locked dependencies, and bandit over the code
# (says NOT AUDITED when the vulnerability service cannot answer; AUDIT_REQUIRE_SERVICE=1 fails then)
audit: $(STAMP)
	$(BIN)/python scripts/audit_dependencies.py requirements/base.txt
	$(BIN)/bandit -q -r digest articles pagecache newsletter deploy gunicorn.conf.py -x articles/migrations,pagecache/tests,newsletter/migrations
	# The benchmarks and scripts start our own programs (gunicorn, nginx, ps) on loopback, draw
	# synthetic text and open their own local addresses: those findings are what they are for.
	$(BIN)/bandit -q -r bench scripts -s B103,B108,B310,B311,B404,B603,B607

# --- Team habits: type checks, template lint, git hooks (CONTRIBUTING.md) ----------------------

# The modules held to type checking so far; add a module here once mypy passes on it.
TYPED := articles/services.py articles/querysets.py articles/importers/pipeline.py digest/ $(wildcard pagecache/*.py)

## make typecheck: mypy with django-stubs over $(TYPED)
typecheck: $(STAMP)
	$(BIN)/mypy $(TYPED)

## make lint-templates: djLint (profile django, lint only) over templates/
lint-templates: $(STAMP)
	$(BIN)/djlint templates --lint

## make hooks: run ruff, djLint, Django's checks and mypy before every commit (pre-commit)
hooks: $(STAMP)
	$(BIN)/pre-commit install
