# `make` sets everything up and builds the course; `make test` runs every check.
# Nothing needs installing by hand: the first run creates .venv/ from requirements.txt.

PYTHON ?= python3
VENV := .venv
BIN := $(abspath $(VENV))/bin
STAMP := $(VENV)/.installed
# nbgrader and Jupyter Book run helpers (alembic, jupyter) by name: use the venv's.
export PATH := $(BIN):$(PATH)

.PHONY: all setup exercises book test lint format clean

all: book
	@echo
	@echo "The student edition is built: open file://$(abspath _build/html/index.html)"

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -e .
	touch $@

exercises: $(STAMP)
	$(BIN)/python -m autograder release

book: exercises
	$(BIN)/jupyter-book build . -W --keep-going

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf _build
