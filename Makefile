# `make run` serves the demo network; `make test` is lint + migrations check + the whole suite;
# `make bench` runs a benchmark. Each installs only what it needs into .venv.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_MEMBERS ?= 2000
PYTEST_ARGS ?= -n auto
BENCH ?= graph --members 100000

.PHONY: run test bench lint format install clean messages catalogues

# One stamp per set of packages: the runtime, the test tools (dev), the benchmark peers (bench).
# A new top-level package (its __init__.py) needs the editable install redone, as pyproject does.
$(BIN)/.runtime: pyproject.toml $(wildcard */__init__.py)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(BIN)/.dev: $(BIN)/.runtime
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

$(BIN)/.bench: $(BIN)/.runtime
	$(BIN)/pip install --quiet -e '.[bench]'
	touch $@

install: $(BIN)/.dev catalogues

# The German (and any other) catalogue compiled in pure Python: no GNU gettext needed to run.
catalogues: $(BIN)/.runtime
	$(BIN)/linkwell compile_catalogues

# After marking strings: extract them into locale/*/LC_MESSAGES/django.po (needs xgettext).
messages: $(BIN)/.runtime
	$(BIN)/linkwell update_catalogues

run: $(BIN)/.runtime catalogues
	LINKWELL_HTTPS=off LINKWELL_REQUIRE_EMAIL_CONFIRMATION=off $(BIN)/linkwell migrate --noinput
	LINKWELL_HTTPS=off $(BIN)/linkwell seed --if-empty --members $(DEMO_MEMBERS) --seed 1
	LINKWELL_HTTPS=off $(BIN)/linkwell graph_snapshot
	HOST=$(HOST) PORT=$(PORT) LINKWELL_HTTPS=off LINKWELL_REQUIRE_EMAIL_CONFIRMATION=off \
		$(BIN)/linkwell serve --host $(HOST) --port $(PORT)

lint: $(BIN)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache --no-logo

test: lint catalogues
	LINKWELL_HTTPS=off $(BIN)/linkwell makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS) -rs

# `make bench BENCH="graph --members 1000000 --json"`; `linkwell bench graph --help` lists options.
bench: $(BIN)/.bench
	$(BIN)/linkwell bench $(BENCH)

format: $(BIN)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var staticfiles
