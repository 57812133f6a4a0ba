# make report: install rcm-tables and its runtime dependencies only, and build the bundled sample into
#              workbooks/output/ (workbook, CSVs, the report document in English and Spanish)
# make test:   also install the test tools, and run every test on every core (pytest-xdist; LibreOffice is installed
#              where possible, see scripts/setup-system.sh)
# make test-fast: the inner loop: every test but the slow ones (LibreOffice, notebooks, 50 MB export), on every core
# make constraints: write constraints.txt, the versions of the environment the tests just passed in
# make bench:  the benchmark (python -m dev.bench) on a synthetic history, results in benchmarks/RESULTS.md; BENCH_YEARS=2 BENCH_REPEAT=1 for a quick run
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SUM := $(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
STAMP := $(VENV)/.installed-run-$(SUM)
TEST_STAMP := $(VENV)/.installed-test-$(SUM)
# The versions the tests passed with (make constraints), for the Python version they were made with (another
# Python may lack wheels of them: numpy 2.4 needs 3.11): pip then picks no other version of a package it lists.
# CONSTRAINTS= (empty) installs the newest versions instead.
PYVER := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
CONSTRAINTS ?= $(if $(shell grep -E -q '^\# Python $(PYVER)([.: ]|$$)' constraints.txt 2>/dev/null && echo y),-c constraints.txt,)

BENCH_YEARS ?= 10
BENCH_LINES ?= 2000
BENCH_REPEAT ?= 5

.PHONY: setup setup-test system report test test-fast notebooks sample clean bench constraints

setup: $(STAMP)

setup-test: $(TEST_STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "rcm-tables needs Python 3.11 or newer (pandas 3); $(VENV) has " + sys.version.split()[0] + ": remove $(VENV) and run make again with PYTHON=python3.12 (or another 3.11+)")'
	$(PY) -m pip install --quiet $(CONSTRAINTS) -e .
	$(PY) -m compileall -q rcm_tables  # bytecode, as a wheel install has: no module compiled again at each start
	rm -f $(VENV)/.installed-run-* && touch $@

$(TEST_STAMP): $(STAMP)
	$(PY) -m pip install --quiet $(CONSTRAINTS) -e '.[test]'
	rm -f $(VENV)/.installed-test-* && touch $@

system:
	bash scripts/setup-system.sh

report: setup
	$(PY) -m rcm_tables build --published tests/published/report-2012 \
	  --docx workbooks/output/rcm-report.docx --lang en,es

# -n auto: a worker per core; --dist loadgroup: the LibreOffice tests (xdist_group "libreoffice") share one worker
test: setup-test system
	$(PY) -m pytest -n auto --dist loadgroup

test-fast: setup-test
	$(PY) -m pytest -m 'not slow' -n auto --dist loadgroup -q

constraints: setup-test
	$(PY) -m pip install --quiet -e '.[test,notebooks,bench]'
	{ echo "# Python $$($(PY) -c 'import platform; print(platform.python_version())'): the versions rcm-tables' tests passed with (make constraints)."; \
	  echo "# pip install -c constraints.txt ... installs these; rcm-tables verify names the versions that differ."; \
	  $(PY) -m pip freeze --exclude-editable --all | grep -v -i -E '^(pip|rcm-tables)=='; } > constraints.txt

# Executed copies of the notebooks (against the sample; 03 compares with the published 2012 report), as .ipynb and
# HTML (the classic template, which writes each chart's alt text), in workbooks/output/notebooks/
notebooks: setup-test
	mkdir -p workbooks/output/notebooks
	for nb in rcm_tables/notebooks/*.ipynb; do \
	  name=$$(basename $$nb .ipynb); params=""; \
	  [ $$name = 03_audit_trail ] && params="-p published $(CURDIR)/tests/published/report-2012"; \
	  $(PY) -m papermill --no-progress-bar --cwd rcm_tables/notebooks -k python3 $$params $$nb workbooks/output/notebooks/$$name.ipynb \
	    && $(PY) -m jupyter nbconvert --log-level WARN --to html --template classic workbooks/output/notebooks/$$name.ipynb \
	    || exit 1; \
	done

bench: setup
	$(PY) -c "import pyinstrument" 2>/dev/null || $(PY) -m pip install --quiet -e '.[bench]'
	$(PY) -m dev.bench --years $(BENCH_YEARS) --lines $(BENCH_LINES) --repeat $(BENCH_REPEAT)
	$(PY) -m dev.bench_formats --years 1 --lines $(BENCH_LINES) --repeat $(BENCH_REPEAT)

sample: setup
	$(PY) -m dev.sample

clean:
	rm -rf workbooks/output
