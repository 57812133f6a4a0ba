# make report: set up and build the bundled sample into workbooks/output/
# make test:   set up and run the tests (LibreOffice is installed where possible, see scripts/setup-system.sh)
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: setup system report test sample clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

system:
	bash scripts/setup-system.sh

report: setup
	$(PY) -m rcm_tables build --published tests/published/report-2012

test: setup system
	$(PY) -m pytest

sample: setup
	$(PY) workbooks/generate_sample.py

clean:
	rm -rf workbooks/output
