# Kubaeum: `make run` starts the platform, `make test` runs the whole suite.
.PHONY: run test test-fast deps k8s lint format check bench

deps:
	@scripts/bootstrap.sh

k8s:
	@k8s/build.sh

run: deps k8s
	@scripts/run.sh

test: deps k8s
	@scripts/test.sh

# The tests that need no cluster, browser or worker process: seconds, not minutes.
test-fast: deps
	@scripts/test.sh --fast

lint: deps
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format: deps
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .
