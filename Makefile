# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test lint runtime setup load bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The runtime alone for `make run` and `make serve`; the development tools (tests, lint,
# benchmarks, synthetic data) for everything else.
$(VENV)/.runtime: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

runtime: $(VENV)/.runtime
setup: $(VENV)/.dev

run: runtime
	$(BIN)/python manage.py migrate --noinput
	@# Only new or changed files; a conflict (exit status 3) keeps the edit and is reported
	@# above, and the server starts all the same.
	$(BIN)/python manage.py import_article --only-changed fixtures/*.json || [ $$? -eq 3 ]
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The production server: DEBUG off, static files collected (hashed, compressed), migrations
# applied, then gunicorn as calais/gunicorn.conf.py says. Refuses to start without SECRET_KEY.
serve: runtime
	DEBUG=0 $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DEBUG=0 $(BIN)/python manage.py migrate --noinput --verbosity 0
	DEBUG=0 HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn --config calais/gunicorn.conf.py

# Tests on every core (TEST_WORKERS=0 for one process); each worker has its own test database.
TEST_WORKERS ?= auto
test: setup
	$(BIN)/python -m pytest --numprocesses $(TEST_WORKERS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

# Load test of `make serve`: 50 clients for 30 s; .ci/run runs a short form.
LOAD_CLIENTS ?= 50
LOAD_SECONDS ?= 30
load: setup
	$(BIN)/python -m bench.load_serve --clients $(LOAD_CLIENTS) --duration $(LOAD_SECONDS)

# Benchmark against Datasette on the same synthetic data, on SQLite and on a scratch PostgreSQL
# database that it creates and drops (BENCH_ARGS=--no-postgresql for SQLite alone); writes
# docs/benchmarks.md.
BENCH_EVENTS ?= 100000
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/calais_bench
bench: setup
	$(BIN)/python -m bench.compare --events $(BENCH_EVENTS) \
		--postgresql-url $(BENCH_DATABASE_URL) $(BENCH_ARGS)
