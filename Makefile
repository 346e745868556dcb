# The two commands that work on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup run test test-slow lint bench clean bundle bundle-test translations translations-update

setup: $(STAMP) translations

# Interface languages: the .ts sources are in git, the compiled .qm files are built here.
TS := resources/translations/torchdesk_zh_CN.ts
QM := $(TS:.ts=.qm)
translations: $(QM)
resources/translations/%.qm: resources/translations/%.ts $(STAMP)
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

# After adding tr() strings or engine text: collect them into the .ts, then translate them
# (pyside6-linguist). The engine's strings reach lupdate through a generated file (gui/backend_text.py).
ENGINE_STRINGS := build/backend_strings.py
translations-update: $(STAMP)
	$(PY) -m gui.backend_text $(ENGINE_STRINGS)
	$(VENV)/bin/pyside6-lupdate -no-obsolete $$(find gui -name '*.py' | sort) $(ENGINE_STRINGS) -ts $(TS)

# Re-installs only when the project metadata changes; pip takes torch from this machine's disk.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

run: setup
	$(VENV)/bin/torchdesk

# A last guard for CI: pytest-timeout ends a stuck test, this ends a stuck interpreter exit.
GUARD := $(shell command -v timeout >/dev/null && echo "timeout -k 30 2400")
test: setup
	QT_QPA_PLATFORM=offscreen $(GUARD) $(PY) -m pytest -q

test-slow: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m slow

# ruff, and the layers of pyproject.toml's [tool.importlinter] (gui > backend; cli > artifacts > engine > ... > core).
lint: setup
	$(VENV)/bin/ruff check backend gui tests
	$(VENV)/bin/ruff format --check backend gui tests
	$(VENV)/bin/lint-imports

# Every benchmark runs and prints its ratios; the target fails at the end if any missed its target.
bench: setup
	@status=0; \
	$(PY) tests/benchmarks/bench_engine_overhead.py || status=1; \
	$(PY) tests/benchmarks/bench_data_path.py || status=1; \
	QT_QPA_PLATFORM=offscreen $(PY) tests/benchmarks/bench_gui_latency.py || status=1; \
	exit $$status

# The double-click app: a PyInstaller onedir bundle in dist/TorchDesk/ (minutes, 4.4 GB; see README "Packaging").
bundle: setup
	$(PY) -m pip install -q -e '.[bundle]'
	$(VENV)/bin/pyinstaller --noconfirm --clean build.spec

# Runs the built bundle's own end-to-end check offscreen; fails if any step fails.
bundle-test:
	test -x dist/TorchDesk/TorchDesk || { echo "no bundle: run 'make bundle' first"; exit 1; }
	QT_QPA_PLATFORM=offscreen timeout 900 dist/TorchDesk/TorchDesk --self-test

clean:
	rm -rf build dist *.egg-info
