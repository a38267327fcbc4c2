# Kubaeum: `make run` starts the platform, `make test` runs the whole suite.
.PHONY: run test deps k8s lint format bench

deps:
	@scripts/bootstrap.sh

k8s:
	@k8s/build.sh

run: deps k8s
	@scripts/run.sh

test: deps k8s
	@scripts/test.sh

lint: deps
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format: deps
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .
