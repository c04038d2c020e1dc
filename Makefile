# runbook: make start (the main job), make test (the whole suite), make bench (the figures).
SWIFT ?= swift
# Release builds link the Swift runtime statically (with the toolchain's lld): every command starts
# ~3 ms sooner than with the shared runtime, which matters for a CLI run once per action.
RELEASE := -c release --static-swift-stdlib -Xswiftc -use-ld=lld
RUNBOOK := .build/release/runbook

.PHONY: deps build server start test bench fuzz fuzz-merge lint clean example server-screenshot

deps:
	@./scripts/install-deps.sh

build: deps
	$(SWIFT) build $(RELEASE) --product runbook

## The team server's binary (`runbook serve` runs it from beside `runbook`): kept out of `build`, so that the main
## job does not wait for the networking libraries to compile.
server: deps
	$(SWIFT) build $(RELEASE) --product runbook
	$(SWIFT) build $(RELEASE) --product runbook-server

## Opens a security incident from runbooks/security-incident.yaml and guides you through it.
start: build
	$(RUNBOOK) start security-incident

## Runs every test (unit, store conformance, end-to-end through the built binary), the PostgreSQL ones against a
## throwaway cluster started for them and stopped after, whatever the outcome (scripts/postgres.sh), then the OpenAPI check of the
## running server (Tests/API/check_openapi.sh: schemathesis, at most CHECK_OPENAPI_MAX_TIME seconds, default 120),
## then the headless-browser check of the HTML reports (below). One at a time: the
## end-to-end tests wait on real processes, and on two cores they would starve the timing-sensitive
## command-runner tests of threads; serial, the suite takes about 30 s.
test: deps
	@start=$$(date +%s); status=0; $(SWIFT) build --build-tests || status=$$?; \
	  echo "make test: build took $$(( $$(date +%s) - start )) s"; exit $$status
	@start=$$(date +%s); status=0; cluster=$$(scripts/postgres.sh start) || exit 1; \
	  trap 'scripts/postgres.sh stop "$$cluster"' EXIT; \
	  RUNBOOK_TEST_POSTGRES=$$(scripts/postgres.sh url "$$cluster") $(SWIFT) test --skip-build --no-parallel || status=$$?; \
	  echo "make test: tests took $$(( $$(date +%s) - start )) s"; exit $$status
	@start=$$(date +%s); status=0; Tests/API/check_openapi.sh .build/debug/runbook-server || status=$$?; \
	  echo "make test: OpenAPI check took $$(( $$(date +%s) - start )) s"; exit $$status
	@start=$$(date +%s); status=0; $(BROWSER_PYTHON) Tests/Browser/check_report.py $(BROWSER_REPORTS) || status=$$?; \
	  echo "make test: browser check took $$(( $$(date +%s) - start )) s"; exit $$status
	@start=$$(date +%s); status=0; $(BROWSER_PYTHON) Tests/Browser/test_server.py || status=$$?; \
	  echo "make test: web page check took $$(( $$(date +%s) - start )) s"; exit $$status

## The browser check (Tests/Browser/check_report.py, headless Debian chromium driven by Playwright from the venv
## `make deps` makes): in the golden incident's HTML report (re-recorded by the suite's snapshot test) and the
## README's example, every SVG label lies inside its SVG and no table cell's text overflows it. Then the web page
## (Tests/Browser/test_server.py): two browser sessions against the built `runbook-server`, live updates included.
BROWSER_PYTHON := .build-browser/venv/bin/python
BROWSER_REPORTS := Tests/RunbookCoreTests/Snapshots/postmortem.html docs/postmortem-example.html

## Re-takes docs/server-incident-page.png (the README's web page) from a scripted incident against the built server.
server-screenshot: deps
	$(SWIFT) build --product runbook
	$(SWIFT) build --product runbook-server
	$(BROWSER_PYTHON) Tests/Browser/server_screenshot.py

## Re-renders docs/postmortem-example.{md,html,png} from a scripted drill run by the built binary (see the script).
example: deps
	$(SWIFT) build --product runbook
	./scripts/make-example.sh .build/debug/runbook

## Prints the benchmark table: each figure beside its reference, measured in the same run (BENCH_GROUPS="postgres"
## runs one group; the PostgreSQL rows run against a durable throwaway cluster started for them).
bench: deps
	$(SWIFT) build $(RELEASE) --product runbook
	$(SWIFT) build $(RELEASE) --product runbook-server
	$(SWIFT) build $(RELEASE) --product runbook-bench
	@cluster=$$(scripts/postgres.sh start --durable) || exit 1; trap 'scripts/postgres.sh stop "$$cluster"' EXIT; \
	  RUNBOOK_BENCH_POSTGRES=$$(scripts/postgres.sh url "$$cluster") .build/release/runbook-bench $(BENCH_GROUPS)

## Builds the libFuzzer targets (Fuzz/) with the address sanitizer in .build-fuzz, then runs each for
## FUZZ_SECONDS (default 120) from the committed corpus (Tests/Fuzz/Corpus/TARGET); new inputs go to
## .build-fuzz/corpus/TARGET, a crash to .build-fuzz/artifacts/ (and fails the run).
FUZZ_SECONDS ?= 120
FUZZ_TARGETS := fuzz-yaml fuzz-runbook fuzz-json fuzz-event
TOOLCHAIN := $(abspath $(dir $(realpath $(shell command -v $(SWIFT))))/..)
FUZZER_LIB := $(firstword $(wildcard $(TOOLCHAIN)/lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a))
FUZZ_BUILD := -c release --scratch-path .build-fuzz -Xswiftc -use-ld=lld -Xswiftc -sanitize=address \
	-Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp \
	-Xlinker $(FUZZER_LIB) -Xlinker -lstdc++
FUZZ_RUN := -timeout=10 -print_final_stats=1

fuzz: deps
	@test -n "$(FUZZER_LIB)" || { echo "error: no libclang_rt.fuzzer_no_main-x86_64.a under $(TOOLCHAIN)/lib/clang" >&2; exit 1; }
	@start=$$(date +%s); \
	for target in $(FUZZ_TARGETS); do RUNBOOK_FUZZ=1 $(SWIFT) build $(FUZZ_BUILD) --product $$target || exit 1; done; \
	echo "make fuzz: build took $$(( $$(date +%s) - start )) s"
	@mkdir -p .build-fuzz/artifacts
	@for target in $(FUZZ_TARGETS); do \
	  mkdir -p .build-fuzz/corpus/$$target; \
	  echo "make fuzz: $$target for $(FUZZ_SECONDS) s"; start=$$(date +%s); \
	  SWIFT_BACKTRACE=enable=no .build-fuzz/release/$$target $(FUZZ_RUN) -max_total_time=$(FUZZ_SECONDS) \
	    -artifact_prefix=.build-fuzz/artifacts/$$target- .build-fuzz/corpus/$$target Tests/Fuzz/Corpus/$$target || exit 1; \
	  echo "make fuzz: $$target took $$(( $$(date +%s) - start )) s, no crash"; \
	done

## Merges what `make fuzz` found into the committed corpus, keeping only inputs that add coverage.
fuzz-merge:
	for target in $(FUZZ_TARGETS); do \
	  SWIFT_BACKTRACE=enable=no .build-fuzz/release/$$target -merge=1 Tests/Fuzz/Corpus/$$target .build-fuzz/corpus/$$target || exit 1; \
	done

lint: build
	$(RUNBOOK) lint

clean:
	rm -rf .build .build-fuzz
