# The two commands that work on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup run test test-slow lint bench bench-scale clean bundle bundle-test translations translations-update gpu-check test-dist

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
# Two workers (pytest-xdist): the suite keeps within its 10 minutes on a 2-core machine.
GUARD := $(shell command -v timeout >/dev/null && echo "timeout -k 30 2400")
test: setup
	QT_QPA_PLATFORM=offscreen $(GUARD) $(PY) -m pytest -q -n 2

test-slow: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m slow

# Several processes (torchrun launched by TorchDesk, gloo on the CPU): CLI, two "nodes" on localhost, the GUI path.
test-dist: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m slow tests/backend/test_launch_runs.py tests/gui/test_child_run.py

# The CUDA paths on this machine's GPU (< 8 min on an H200): one PASS/FAIL line per check; without CUDA, SKIP.
gpu-check: setup
	$(PY) tools/gpu_check.py

# ruff, and the layers of pyproject.toml's [tool.importlinter] (gui > backend; cli > artifacts > engine > ... > core).
lint: setup
	$(VENV)/bin/ruff check backend gui tests tools
	$(VENV)/bin/ruff format --check backend gui tests tools
	$(VENV)/bin/lint-imports

# Every benchmark runs and prints its ratios; the target fails at the end if any missed its target.
bench: setup
	@status=0; \
	$(PY) tests/benchmarks/bench_engine_overhead.py || status=1; \
	$(PY) tests/benchmarks/bench_data_path.py || status=1; \
	QT_QPA_PLATFORM=offscreen $(PY) tests/benchmarks/bench_gui_latency.py || status=1; \
	exit $$status

# Image folders of 10k, 50k and 200k images (32x32, 128x128) against the seeds' pipeline: about 35 minutes and
# up to 20 GB of disk at a time (a size that does not fit is skipped, and said so); SIZES=10k,50k runs a
# subset, SCALE_DIR=/big/disk generates the folders there (default: a temporary folder). Not part of `make bench`.
SIZES ?= 10k,50k,200k
SCALE_DIR ?=
bench-scale: setup
	$(PY) tests/benchmarks/bench_data_scale.py --sizes $(SIZES) $(if $(SCALE_DIR),--workdir $(SCALE_DIR))

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
