# economic_sync: the two commands (see README.rst). Everything runs through tools/harness.py.
PYTHON ?= python3

.PHONY: demo test demo-stop sandbox bench bench-client bench-sync env lint

## Set up everything (virtualenv, PostgreSQL, sandbox, database) and serve Odoo on :8069.
demo:
	$(PYTHON) tools/harness.py demo

## Run the whole suite: pure tier always, Odoo tier when Odoo 18 is available.
test:
	$(PYTHON) tools/harness.py test

## Stop the demo's sandbox and PostgreSQL.
demo-stop:
	$(PYTHON) tools/harness.py demo-stop

## Run the e-conomic sandbox alone (demo seed) in the foreground.
sandbox:
	$(PYTHON) -m economic_sandbox --seed demo

## Benchmark: pull 50,000 customers through the client beside a bare requests loop.
bench: bench-client
bench-client:
	$$($(PYTHON) tools/harness.py venv-python) tools/bench_client.py --customers 50000

## Benchmark: the partner sync (10,000 customers x 2 contacts) on a throwaway database.
## Options go to tools/bench_sync.py: make bench-sync BENCH_ARGS="--customers 2000"
BENCH_ARGS ?=
bench-sync:
	$(PYTHON) tools/harness.py bench-sync $(BENCH_ARGS)

## What the harness finds on this machine.
env:
	$(PYTHON) tools/harness.py env

## Ruff and pylint-odoo's mandatory checks (the pre-commit checks, offline).
lint:
	PY=$$($(PYTHON) tools/harness.py venv-python) && \
	$$PY -m ruff check --no-fix . && $$PY -m ruff format --check . && \
	TMP=$$(mktemp -d) && ln -s "$(CURDIR)" "$$TMP/economic_sync" && \
	BRIDGES=$$(cd bridges && ls) && for b in $$BRIDGES; do ln -s "$(CURDIR)/bridges/$$b" "$$TMP/$$b"; done && \
	(cd "$$TMP" && $$PY -m pylint --rcfile="$(CURDIR)/.pylintrc-mandatory" economic_sync $$BRIDGES); \
	rc=$$?; rm -rf "$$TMP"; exit $$rc
