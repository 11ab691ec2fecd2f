# The two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed
# `make run PORT=8080 HOST=0.0.0.0` serves elsewhere.
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install run test lint format translations db-upgrade demo clean

install: $(STAMP) translations

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# Compiled catalogues are build products: made at install, never committed.
translations: $(STAMP)
	$(BIN)/pybabel compile -d app/translations

db-upgrade: install
	$(FLASK) db upgrade

demo: db-upgrade
	$(FLASK) demo load

# The web server in the foreground and one job consumer (Huey, queue in instance/) beside it;
# Ctrl-C (or the end of the server) stops the consumer too.
run: demo
	@trap 'kill $$consumer 2>/dev/null; wait $$consumer 2>/dev/null' EXIT INT TERM; \
	$(BIN)/huey_consumer app.worker.huey --workers 1 --worker-type thread --max-delay 1 & consumer=$$!; \
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Refresh the catalogues after changing user-visible text (msgids are Vietnamese).
extract: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o app/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) instance/app.db* instance/jobs-queue.db*
