# One entry point for chores. Needs only python3 (3.11+) and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Nothing calls out at run time: Prefect telemetry off, Prefect's home inside the project.
export PREFECT_HOME := $(CURDIR)/.prefect
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1

.PHONY: setup demo test check bench lock clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

setup: $(STAMP)

# The demo's pseudonym key is for the bundled synthetic sample only: set your own for real data.
demo: setup
	SAPHAN_PSEUDONYM_KEY=$${SAPHAN_PSEUDONYM_KEY:-saphan-demo-key-for-synthetic-data-only} \
	$(BIN)/saphan run --rosters data/sample/rosters --poverty data/sample/poverty --out data/out

test: setup
	$(BIN)/pytest -q

check: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: setup
	$(BIN)/python -m benchmarks.run_all

# Re-resolve the lock from pyproject.toml (needs the package registry).
lock:
	rm -rf /tmp/saphan-lock && $(PYTHON) -m venv /tmp/saphan-lock
	/tmp/saphan-lock/bin/pip install --quiet -e '.[dev]'
	(echo "# Locked environment for saphan (runtime + dev tools). Regenerate: make lock"; \
	 /tmp/saphan-lock/bin/pip freeze --all --exclude-editable | grep -v '^pip==') > requirements.lock

clean:
	rm -rf $(VENV) data/out .prefect
