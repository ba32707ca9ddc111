# Dastavard: everyday commands. `make` alone lists them.
#
# `make run` needs nothing but Python 3.11 (SQLite, local-memory cache, eager tasks).
# `make test` starts PostgreSQL, Redis, Elasticsearch and stripe-mock itself (scripts/services), runs every
# check and every test, and stops the services again, whatever happened.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Written after a successful `pip install`; newer requirements mean install again.
INSTALLED := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
# Where `make run` serves; `make sandbox` points the demo's Wagtail Site there so
# feeds, the sitemap and robots.txt name it.
PORT ?= 8000
PYTEST_ARGS ?=
# `make run` and `make sandbox` use the embedded defaults even in a shell that
# sourced var/services.env.
LOCAL := env -u DATABASE_URL -u REDIS_URL -u ELASTICSEARCH_URL DJANGO_SETTINGS_MODULE=marketplace.settings.local

export CI

.PHONY: help venv install run sandbox smoke test lint format migrations-check clean stack stack-stop stack-status stack-smoke

help: ## Display this help message
	@grep -E '^[a-zA-Z_-]+:.*?## .*$$' $(MAKEFILE_LIST) \
		| awk 'BEGIN {FS = ":.*?## "}; {printf "\033[36m%-18s\033[0m %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(INSTALLED): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

venv: $(BIN)/python ## Create .venv with python3.11 if it is missing

install: $(INSTALLED) ## Install requirements-dev.txt into .venv (again only when the requirements change)

# var/ (the SQLite database, media, private uploads) is not in git: a fresh clone
# has none, and SQLite will not create the folder of its database file.
run: sandbox ## Migrate, load the demo data and serve on http://127.0.0.1:8000 (SQLite, no services; PORT=8001 for another port)
	$(LOCAL) $(MANAGE) runserver 127.0.0.1:$(PORT)

# Each step says how long it took. SQLITE_FAST_SETUP=1 (settings/local.py): no
# fsync and an in-memory journal while setting up only; the server runs without.
sandbox: install ## Migrate and load the demo data into the local SQLite database
	mkdir -p var
	now() { echo "$${EPOCHREALTIME/[.,]/}"; }  # microseconds
	took() { local t=$$(( ($$(now) - $$2) / 100000 )); printf '==> %s took %d.%d s\n' "$$1" $$((t / 10)) $$((t % 10)); }
	start=$$(now)
	t=$$(now); $(LOCAL) SQLITE_FAST_SETUP=1 $(MANAGE) migrate --noinput; took migrate $$t
	t=$$(now); $(LOCAL) SQLITE_FAST_SETUP=1 $(MANAGE) seed_demo --site-address 127.0.0.1:$(PORT); took "the demo data (seed_demo)" $$t
	t=$$(now); $(LOCAL) SQLITE_FAST_SETUP=1 $(MANAGE) search_reindex --no-progress; took "the search index (search_reindex)" $$t
	took "make sandbox" $$start

# What `make run` does, with the server on a free port in the background: fetches
# the home page, a category, a product, a booth and the login page (each must be
# 200) and a wrong URL (our Persian 404), then stops the server. `.ci/run` runs it
# first, in a fresh clone, before `make test`.
smoke: sandbox ## `make run` end to end on a free port: key pages must answer 200, then stop
	$(LOCAL) $(BIN)/python scripts/smoke.py

# Every step runs even when an earlier one fails, so one run shows every problem;
# the exit code is pytest's if pytest failed, else 1 if a check failed. After the
# suite, scripts/date_matrix runs the tests marked `dates` again with the clock at
# fixed instants (Nowruz, 29/30 Esfand, midnight in Tehran). pytest's
# "no tests collected" (5) is a failure like any other. The services are stopped
# on every way out (trap).
test: install ## Start PostgreSQL + Redis + Elasticsearch + stripe-mock, run checks, lint and all tests (browser too), stop them
	@scripts/services start >/dev/null
	trap 'scripts/services stop' EXIT
	source var/services.env
	export DJANGO_SETTINGS_MODULE=marketplace.settings.test
	failed=()
	step() { printf '\n==> %s\n' "$$*"; "$$@"; }
	step $(MANAGE) check || failed+=("manage.py check")
	step $(MANAGE) makemigrations --check --dry-run || failed+=("makemigrations --check")
	step $(MANAGE) migrations_lint || failed+=("migrations_lint (expand/contract, docs/OPERATIONS.md)")
	step $(BIN)/ruff check . || failed+=("ruff check")
	step $(BIN)/ruff format --check . || failed+=("ruff format --check")
	step $(BIN)/lint-imports --no-logo || failed+=("lint-imports (docs/ARCHITECTURE.md layers)")
	status=0
	step $(BIN)/pytest $(PYTEST_ARGS) || status=$$?
	if (( status != 0 )); then failed+=("pytest (exit $$status)"); fi
	step scripts/date_matrix || failed+=("scripts/date_matrix (the dates tests at fixed instants)")
	if (( $${#failed[@]} )); then
		printf 'make test: FAILED: %s\n' "$${failed[@]}" >&2
		exit $$(( status != 0 ? status : 1 ))
	fi
	echo "make test: all checks and tests passed"

lint: install ## ruff check, ruff format --check, the import layers (lint-imports), and migrations safe before the new code
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo
	$(LOCAL) $(MANAGE) migrations_lint

format: install ## Fix what ruff can fix (imports, upgrades) and format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install ## Fail if a model change has no migration
	$(LOCAL) $(MANAGE) makemigrations --check --dry-run

# The production stack on this machine (deploy/: nginx with TLS, two gunicorn
# app servers, a Celery worker and one beat), on the services of
# scripts/services; docs/OPERATIONS.md.
stack: install ## Start nginx (TLS) + 2 gunicorn app servers + Celery worker and beat from deploy/, on free ports
	scripts/stack start

# Starts the stack, puts it through its paces over HTTPS, stops it (always).
stack-smoke: install ## `make stack`, then a journey through nginx over HTTPS across both app servers, then stop
	$(BIN)/python scripts/stack_smoke.py

stack-stop: ## Stop everything `make stack` started
	scripts/stack stop

stack-status: ## What `make stack` runs
	scripts/stack status

clean: ## Stop the test services; delete caches, test media and screenshots
	scripts/services stop
	rm -rf .pytest_cache .ruff_cache .import_linter_cache var/test-media var/screenshots var/staticfiles
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

# Not part of `make test`. It keeps its own PostgreSQL data in var/bench/pgdata
# (seeded once) and never touches the services of `make test`; see bench/README.md.
QUICK ?=
BENCH_INSTALLED := $(VENV)/.installed-bench
.PHONY: bench bench-weight

$(BENCH_INSTALLED): requirements-bench.txt $(INSTALLED)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $@

bench: $(BENCH_INSTALLED) ## Load the key pages with wrk under gunicorn (100,000 products; QUICK=1: 2,000, 5 s a page), then weigh them; writes docs/BENCHMARKS.md, docs/PAGE_WEIGHT.md; then search and the staff reports
	$(BIN)/python bench/run.py $(if $(QUICK),--quick)
	$(BIN)/python bench/orders_bench.py $(if $(QUICK),--quick)
	$(BIN)/python bench/search_bench.py $(if $(QUICK),--quick)
	$(BIN)/python bench/reports_bench.py $(if $(QUICK),--quick)
	$(BIN)/python bench/weight.py

# The page-weight step alone: its own server, or URL=http://127.0.0.1:8000 (`make run`).
bench-weight: install ## Bytes a first visit transfers (home, category, product, panel) against the budget
	$(BIN)/python bench/weight.py $(if $(URL),--url $(URL))

# `make test` is one shell script (trap, arrays), so each recipe runs in one shell.
.ONESHELL:
