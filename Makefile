# make report: set up and build the bundled sample into workbooks/output/ (workbook, CSVs, the report document in English and Spanish)
# make test:   set up and run the tests (LibreOffice is installed where possible, see scripts/setup-system.sh)
# make test-fast: the inner loop: every test but the slow ones (LibreOffice, notebooks, 50 MB export), on every core
# make bench:  the benchmark (python -m dev.bench) on a synthetic history, results in benchmarks/RESULTS.md; BENCH_YEARS=2 BENCH_REPEAT=1 for a quick run
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

BENCH_YEARS ?= 10
BENCH_LINES ?= 2000
BENCH_REPEAT ?= 3

.PHONY: setup system report test test-fast notebooks sample clean bench

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

system:
	bash scripts/setup-system.sh

report: setup
	$(PY) -m rcm_tables build --published tests/published/report-2012 \
	  --docx workbooks/output/rcm-report.docx --lang en,es

test: setup system
	$(PY) -m pytest

test-fast: setup
	$(PY) -m pytest -m 'not slow' -n auto -q

# Executed copies of the notebooks (against the sample; 03 compares with the published 2012 report), as .ipynb and
# HTML (the classic template, which writes each chart's alt text), in workbooks/output/notebooks/
notebooks: setup
	mkdir -p workbooks/output/notebooks
	for nb in notebooks/*.ipynb; do \
	  name=$$(basename $$nb .ipynb); params=""; \
	  [ $$name = 03_audit_trail ] && params="-p published ../tests/published/report-2012"; \
	  $(PY) -m papermill --no-progress-bar --cwd notebooks -k python3 $$params $$nb workbooks/output/notebooks/$$name.ipynb \
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
