# runbook: make start (the main job), make test (the whole suite), make bench (the figures).
SWIFT ?= swift
# Release builds link the Swift runtime statically (with the toolchain's lld): every command starts
# ~3 ms sooner than with the shared runtime, which matters for a CLI run once per action.
RELEASE := -c release --static-swift-stdlib -Xswiftc -use-ld=lld
RUNBOOK := .build/release/runbook

.PHONY: deps build start test bench lint clean

deps:
	@./scripts/install-deps.sh

build: deps
	$(SWIFT) build $(RELEASE) --product runbook

## Opens a security incident from runbooks/security-incident.yaml and guides you through it.
start: build
	$(RUNBOOK) start security-incident

## Runs every test (unit, store conformance, end-to-end through the built binary). One at a time: the
## end-to-end tests wait on real processes, and on two cores they would starve the timing-sensitive
## command-runner tests of threads; serial, the suite takes about 30 s.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --no-parallel

## Prints the benchmark table: each figure beside its reference, measured in the same run.
bench: deps
	$(SWIFT) build $(RELEASE) --product runbook
	$(SWIFT) build $(RELEASE) --product runbook-bench
	.build/release/runbook-bench

lint: build
	$(RUNBOOK) lint

clean:
	rm -rf .build
