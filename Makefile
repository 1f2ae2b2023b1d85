# make run  : set up everything (venv, packages, database, demo data) and serve on http://127.0.0.1:8000
# make test : set up everything and run ruff, the migrations check and every test
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

E2E_DEPS := tests/e2e/node_modules/axe-core/axe.min.js

.PHONY: install run test lint bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install
	DJANGO_DEBUG=1 $(PY) manage.py migrate --no-input
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

lint: install
	$(VENV)/bin/ruff check .
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

# axe-core (accessibility checks in the browser tests) comes from the npm registry.
$(E2E_DEPS): tests/e2e/package-lock.json
	@if command -v npm >/dev/null; then cd tests/e2e && npm ci --no-audit --no-fund --silent; \
	else echo "npm not found: the browser tests will skip their accessibility checks"; fi

test: lint $(E2E_DEPS)
	DJANGO_SECRET_KEY=test-only-secret DJANGO_FAST_PASSWORD_HASHER=1 $(VENV)/bin/pytest -n 2

bench: install
	DJANGO_SECRET_KEY=bench-only-secret DJANGO_FAST_PASSWORD_HASHER=1 $(PY) tests/benchmarks/run.py --markdown docs/performance-latest.md

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
