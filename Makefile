# runbook: make start (the main job), make test (the whole suite), make bench (the figures).
SWIFT ?= swift
# Release builds link the Swift runtime statically (with the toolchain's lld): every command starts
# ~3 ms sooner than with the shared runtime, which matters for a CLI run once per action. They also link libstdc++,
# SQLite and libyaml from the static archives of their -dev packages (STATIC_LIBS, searched before the system's
# shared libraries), so `runbook` loads nothing but libc, libm and libgcc_s: `status` starts 2.5 ms sooner (11.4 ms →
# 9.0 ms, 3.0 M fewer instructions, mostly the dynamic loader relocating libstdc++). A security fix to SQLite then
# reaches runbook with its next build, as one to the Swift runtime or swift-crypto's BoringSSL already does.
STATIC_LIBS := .build/static-libs
RELEASE := -c release --static-swift-stdlib -Xswiftc -use-ld=lld -Xlinker -L$(CURDIR)/$(STATIC_LIBS)
RUNBOOK := .build/release/runbook

.PHONY: deps build server start test bench fuzz fuzz-merge lint clean example server-screenshot \
	install install-files uninstall deb deb-files

deps:
	@./scripts/install-deps.sh
	@mkdir -p $(STATIC_LIBS) && for lib in libstdc++.a libsqlite3.a libyaml.a; do \
	  path=$$($(TOOLCHAIN)/bin/clang -print-file-name=$$lib) && [ -f "$$path" ] \
	    || { echo "make: $$lib not found (libstdc++-12-dev, libsqlite3-dev, libyaml-dev: make deps installs them)" >&2; exit 1; }; \
	  ln -sfn "$$path" $(STATIC_LIBS)/$$lib; done

build: deps
	$(SWIFT) build $(RELEASE) --product runbook

## The team server's binary (`runbook serve` runs it from beside `runbook`): kept out of `build`, so that the main
## job does not wait for the networking libraries to compile.
server: deps
	$(SWIFT) build $(RELEASE) --product runbook
	$(SWIFT) build $(RELEASE) --product runbook-server

## Installs runbook under PREFIX (default /usr/local; DESTDIR=STAGE puts the same tree into a staging folder, as
## `make deb` does): builds the release binaries (`server`) and the man page generator, then `install-files`.
## `sudo make install-files` installs, without building, what an earlier `make install` or `make deb` built.
install: server
	$(SWIFT) build $(RELEASE) --product generate-manual
	$(MAKE) --no-print-directory install-files

PREFIX ?= /usr/local
DESTDIR ?=
## Where install-files takes the built binaries and the man page generator from.
BUILT ?= .build/release
GENERATE_MANUAL ?= $(BUILT)/generate-manual
BINDIR := $(PREFIX)/bin
DATADIR := $(PREFIX)/share
UNITDIR := $(PREFIX)/lib/systemd/system
RUNBOOK_FILES := $(sort $(wildcard runbooks/*))
COMPLETIONS := $(DATADIR)/bash-completion/completions/runbook $(DATADIR)/zsh/site-functions/_runbook \
	$(DATADIR)/fish/vendor_completions.d/runbook.fish
UNITS := runbook-watch.service runbook-serve.service
INSTALL_WORK := .build/install-work
## The man page's date: the last commit's (the same page from the same tree), else today.
MAN_DATE ?= $(shell git log -1 --format=%cs 2>/dev/null | grep . || date +%F)

## Installs what `install` built, without building (so it also runs against existing binaries):
## - bin/runbook and bin/runbook-server, 0755, stripped (60 MB and 185 MB become 24 MB and 89 MB; a crash's backtrace
##   then shows addresses without function names). `runbook serve` and PostgreSQL URLs run runbook-server from beside
##   runbook, so the two stay together.
## - share/runbook/runbooks: the shipped runbooks, 0644, that `runbook init DIR` copies (from BINDIR/../share/runbook).
## - the bash, zsh and fish completions, printed by the installed runbook itself.
## - share/man/man1/runbook.1.gz, generated from the installed runbook's command definitions by swift-argument-parser's
##   generate-manual (the tool its generate-manual plugin runs: the plugin itself rebuilds every product of the package,
##   runbook-bench included, in a configuration without these static-runtime flags, then documents those builds, not the
##   binaries installed here). Blank lines in the generated mdoc become .Pp: groff warns about each one. gzip -9n as
##   Debian does; man reads both.
## - lib/systemd/system/runbook-watch.service and runbook-serve.service from packaging/*.service.in, ExecStart naming
##   $(BINDIR). systemd reads /usr/local/lib/systemd/system and /usr/lib/systemd/system; for another PREFIX, add them
##   with `systemctl link`. The units run in group ops: `groupadd --system ops` (the .deb does it).
## Not /etc/default/runbook (the units' optional EnvironmentFile): make install writes under PREFIX only, and could
## not keep an administrator's edits on the next install as dpkg keeps a conffile's; the .deb ships it
## (packaging/default-runbook, to copy by hand otherwise).
install-files:
	@for file in $(BUILT)/runbook $(BUILT)/runbook-server $(GENERATE_MANUAL); do \
	  test -x $$file || { echo "make install-files: no $$file; make install builds it" >&2; exit 1; }; done
	rm -rf $(INSTALL_WORK)
	mkdir -p $(INSTALL_WORK)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/runbook/runbooks $(DESTDIR)$(DATADIR)/man/man1 \
	  $(sort $(dir $(addprefix $(DESTDIR),$(COMPLETIONS)))) $(DESTDIR)$(UNITDIR)
	install -m 0755 -s $(BUILT)/runbook $(BUILT)/runbook-server $(DESTDIR)$(BINDIR)/
	install -m 0644 $(RUNBOOK_FILES) $(DESTDIR)$(DATADIR)/runbook/runbooks/
	$(DESTDIR)$(BINDIR)/runbook --generate-completion-script bash > $(INSTALL_WORK)/runbook.bash
	$(DESTDIR)$(BINDIR)/runbook --generate-completion-script zsh > $(INSTALL_WORK)/runbook.zsh
	$(DESTDIR)$(BINDIR)/runbook --generate-completion-script fish > $(INSTALL_WORK)/runbook.fish
	install -m 0644 $(INSTALL_WORK)/runbook.bash $(DESTDIR)$(word 1,$(COMPLETIONS))
	install -m 0644 $(INSTALL_WORK)/runbook.zsh $(DESTDIR)$(word 2,$(COMPLETIONS))
	install -m 0644 $(INSTALL_WORK)/runbook.fish $(DESTDIR)$(word 3,$(COMPLETIONS))
	$(GENERATE_MANUAL) $(DESTDIR)$(BINDIR)/runbook --date $(MAN_DATE) --output-directory $(INSTALL_WORK)
	sed 's/^$$/.Pp/' $(INSTALL_WORK)/runbook.1 > $(INSTALL_WORK)/runbook.1.pp
	gzip -9n -c $(INSTALL_WORK)/runbook.1.pp > $(INSTALL_WORK)/runbook.1.gz
	install -m 0644 $(INSTALL_WORK)/runbook.1.gz $(DESTDIR)$(DATADIR)/man/man1/runbook.1.gz
	for unit in $(UNITS); do \
	  sed 's|@BINDIR@|$(BINDIR)|g' packaging/$$unit.in > $(INSTALL_WORK)/$$unit || exit 1; \
	  install -m 0644 $(INSTALL_WORK)/$$unit $(DESTDIR)$(UNITDIR)/$$unit || exit 1; \
	done
	rm -rf $(INSTALL_WORK)

## Removes what install-files installs under PREFIX (same PREFIX and DESTDIR), and share/runbook once empty; nothing
## else (a runbook added to share/runbook/runbooks by hand keeps the folder). Running units are not stopped.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/runbook $(DESTDIR)$(BINDIR)/runbook-server \
	  $(addprefix $(DESTDIR)$(DATADIR)/runbook/runbooks/,$(notdir $(RUNBOOK_FILES))) \
	  $(addprefix $(DESTDIR),$(COMPLETIONS)) $(DESTDIR)$(DATADIR)/man/man1/runbook.1.gz \
	  $(addprefix $(DESTDIR)$(UNITDIR)/,$(UNITS))
	@for dir in $(DESTDIR)$(DATADIR)/runbook/runbooks $(DESTDIR)$(DATADIR)/runbook; do \
	  if [ -d $$dir ]; then rmdir $$dir 2>/dev/null || echo "make uninstall: kept $$dir: it holds files make install did not put there"; fi; \
	done

## The Debian package, .build/deb/runbook_VERSION_ARCH.deb (its path is printed): builds as `install` does, then
## `deb-files`.
deb: server
	$(SWIFT) build $(RELEASE) --product generate-manual
	$(MAKE) --no-print-directory deb-files

## Makes the .deb from what is built, without building: stages `install-files PREFIX=/usr` into .build/deb/root, adds
## /etc/default/runbook (a conffile), then packaging/deb/build.sh writes DEBIAN/ (control with Depends computed by
## dpkg-shlibdeps, conffiles, postinst, prerm, postrm) and runs dpkg-deb --root-owner-group.
DEB_DIR := .build/deb
deb-files:
	rm -rf $(DEB_DIR)/root
	$(MAKE) --no-print-directory install-files DESTDIR=$(abspath $(DEB_DIR)/root) PREFIX=/usr
	install -D -m 0644 packaging/default-runbook $(DEB_DIR)/root/etc/default/runbook
	@packaging/deb/build.sh $(DEB_DIR)/root $(DEB_DIR)

## Opens a security incident from runbooks/security-incident.yaml and guides you through it.
start: build
	$(RUNBOOK) start security-incident

## Runs every test (unit, store conformance, end-to-end through the built binary), the PostgreSQL ones against a
## throwaway cluster started for them and stopped after, whatever the outcome (scripts/postgres.sh), then the OpenAPI check of the
## running server (Tests/API/check_openapi.sh: schemathesis, at most CHECK_OPENAPI_MAX_TIME seconds, default 120),
## then the headless-browser check of the HTML reports (below), then the packaging check (Tests/Install/check_install.sh:
## make install into a temporary PREFIX, make uninstall, the .deb built, installed, used and purged; it needs root and the
## release binaries, which it builds). One at a time: the
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
	@start=$$(date +%s); status=0; \
	  { $(SWIFT) build $(RELEASE) --product runbook && $(SWIFT) build $(RELEASE) --product runbook-server \
	    && $(SWIFT) build $(RELEASE) --product generate-manual; } || status=$$?; \
	  echo "make test: release build for the packaging check took $$(( $$(date +%s) - start )) s"; exit $$status
	@start=$$(date +%s); status=0; Tests/Install/check_install.sh .build/release || status=$$?; \
	  echo "make test: packaging check took $$(( $$(date +%s) - start )) s"; exit $$status

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
