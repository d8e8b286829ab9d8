# `make` sets everything up and builds the course; `make test` runs every check; `make check`
# is the inner loop: lint and the fast tier (tests/unit), in under two minutes.
# Nothing needs installing by hand: the first run creates .venv/ from requirements.txt.

PYTHON ?= python3
VENV := .venv
BIN := $(abspath $(VENV))/bin
STAMP := $(VENV)/.installed
# nbgrader and Jupyter Book run helpers (alembic, jupyter) by name: use the venv's.
export PATH := $(BIN):$(PATH)

# Debian packages that tests drive for real: bubblewrap (the grading sandbox), chromium and
# its driver (the browser tests), PostgreSQL (a gradebook in a real database server).
SYSTEM_PACKAGES := bubblewrap chromium chromium-driver postgresql

.PHONY: all setup system exercises book book-instructor books check test lint format clean benchmark

all: book
	@echo
	@echo "The student edition is built: open file://$(abspath _build/html/index.html)"

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -e .
	touch $@

# Installs the missing SYSTEM_PACKAGES with apt-get when it can (as root); otherwise says so,
# and the tests that need them fail with that reason.
system:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian packages:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
		echo "missing Debian packages: $$missing; install them with: sudo apt-get install $$missing"; \
	fi

exercises: $(STAMP)
	$(BIN)/python -m autograder release

# The student edition, into _build/html: exercises unexecuted, no solution. Warnings are errors.
book: exercises
	$(BIN)/jupyter-book build . -W --keep-going

# The instructor edition, into _build/instructor/html: the same pages with the source notebooks
# of solutions/ executed. Its _config.yml and _toc.yml are derived from the student edition's.
book-instructor: exercises
	$(BIN)/python -m editions instructor

books: book book-instructor

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The fast tier: pure pieces on made-up inputs, no kernel, book, browser or server.
check: lint
	$(BIN)/python -m pytest tests/unit

# Both tiers: tests/unit, then tests/e2e (real kernels, nbgrader batches, both books in
# Chromium, PostgreSQL, Dask). What CI runs.
test: lint system
	$(BIN)/python -m pytest tests/unit tests/e2e

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf _build

# Grading speed against stock nbgrader, measured in the same run, chapter 6's training speed
# against its matrix products, scikit-learn and PyTorch, and the grading service under a deadline
# rush against `grade` (not part of `make test`). PyTorch's CPU build goes into .venv only here
# (benchmarks/requirements.txt): the course does not need it.
benchmark: $(STAMP) system
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r benchmarks/requirements.txt
	$(BIN)/python benchmarks/grading.py $(BENCHMARK_ARGS)
	$(BIN)/python benchmarks/grading.py --assignment ch6_mnist_multiclass --submissions 40
	$(BIN)/python benchmarks/report.py
	$(BIN)/python benchmarks/training.py
	$(BIN)/python benchmarks/service.py
