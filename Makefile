# otelcol-mistral. The two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

GO        ?= go
BUILDER   := $(GO) tool -modfile=internal/tools/builder/go.mod builder
DIST      := _build/otelcol-mistral
BIN       := _build/bin
FUZZTIME  ?= 5000x
DEMO_VERBOSITY ?= basic
ROUNDS    ?= 6
# Generated files whose drift `make check-generated` detects.
GENERATED = find receiver processor extension -type f \( -name 'generated_*' -o -name documentation.md -o -path '*/internal/metadata/testdata/*' \) | sort

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

.PHONY: run
run: build ## build the distribution and run it with config.yaml (MISTRAL_API_KEY optional)
	$(DIST) --config=config.yaml --config=genai-metrics.yaml

.PHONY: demo
demo: build $(BIN)/fakemistral $(BIN)/genaitraffic $(BIN)/mistraltop ## no key, no internet: fake La Plateforme + distribution + traffic + Prometheus, live summary (DEMO_VERBOSITY=detailed logs every span)
	deploy/prometheus/install-prometheus.sh >/dev/null || echo "demo: cannot install Prometheus; running without alerts"
	DEMO_VERBOSITY=$(DEMO_VERBOSITY) scripts/demo.sh

# The live one-screen summary of a running collector (make run, make demo, any distribution).
METRICS    ?= http://127.0.0.1:8889/metrics
PROMETHEUS ?=
.PHONY: summary
summary: $(BIN)/mistraltop ## live summary of a running collector's /metrics (METRICS=url, PROMETHEUS=url for alerts)
	$(BIN)/mistraltop -metrics $(METRICS) $(if $(PROMETHEUS),-prometheus $(PROMETHEUS))

.PHONY: test
test: vet check-tidy test-unit check-generated fuzz test-rules test-k8s test-bench test-e2e test-image ## everything CI runs
	@echo "make test: all checks passed"

.PHONY: build
build: $(DIST) ## build the distribution with ocb into _build/

# ocb regenerates _build and compiles; Go's build cache keeps a rebuild after a change to our code at a few seconds.
$(DIST): builder-config.yaml go.mod go.sum $(shell find receiver processor extension internal -name '*.go' -not -name '*_test.go' 2>/dev/null)
	$(BUILDER) --config=builder-config.yaml
	@touch $@

$(BIN)/%: FORCE
	$(GO) build -o $@ ./cmd/$*

.PHONY: FORCE
FORCE:

.PHONY: generate
generate: ## regenerate all mdatagen code and docs
	$(GO) generate ./receiver/... ./processor/... ./extension/...

.PHONY: check-generated
check-generated: ## fail when `make generate` changes a generated file
	@before=$$($(GENERATED) | xargs sha256sum); \
	$(MAKE) --no-print-directory generate >/dev/null; \
	after=$$($(GENERATED) | xargs sha256sum); \
	if [ "$$before" != "$$after" ]; then \
	  echo "generated code is stale; run 'make generate' and commit:"; \
	  diff <(echo "$$before") <(echo "$$after") || true; exit 1; fi; \
	echo "generated code is up to date"

.PHONY: vet
vet: ## gofmt and go vet
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './_build/*')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags e2e ./e2e/...

.PHONY: check-tidy
check-tidy: ## fail when `go mod tidy` would change a go.mod or go.sum (every module of the repository)
	@fail=0; for dir in $$( (git ls-files go.mod '*/go.mod' 2>/dev/null || find . -name go.mod -not -path './_build/*') | xargs -n1 dirname); do \
	  if ! out=$$(cd $$dir && $(GO) mod tidy -diff 2>&1); then \
	    echo "go mod tidy would change $$dir/go.mod or go.sum: run 'cd $$dir && go mod tidy' and commit:"; \
	    echo "$$out"; fail=1; fi; \
	done; \
	[ $$fail = 0 ] && echo "go.mod and go.sum are tidy"

.PHONY: test-unit
test-unit: ## unit tests (race detector on the concurrent packages)
	$(GO) test -count=1 ./...
	$(GO) test -count=1 -race ./receiver/... ./internal/fakemistral/... ./internal/mistralstate/... ./extension/...

.PHONY: fuzz
fuzz: ## run every fuzz target for FUZZTIME (default 5000x: a count, since short time-based runs can fail with "context deadline exceeded" on a loaded machine)
	scripts/fuzz.sh $(FUZZTIME)

.PHONY: test-rules
test-rules: ## promtool test rules (installs Debian's prometheus package when missing)
	deploy/prometheus/install-prometheus.sh
	promtool check rules deploy/prometheus/rules.yaml
	promtool test rules deploy/prometheus/rules_test.yaml
	promtool check rules deploy/prometheus/budgets.rules.yaml
	promtool test rules cmd/budgetgen/testdata/budgets_test.yaml cmd/budgetgen/testdata/budgets_month_test.yaml

.PHONY: budgets
budgets: ## regenerate the spend budget rules and dashboard from deploy/budgets.yaml
	$(GO) run ./cmd/budgetgen -budgets deploy/budgets.yaml -rules deploy/prometheus/budgets.rules.yaml -dashboard deploy/grafana/budgets.json
	$(MAKE) --no-print-directory k8s-manifests

.PHONY: k8s-manifests
k8s-manifests: ## rewrite deploy/kubernetes/prometheus-rule.yaml and the manifests' connectors from rules.yaml and genai-metrics.yaml
	cd deploy/kubernetes/kubecheck && $(GO) run . -write

.PHONY: test-k8s
test-k8s: ## check deploy/kubernetes against the Kubernetes and prometheus-operator types, the OpenTelemetry Operator's CRD and Pod Security Admission "restricted"
	cd deploy/kubernetes/kubecheck && $(GO) vet ./... && $(GO) test -count=1 ./...

.PHONY: test-bench
test-bench: ## run each benchmark once, so their output checks run (numbers: make bench)
	$(GO) test -count=1 -run '^$$' -bench . -benchtime 1x ./processor/... ./receiver/...
	cd bench && $(GO) test -count=1 -run '^$$' -bench . -benchtime 1x ./...

.PHONY: bench
bench: ## the receiver's and processor's benchmarks, 3 counts each (ratios from one run)
	$(GO) test -run '^$$' -bench . -benchmem -count 3 ./processor/llmenrichprocessor/ ./receiver/mistralreceiver/
	cd bench && $(GO) test -run '^$$' -bench . -benchmem -count 3 ./...

.PHONY: bench-ratios
bench-ratios: ## the processor's speed ratios against its baseline, round by round (ROUNDS=6; about 45 s a round)
	GO=$(GO) scripts/bench-ratios.sh $(ROUNDS)

.PHONY: test-e2e
test-e2e: build $(BIN)/fakemistral $(BIN)/genaitraffic $(BIN)/mistraltop ## end-to-end tests: the built distribution against the fake La Plateforme
	scripts/install-chromium.sh
	$(GO) test -count=1 -tags e2e -timeout 30m ./e2e/...

.PHONY: image
image: build ## the container image from deploy/Dockerfile.scratch (FROM scratch, nothing pulled), with podman
	deploy/build-image.sh

.PHONY: test-image
test-image: build $(BIN)/fakemistral ## build and run the image with podman: non-root, read-only root, health_check, TLS probe (installs podman/runc when missing)
	deploy/test-image.sh

.PHONY: clean
clean: ## remove build output
	rm -rf _build
