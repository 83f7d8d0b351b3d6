# chidao — set-up and entry points. Every target installs what it needs into .venv first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
OUT    ?= out

export PREFECT_SERVER_ANALYTICS_ENABLED := false

.PHONY: demo test bench lint install

install: $(STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependency list changes.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The main job on the embedded default (SQLite and a temporary Prefect server under out/demo).
demo: $(STAMP)
	CHIDAO_HOME=$(OUT)/demo PREFECT_HOME=$(OUT)/prefect $(VENV)/bin/chidao demo

# pytest exits 5 when it collected no test: that must fail loudly, not pass.
test: $(STAMP)
	@$(PY) -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest: no tests ran — failing"; exit 1; fi; \
	exit $$rc

bench: $(STAMP)
	$(PY) bench/render.py
	$(PY) bench/cascade.py
	$(PY) bench/escalation.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
