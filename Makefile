# Developer targets for scaffold itself.

GO ?= go

.PHONY: demo test test-short bench install lint update-golden help

# The demo says from its first second what it does: on a cold machine the
# go command compiles the demo itself, then scaffold, for minutes before
# the demo can print anything of its own.
demo: ## Build the example gateway, scaffold a plugin for it, build it, and load it.
	@echo "demo: compiling the demo, then building scaffold, the example gateway and a plugin, and loading it; a first run on a cold machine takes minutes (the go command compiles the standard library and every module), later runs seconds"
	$(GO) run ./examples/demo

# The fuzzing run is bounded, and so is the minimizing of each new input,
# which would otherwise take most of the time. The bounds are counts of
# inputs, some 10 to 20 seconds' worth each: a bound in time races Go's
# fuzzing coordinator (go.dev/issue/75804, fixed in Go 1.27), which on a
# busy machine fails a target at its end with "context deadline exceeded"
# and no input to show for it.
#
# go test runs each package in a test binary of its own, two at a time on
# two cores, and -timeout bounds each binary. On two cores under a load
# average of 9 to 13, the slowest package took 474 s (cmd/scaffold/e2e/container,
# its builder image made from nothing included) and the others at most
# 429 s; the builder image alone has taken 15 minutes under a load of 16.
# 40m is five times that (three would do; an idle machine is faster),
# leaving room for a slow Debian mirror. The fuzzing runs keep go test's
# default of 10m, thirty times what they take.
test: ## Run every test, the end-to-end builds included, then fuzz the ELF, manifest and lock readers and the merge for a while.
	$(GO) test -timeout 40m ./...
	$(GO) test -run '^$$' -fuzz='^FuzzRead$$' -fuzztime=300000x -fuzzminimizetime=200x ./internal/artifact
	$(GO) test -run '^$$' -fuzz='^FuzzReadMapped$$' -fuzztime=100000x -fuzzminimizetime=200x ./internal/artifact
	$(GO) test -run '^$$' -fuzz='^FuzzParse$$' -fuzztime=100000x -fuzzminimizetime=200x ./internal/manifest
	$(GO) test -run '^$$' -fuzz='^FuzzParse$$' -fuzztime=60000x -fuzzminimizetime=200x ./internal/lock
	$(GO) test -run '^$$' -fuzz='^FuzzMerge$$' -fuzztime=200000x -fuzzminimizetime=200x ./internal/merge

test-short: ## Run the tests that build no example host or plugin.
	$(GO) test -short ./...

bench: ## Benchmark scaffold new (render+write, the go commands it runs), scaffold upgrade, the merge, scaffold check and scaffold manifest on a gateway-sized host.
	$(GO) test -run '^$$' -bench . -count 10 ./internal/generator ./internal/upgrade ./internal/merge ./internal/compat ./internal/release

install: ## Install scaffold into GOBIN, static (it needs no cgo).
	CGO_ENABLED=0 $(GO) install ./cmd/scaffold

# golangci-lint at the release the generated repositories pin too
# (internal/generator.GolangciLintVersion), through go run and the module
# proxy: the first run builds it, later ones take it from the build cache.
GOLANGCI_LINT_VERSION := v2.15.0
GOLANGCI_LINT ?= $(GO) run github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)

lint: ## gofmt, go vet, and golangci-lint's standard linters (.golangci.yml).
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...
	$(GOLANGCI_LINT) run ./...

update-golden: ## Rewrite the checked-in output: example go.sum files and manifests, examples/hello-world.
	$(GO) test ./internal/testbed -run TestExampleModules -update
	$(GO) test ./internal/release -run TestExampleManifests -update
	$(GO) test ./internal/generator -run TestHelloWorldExample -update

help: ## List the targets.
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
