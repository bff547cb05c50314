# jb: build, test, demo, bench, install. `make help` lists the targets.
SWIFT      ?= swift
PREFIX     ?= /usr/local
CONFIG     ?= release
BIN_DEBUG   = $(shell $(SWIFT) build --show-bin-path 2>/dev/null)
BIN_RELEASE = $(shell $(SWIFT) build -c release --show-bin-path 2>/dev/null)

.PHONY: help deps version build release test golden demo bench fuzz fmt lint install clean

help:
	@echo "make deps     check (and on Debian install) what the build needs"
	@echo "make build    debug build of every tool"
	@echo "make test     build and run all unit and end-to-end tests"
	@echo "make golden   re-record the golden end-to-end files (review the diff!)"
	@echo "make demo     build, then run pipelines/demo.yaml on examples/ with the simulated models"
	@echo "make bench    release build, then print throughput and memory figures"
	@echo "make fuzz     feed every tool generated hostile input for FUZZ_SECONDS (default 600), then the linear-time checks"
	@echo "make fmt      format the Swift sources in place with swift-format (.swift-format)"
	@echo "make lint     list what swift-format would change or flags (exits 0; FORMAT_STRICT=1 fails on findings)"
	@echo "make install  install the tools into \$$PREFIX/bin (default /usr/local)"

deps:
	@./scripts/deps.sh

# The git commit being built, for every tool's --version and run.json (git-ignored header).
version:
	@./scripts/build-info.sh

build: deps version
	$(SWIFT) build

release: deps version
	$(SWIFT) build -c release

# Tests run in parallel (Swift Testing runs up to twice the cores' number of test cases at
# once; SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=N changes that). A suite that runs the
# tools carries the `.tools` trait (Tests/JBTestSupport/ToolTests.swift): its tests wait for
# tools on threads of their own, never on the shared pool the in-process fake servers answer
# on, and each gets its own home folder. Suites that start a server or share one stay
# `.serialized` inside. The tests also start a private PostgreSQL server and run GNU
# parallel: deps.sh --test installs Debian's postgresql and parallel when missing (as root),
# else those tests skip.
test: deps version
	@./scripts/deps.sh --test
	$(SWIFT) build --build-tests
	JB_BIN_DIR="$(BIN_DEBUG)" $(SWIFT) test --skip-build

golden: deps version
	$(SWIFT) build --build-tests
	JB_RECORD=1 JB_BIN_DIR="$(BIN_DEBUG)" $(SWIFT) test --skip-build --no-parallel --filter GoldenTests

# The demo uses the debug build that `make test` also uses: on 2 cores it builds in a fraction
# of a release build's time, and 42 questions need no optimiser.
demo: build
	@./scripts/demo.sh "$(BIN_DEBUG)"

bench: release
	@./scripts/bench.sh "$(BIN_RELEASE)"

# Hostile input against the debug build (Swift traps on overflow there as in release):
# `make fuzz FUZZ_SECONDS=60 FUZZ_SEED=7`. Failing cases are kept in /tmp/jb-fuzz-failures.
FUZZ_SECONDS ?= 600
fuzz: build
	python3 scripts/fuzz.py --bin "$(BIN_DEBUG)" --seconds $(FUZZ_SECONDS) $(if $(FUZZ_SEED),--seed $(FUZZ_SEED))
	python3 scripts/fuzz.py --bin "$(BIN_DEBUG)" --linear

# swift-format ships with the Swift 6 toolchain (`swift format`); the house settings are in
# .swift-format (4-space indent, 140 columns, trailing commas in multi-line collections).
FORMAT_PATHS = Package.swift Sources Tests
fmt:
	$(SWIFT) format format --in-place --recursive --parallel $(FORMAT_PATHS)

lint:
	$(SWIFT) format lint --recursive --parallel $(if $(FORMAT_STRICT),--strict) $(FORMAT_PATHS)

install: release
	install -d "$(DESTDIR)$(PREFIX)/bin"
	install -m 0755 $(addprefix $(BIN_RELEASE)/,jb jb-ingest jb-sample jb-query jb-grade jb-metrics jb-report jb-models jb-store) "$(DESTDIR)$(PREFIX)/bin/"

clean:
	rm -rf .build runs bench-out
