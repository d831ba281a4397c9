# `make demo` and `make test` do all the set-up on a fresh clone (Python 3.11+ and network access
# to the package index at install time; nothing is downloaded at run time).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO := projects/img-return-migration
REVIEWER ?= alice

.PHONY: demo test install bench bench-import bench-agreement clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

install: $(VENV)/.installed

## Build the demo project's database from its sources if missing, then open the workbench on it.
demo: install
	test -f $(DEMO)/project.db || $(BIN)/workbench build $(DEMO)
	$(BIN)/workbench open $(DEMO) --reviewer $(REVIEWER)

## Install with the test extras and run every test.
test: install
	$(BIN)/pytest -q

## Timings and memory at realistic sizes (see benchmarks/README.md).
bench: install
	$(BIN)/python benchmarks/run.py

## Import speed: 10,000 plain-text files against the qualitative-coding package (installed into
## benchmarks/.qc-venv on first use), and 50,000 RIS records (see benchmarks/README.md).
bench-import: install
	$(BIN)/python benchmarks/imports.py

## Agreement between reviewers: each unit mode over 3 reviewers x 100,000 codings, against the
## krippendorff package's time on the same sentence matrix (see benchmarks/README.md).
bench-agreement: install
	$(BIN)/python benchmarks/agreement.py

clean:
	rm -rf $(VENV) benchmarks/.qc-venv $(DEMO)/project.db $(DEMO)/project.db-wal $(DEMO)/project.db-shm
