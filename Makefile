# runbook: make start (the main job), make test (the whole suite), make bench (the figures).
SWIFT ?= swift
RUNBOOK := .build/release/runbook

.PHONY: deps build start test bench lint clean

deps:
	@./scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release --product runbook

## Opens a security incident from runbooks/security-incident.yaml and guides you through it.
start: build
	$(RUNBOOK) start security-incident

## Runs every test (unit, store conformance, end-to-end through the built binary).
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## Prints the benchmark table: each figure beside its reference, measured in the same run.
bench: deps
	$(SWIFT) build -c release --product runbook
	$(SWIFT) build -c release --product runbook-bench
	.build/release/runbook-bench

lint: build
	$(RUNBOOK) lint

clean:
	rm -rf .build
