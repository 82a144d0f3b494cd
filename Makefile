# The two commands of the README: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test setup bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The bpmn.io bundles from npm into web/static/vendor, and the Flask-Babel catalogues (.po -> .mo)
setup: $(STAMP)
	scripts/build-assets
	@if find web/translations -name '*.po' 2>/dev/null | grep -q .; then \
	  $(BIN)/pybabel -q compile -d web/translations; fi

## Install, create or migrate the database, load the catalogue and serve on http://127.0.0.1:5000
run: setup
	$(BIN)/matterflow init
	$(BIN)/matterflow serve --host $${HOST:-127.0.0.1} --port $${PORT:-5000}

## The whole test suite, on SQLite and on PostgreSQL (started here if it is installed but down)
test: setup
	scripts/ensure-postgres
	scripts/ensure-browser
	$(BIN)/python -m pytest -n $${PYTEST_WORKERS:-auto} $(PYTEST_ARGS)

## Benchmarks (see bench/README.md)
bench: setup
	scripts/ensure-postgres
	$(BIN)/python bench/engine_vs_raw.py
	$(BIN)/python bench/sign_in_timing.py

clean:
	rm -rf $(VENV) instance .pytest_cache node_modules web/static/vendor
