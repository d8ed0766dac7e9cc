# dmsready — build, test, demo, benchmarks.
GO       ?= go
BIN      := bin/dmsready
FUZZTIME ?= 15s
PKGS     := ./...

.PHONY: all build install test test-short vet fmt-check demo bench fuzz docs node clean

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

test-short: vet
	$(GO) test -short $(PKGS)

# A real `dmsready check` on the embedded demo (no server needed). dmsready
# exits 1 here because the demo has blocking findings.
demo: build
	@./$(BIN) check --plan fixtures/demo/plan.yaml; code=$$?; \
	echo; echo "dmsready exited $$code (0 ready, 1 blocking findings, 2 usage or plan error, 3 a source could not be collected, 4 incomplete)"; \
	exit $$code

docs:
	$(GO) test ./checks -run TestDocsUpToDate -update

# Benchmarks: speed and memory are measured here, never asserted in tests.
# The storage benchmark uploads 10,000 backups to Azurite, then compares a
# full inventory (list + headers + checks) with a bare list-and-read floor.
bench: node
	$(GO) test -run '^$$' -bench . -benchmem ./internal/backup/... ./internal/restore/... ./internal/sqlsource/... ./report/...
	$(GO) test -run '^$$' -bench Inventory10k -benchtime 1x -timeout 30m ./internal/storage/

# Brief fuzzing of every parser (CI runs this too).
fuzz:
	@$(GO) list -f '{{.ImportPath}} {{.Dir}}' ./... | while read pkg dir; do \
		for t in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go 2>/dev/null | sed 's/func //'); do \
			echo "fuzz $$pkg $$t ($(FUZZTIME))"; \
			$(GO) test $$pkg -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 5s || exit 1; \
		done; \
	done

clean:
	rm -rf bin
