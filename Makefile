# LAPOR Desk — the two commands: `make run` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench dist clean venv translations

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "LAPOR Desk needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,dev,server]'
	@touch $(STAMP)

venv: $(STAMP)

translations: $(STAMP)
	$(PY) -m tools.i18n release

run: $(STAMP) translations
	$(VENV)/bin/lapor-desk

# Two pytest-xdist workers, one per core of the CI machine (each with its own PostgreSQL, servers and temp
# folders); `make test TEST_WORKERS=0` runs everything in one process. The 15 slowest tests are listed at the end, to
# see where the suite's time goes in a CI log.
TEST_WORKERS ?= 2
test: $(STAMP) translations
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest -q -n $(TEST_WORKERS) --durations=15

lint: $(STAMP)
	$(VENV)/bin/ruff check app ui sync server demo tests bench
	$(VENV)/bin/mypy

bench: $(STAMP)
	$(PY) -m bench

# The one-folder build (build.spec), its smoke test, then the archive to copy to the PCs: dist/lapor-desk-VERSION-
# linux-x86_64.tar.gz (the Windows build and its .zip: docs/INSTALL.md). `dist/lapor-desk/lapor-desk selftest` walks
# the window in the bundle (CI runs it).
dist: $(STAMP) translations
	$(VENV)/bin/pyinstaller --noconfirm build.spec
	$(PY) packaging/smoke_test.py dist/lapor-desk
	$(PY) packaging/archive.py dist/lapor-desk

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
