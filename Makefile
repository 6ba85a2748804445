# Selfdirect: `make run` for the demo council, `make test` for the whole suite.
# Everything installs from committed lock files: uv.lock (Python) and package-lock.json (npm).

SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
DEMO_PEOPLE ?= 5000
DEMO_SEED ?= 2026

export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never
export UV_NO_PROGRESS := 1

.PHONY: run serve backup restore test test-fast bench lint migrations-check install install-dev assets e2e-deps clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# Runtime packages only; --inexact keeps dev packages a previous `make test` installed.
install: $(UV) assets
	@$(UV) sync --frozen --no-dev --inexact --quiet

install-dev: $(UV) assets
	@$(UV) sync --frozen --quiet

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# GOV.UK Frontend compiled with the council's branding, plus the scripts pages load.
STATIC_BUILD := static_build
assets: $(STATIC_BUILD)/.built

$(STATIC_BUILD)/.built: node_modules/.installed $(wildcard assets/scss/*.scss)
	@mkdir -p $(STATIC_BUILD)/css $(STATIC_BUILD)/js
	npx --no-install sass --no-source-map --style=compressed --quiet-deps --silence-deprecation=import \
		--load-path=node_modules/govuk-frontend/dist assets/scss/selfdirect.scss $(STATIC_BUILD)/css/selfdirect.css
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $(STATIC_BUILD)/js/
	cp node_modules/htmx.org/dist/htmx.min.js $(STATIC_BUILD)/js/
	@touch $@

# The demo: SQLite unless DATABASE_URL says otherwise, the demo council loaded once, then served.
run: install
	@$(PY) manage.py migrate --noinput -v0
	@$(PY) manage.py seed_demo --if-empty --people $(DEMO_PEOPLE) --seed $(DEMO_SEED)
	@$(PY) manage.py collectstatic --noinput -v0
	@$(PY) manage.py reap_tasks > /dev/null
	@SELFDIRECT_STAFF_OTP=$${SELFDIRECT_STAFF_OTP:-off} $(PY) manage.py demo_logins --url http://127.0.0.1:$(PORT)
	@# A background worker for calibration and model runs lives as long as the server does.
	@export SELFDIRECT_STAFF_OTP=$${SELFDIRECT_STAFF_OTP:-off}; \
	$(PY) manage.py db_worker --interval 1 --no-reload > var/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT) --noreload

# The production stack: gunicorn (2 x cores + 1 workers), the task worker(s) and the reaper,
# after migrations and collectstatic, against DATABASE_URL. SELFDIRECT_ENV=production applies
# the production settings (and refuses SQLite); without it, plain HTTP for trying it locally.
serve: install
	@$(PY) manage.py serve --host $(HOST) --port $(PORT)

# A PostgreSQL custom-format dump (or an SQLite online backup) in var/backups/.
backup: install
	@$(PY) manage.py backup

# Restore a backup into the database DATABASE_URL names (it asks before replacing anything).
restore: install
	@if [ -z "$(FILE)" ]; then echo "Usage: make restore FILE=var/backups/<backup file>"; exit 2; fi
	@$(PY) manage.py restore "$(FILE)"

# The whole suite, browser journeys included. pytest's exit code 5 means it collected
# nothing: that is a failure here (an empty suite proves nothing), reported as such.
test: install-dev
	@$(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: the suite is empty or mis-configured"; fi; \
	exit $$status

# Everything but the browser journeys: the quick loop while working.
test-fast: install-dev
	@$(PY) -m pytest -m "not e2e" $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: the suite is empty or mis-configured"; fi; \
	exit $$status

bench: install-dev
	$(PY) -m bench $(BENCH_ARGS)

lint: install-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(STATIC_BUILD) staticfiles .pytest_cache
