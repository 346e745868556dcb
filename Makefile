# The two commands that work on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup run test test-slow lint bench clean

setup: $(STAMP)

# Re-installs only when the project metadata changes; pip takes torch from this machine's disk.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

run: setup
	$(VENV)/bin/torchdesk

test: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

test-slow: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m slow

lint: setup
	$(VENV)/bin/ruff check backend gui tests
	$(VENV)/bin/ruff format --check backend gui tests

bench: setup
	$(PY) tests/benchmarks/bench_engine_overhead.py
	$(PY) tests/benchmarks/bench_data_path.py

clean:
	rm -rf build dist *.egg-info
