# The two commands of the README: `make run` and `make test`. Everything else is theirs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Development only: production sets its own secret (the settings refuse to start without one).
export DJANGO_SECRET_KEY ?= dev-only-insecure-key-do-not-use-in-production

VNU_VERSION := 26.9.27
VNU_JAR := var/node/node_modules/vnu-jar/build/dist/vnu.jar

.PHONY: run test install test-tools setup-db lint format bench-serve manage

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# Debian's Chromium for the Playwright browser tests (Playwright's own download is not
# used), a Java runtime for the Nu Html Checker, poppler-utils (pdftoppm, pdftotext)
# to look at the article PDFs, and Varnish with varnish-modules (xkey) for the HTTP
# cache check. WeasyPrint itself runs on Debian's Pango (libpango-1.0-0).
test-tools:
	@command -v chromium >/dev/null && command -v java >/dev/null && command -v pdftoppm >/dev/null \
		&& command -v varnishd >/dev/null && dpkg -s varnish-modules >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		$$SUDO apt-get install -y -qq chromium default-jre-headless poppler-utils \
			varnish varnish-modules >/dev/null; }

# The Nu Html Checker (W3C's HTML validator), from the npm registry.
$(VNU_JAR):
	mkdir -p var/node
	cd var/node && npm install --silent --no-audit --no-fund vnu-jar@$(VNU_VERSION)

setup-db: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_municipalities
	$(PY) manage.py import_seeds
	$(PY) manage.py ensure_dev_admin

# The web server and, beside it, the task worker (imports started in the admin,
# relinking places); stopping one (Ctrl-C) stops both.
run: setup-db
	@echo "Site: http://$(HOST):$(PORT)/  Redaktion: http://$(HOST):$(PORT)/admin/"
	@DJANGO_DEBUG=1 $(PY) manage.py db_worker & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# Any management command with the project's environment: make manage ARGS="import_seeds -v 2"
manage: install
	$(PY) manage.py $(ARGS)

test: install test-tools $(VNU_JAR)
	$(PY) -m pytest -n 2 --dist loadgroup -q

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The serving benchmark (gunicorn + wrk, both databases, 1,000 and 100,000 articles).
bench-serve: install
	@command -v wrk >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get install -y -qq wrk >/dev/null; }
	$(PY) bench/serve.py
