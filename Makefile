# Kubaeum: `make run` starts the platform, `make test` runs the whole suite.
.PHONY: run test test-fast deps k8s kind lint format check bench

deps:
	@scripts/bootstrap.sh

k8s:
	@k8s/build.sh

# The Docker engine (the user's, or a private one), the kind CLI, node image and lab images,
# built offline from source; stamped, so a second run does nothing.
kind: deps k8s
	@containers/build.sh

# run and test use kind when Docker works; without Docker they say so and use kwok.
run: deps k8s
	@containers/build.sh --if-docker
	@scripts/run.sh

# test builds the kind images itself, beside the tests that need no container (scripts/test.sh).
test: deps k8s
	@scripts/test.sh

# The tests that need no cluster, browser or worker process: seconds, not minutes.
test-fast: deps
	@scripts/test.sh --fast

lint: deps
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format: deps
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .
