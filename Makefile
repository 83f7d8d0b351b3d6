# chidao — set-up and entry points. Every target installs what it needs into .venv first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
# Every package at the version the suite was last run with (make lock refreshes it).
LOCK   := requirements.lock
OUT    ?= out

export PREFECT_SERVER_ANALYTICS_ENABLED := false

.PHONY: demo test bench lint install serve browser lock

install: $(STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)

# Install exactly the locked versions; reinstall only when the dependency list or the lock changes.
$(STAMP): pyproject.toml $(LOCK) | $(PY)
	$(PY) -m pip install --quiet -c $(LOCK) pip
	$(PY) -m pip install --quiet -c $(LOCK) -e '.[dev]'
	touch $(STAMP)

# Deliberately move to the newest releases pyproject.toml allows: resolve in a throwaway venv and
# write the lock. Run `make test` before committing the new lock.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip
	.lock-venv/bin/pip install --quiet -e '.[dev]'
	.lock-venv/bin/pip freeze --all --exclude-editable | grep -v '^chidao' > $(LOCK)
	rm -rf .lock-venv
	@echo "$(LOCK) refreshed; run make test before committing it"

# The main job on the embedded default (SQLite and a temporary Prefect server under out/demo).
demo: $(STAMP)
	@mkdir -p $(OUT)/prefect  # Prefect makes its home, but not the folders above it
	CHIDAO_HOME=$(OUT)/demo PREFECT_HOME=$(OUT)/prefect $(VENV)/bin/chidao demo

# The office set-up: Prefect server on PostgreSQL, process pool, workers, deployments (README).
PORT    ?= 4200
WORKERS ?= 2
serve: $(STAMP)
	$(VENV)/bin/chidao serve --home $(OUT)/office --port $(PORT) --workers $(WORKERS)

# Debian's chromium and chromedriver for the UI test (tests/test_office.py). Best effort: where
# they cannot be installed (not root, no apt), that one test skips and says why.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing chromium and chromium-driver for the UI test"; \
	    DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -q chromium chromium-driver >/dev/null \
	    || (timeout 300 apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -q chromium chromium-driver >/dev/null) \
	    || echo "chromium could not be installed: the UI test will skip"; \
	  else echo "chromium is not installed and cannot be here: the UI test will skip"; fi; \
	fi

# pytest exits 5 when it collected no test: that must fail loudly, not pass.
# Two workers, a test file each at a time (files share fixtures): the suite waits on Prefect,
# PostgreSQL and subprocesses more than on the CPU. The 40 slowest tests are listed.
test: $(STAMP) browser
	@$(PY) -m pytest -n 2 --dist loadfile --durations=40; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest: no tests ran — failing"; exit 1; fi; \
	exit $$rc

bench: $(STAMP)
	$(PY) bench/render.py
	$(PY) bench/cascade.py
	$(PY) bench/escalation.py
	$(PY) bench/scale_out.py
	$(PY) bench/import_accuracy.py
	$(PY) bench/portal.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
