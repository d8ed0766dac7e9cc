# dmsready — build, test, demo, benchmarks.
GO       ?= go
BIN      := bin/dmsready
FUZZTIME ?= 15s
PKGS     := ./...

.PHONY: all build install cross snapshot test test-short vet fmt-check lint demo bench fuzz docs node clean

# Linters, pinned and run with `go run`, so a fresh clone needs no global
# install and the product's go.mod stays lean (the first run builds them).
STATICCHECK   := honnef.co/go/tools/cmd/staticcheck@v0.8.2
GOLANGCI_LINT := github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v2.15.0

all: build

VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
COMMIT   ?= $(shell git rev-parse HEAD 2>/dev/null)
DATE     ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
CLI      := github.com/dmsready/dmsready/internal/cli
LDFLAGS  := -X $(CLI).version=$(VERSION) -X $(CLI).commit=$(COMMIT) -X $(CLI).buildDate=$(DATE)

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/dmsready

# Installs dmsready into $(go env GOBIN) (default ~/go/bin), stamped like build.
install:
	$(GO) install -ldflags "$(LDFLAGS)" ./cmd/dmsready

# Windows is a first-class target: the product and its tests must compile
# there (go vet type-checks the test files too).
cross:
	GOOS=windows GOARCH=amd64 $(GO) vet $(PKGS)
	GOOS=windows GOARCH=arm64 $(GO) build -o /dev/null ./cmd/dmsready
	GOOS=darwin GOARCH=arm64 $(GO) build -o /dev/null ./cmd/dmsready

# Release archives for Windows, macOS and Linux with checksums, as a
# snapshot (no tag needed, nothing published) in dist/. GoReleaser is pinned
# here and run with `go run`: it is not a dependency of dmsready's go.mod.
GORELEASER ?= github.com/goreleaser/goreleaser/v2@v2.15.1
snapshot:
	$(GO) run $(GORELEASER) release --snapshot --clean

# Azurite (the Azure Blob emulator the storage tests run against) comes from
# npm, pinned by package-lock.json; reinstalled only when the lockfile changes.
node: node_modules/.package-lock.json
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './node_modules/*')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

# The README's test command: formatting, vet, and every test with the race
# detector (collectors run concurrently).
test: node fmt-check vet
	$(GO) test -race -count=1 $(PKGS)

# staticcheck (staticcheck.conf) and golangci-lint (.golangci.yml).
lint:
	$(GO) run $(STATICCHECK) ./...
	$(GO) run $(GOLANGCI_LINT) run ./...

test-short: vet
	$(GO) test -short $(PKGS)

# A real `dmsready check` on the demo: backups from fixtures/demo/backups and
# a canned SQL Server 2016 source served on loopback by the project's own
# TDS test server (internal/demo; no external server). dmsready exits 1 here
# because the demo has blocking findings: that is its answer, so the target
# succeeds on 0 or 1 and fails on 2, 3, 4 or anything else.
demo: build
	@$(GO) build -o bin/rundemo ./internal/demo/rundemo
	@./bin/rundemo ./$(BIN) check --plan fixtures/demo/plan.yaml $(DEMOFLAGS); code=$$?; \
	echo; echo "dmsready exited $$code (0 ready, 1 blocking findings, 2 usage or plan error, 3 a source could not be collected, 4 incomplete)"; \
	case $$code in 0|1) ;; *) exit $$code ;; esac

docs:
	$(GO) test ./checks -run TestDocsUpToDate -update

# Benchmarks: speed and memory are measured here, never asserted in tests.
# One per row of docs/performance.md, each printing its ratio or rate:
#   BenchmarkRead (internal/backup)   headers/s decoded from memory
#   BenchmarkBrokenYear, ...Year50    s/build and cpu-s/build, broken year of 15-minute logs
#   BenchmarkChecksEstate             s/run, 100/300/1,000 databases x 100 backups
#   BenchmarkReadFacts                alloc/size and MB/s, a ~250 MB facts file
#   BenchmarkCheckFacts               s/run and cpu-s/run, check --facts end to end, 1,000 databases
#   BenchmarkLocalShare               x-floor, check --storage DIR (plain, a quarter compressed)
#   BenchmarkInspectShare             x-floor and peak heap, inspect DIR --format json
#   BenchmarkInventory10k             x-floor, 10,000 blobs in Azurite
# The share benchmarks write BENCH_FILES backups (10,000 by default, to keep
# this target short; BENCH_FILES=100000 is the issue's size). CPU seconds are
# reported next to wall time: on a shared machine wall time swings.
BENCH_FILES ?= 10000
bench: node
	$(GO) test -run '^$$' -bench . -benchmem ./internal/backup/... ./internal/restore/... ./internal/sqlsource/... ./report/...
	$(GO) test -run '^$$' -bench ChecksEstate -benchtime 1x -benchmem ./checks/
	$(GO) test -run '^$$' -bench ReadFacts -benchtime 1x -timeout 30m ./checks/facts/
	$(GO) test -run '^$$' -bench CheckFacts -benchtime 1x -benchmem -timeout 30m ./internal/cli/
	DMSREADY_BENCH_FILES=$(BENCH_FILES) $(GO) test -run '^$$' -bench 'LocalShare|CollectShare' -benchtime 3x -timeout 60m ./internal/storage/
	DMSREADY_BENCH_FILES=$(BENCH_FILES) $(GO) test -run '^$$' -bench InspectShare -benchtime 3x -timeout 60m ./internal/cli/
	$(GO) test -run '^$$' -bench Inventory10k -benchtime 1x -timeout 30m ./internal/storage/
	# Estate mode: 200 facts files of 50 databases each, evaluated and
	# reported as text, JSON and HTML (time and memory per run).
	$(GO) test -run '^$$' -bench Estate200x50 -benchtime 1x -benchmem -timeout 30m ./internal/estate/

# Brief fuzzing of every parser (CI runs this too). Minimising is bounded by
# a count, not a time: Go minimises every new-coverage input (byte by byte,
# then subsets: quadratic in its length) and reports no execs meanwhile, so on
# FuzzRead's 5-25 KB backups a 5s budget stalled the run (~100 execs/s in
# 10s); 500x keeps it at thousands/s. Crashers are still written, less cut.
fuzz:
	@$(GO) list -f '{{.ImportPath}} {{.Dir}}' ./... | while read pkg dir; do \
		for t in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go 2>/dev/null | sed 's/func //'); do \
			echo "fuzz $$pkg $$t ($(FUZZTIME))"; \
			for try in 1 2 3; do \
				$(GO) test $$pkg -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 500x >fuzz.out 2>&1; rc=$$?; cat fuzz.out; \
				[ $$rc -eq 0 ] && break; \
				if grep -q 'context deadline exceeded' fuzz.out && ! grep -q 'Failing input written' fuzz.out && [ $$try -lt 3 ]; then \
					echo "fuzz $$t: the run ended on Go's 'context deadline exceeded' with no failing input; again"; \
				else rm -f fuzz.out; exit 1; fi; \
			done; \
		done; \
	done; rc=$$?; rm -f fuzz.out; exit $$rc

clean:
	rm -rf bin dist
