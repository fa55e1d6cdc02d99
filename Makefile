# CoCreate: `make run` serves the site with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
APPS := cocreate citizens services proposals moderation opendata operators demo

.PHONY: run test lint format messages browser axe clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py seed_demo
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.dev browser axe
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the translation catalogues from the code, then compile them (needs GNU gettext).
# The catalogues of every language but English (settings.LANGUAGES; docs/languages.md).
LOCALES := id ms vi th ja ko zh_Hans
messages: $(VENV)/.dev
	DEBUG=1 $(BIN)/python manage.py makemessages $(foreach locale,$(LOCALES),--locale $(locale)) --no-obsolete --ignore '.venv/*' --ignore 'data/*' --ignore 'staticfiles/*' --ignore 'node_modules/*' --ignore 'bench/.lighthouse/*'
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore '.venv/*'

# Browser tests drive Debian's Chromium; install it where we can, otherwise they skip with a message.
browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
				|| echo "Could not install Chromium; browser tests will be skipped."; \
		else \
			echo "Chromium not found at $(CHROMIUM): install it (apt-get install chromium) to run the browser tests."; \
		fi; \
	fi

# The accessibility test injects axe-core (npm, pinned in package-lock.json) into each page.
axe:
	@if command -v npm >/dev/null; then \
		[ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; \
	else \
		echo "npm not found: install Node.js and npm to run the accessibility test."; \
	fi

clean:
	rm -rf $(VENV) data staticfiles node_modules .pytest_cache .ruff_cache
