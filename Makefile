# The two commands a newcomer needs: `make run` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# uv installs the pinned set in seconds; plain pip is the fallback if uv cannot be had.
INSTALL = $(BIN)/python -m uv pip install --python $(BIN)/python -q -r $(1) \
	|| $(BIN)/pip install -q -r $(1)
PYTEST_ARGS ?= -n 2
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test lint format bench clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip uv || true

$(VENV)/.run-installed: requirements.txt | $(BIN)/python
	$(call INSTALL,requirements.txt)
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt | $(BIN)/python
	$(call INSTALL,requirements-dev.txt)
	touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
	./scripts/run.sh

test: $(VENV)/.dev-installed
	./scripts/ensure-browser.sh
	DEBUG=true $(BIN)/python manage.py compile_catalogues
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.dev-installed
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var
