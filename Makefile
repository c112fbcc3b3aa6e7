# `make run` serves the demo network; `make test` is lint + migrations check + the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_MEMBERS ?= 2000
PYTEST_ARGS ?= -n auto

.PHONY: run test lint format install clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $@

install: $(BIN)/.installed

run: $(BIN)/.installed
	LINKWELL_HTTPS=off LINKWELL_REQUIRE_EMAIL_CONFIRMATION=off $(BIN)/linkwell migrate --noinput
	LINKWELL_HTTPS=off $(BIN)/linkwell seed --if-empty --members $(DEMO_MEMBERS) --seed 1
	LINKWELL_HTTPS=off $(BIN)/linkwell graph_snapshot
	LINKWELL_HTTPS=off LINKWELL_REQUIRE_EMAIL_CONFIRMATION=off $(BIN)/linkwell serve --host $(HOST) --port $(PORT)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	LINKWELL_HTTPS=off $(BIN)/linkwell makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS) -rs

format: $(BIN)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var staticfiles
