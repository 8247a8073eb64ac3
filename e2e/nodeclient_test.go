//go:build e2e

package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-mistral/otelcol-mistral/internal/fakemistral"
)

// Built-in price of mistral-small-latest, the name the spans carry (La
// Plateforme echoes the requested alias as the response model): llm_enrich's
// table (processor/llmenrichprocessor/internal/pricing, from LiteLLM) prices
// it at 0.06 USD per 1M input tokens and 0.18 USD per 1M output tokens, as its
// concrete model mistral-small-2506. Update these when the built-in table changes.
const (
	nodeInputUSDPerToken = 0.06 / 1e6
	nodeOutputUSDPerTok  = 0.18 / 1e6
)

// TestNodeClientSpansEnriched runs a real application: the official Mistral
// TypeScript SDK (@mistralai/mistralai 2.x) with its built-in OpenTelemetry
// tracing, exporting OTLP/HTTP through the OpenTelemetry Node SDK
// (e2e/node-client, dependencies pinned by package-lock.json) against the fake
// La Plateforme, whose fault mode answers every third request with a 429
// (code 1300). The spans must come out of the distribution enriched: the
// successes with gen_ai.usage.cost = tokens × the built-in price of the
// concrete model, the 429s classified rate_limit (retryable, fallback-worthy),
// every call in the derived metrics, and the API key nowhere in the telemetry.
func TestNodeClientSpansEnriched(t *testing.T) {
	const chats, streams = 6, 1
	run := runNodeE2E(t, "index.mjs", "node-e2e",
		fmt.Sprintf("NODE_CLIENT_CHATS=%d", chats), fmt.Sprintf("NODE_CLIENT_STREAMS=%d", streams))
	summary, tracesFile, promPort := run.summary, run.tracesFile, run.promPort
	// Requests 3 and 6 of the 7 get the 429.
	if summary.OK != 4 || summary.Streamed != 1 || len(summary.Errors) != 2 {
		t.Fatalf("node client: %+v, want 4 chats and 1 stream ok, 2 errors", summary)
	}
	for _, e := range summary.Errors {
		if e.Status != 429 {
			t.Fatalf("node client error %+v, want status 429", e)
		}
	}

	spans, resources := awaitSpans(t, tracesFile, func(spans []ptrace.Span) int { return len(spans) }, chats+streams)
	if len(spans) != chats+streams {
		t.Fatalf("%d spans, want one per call (%d)", len(spans), chats+streams)
	}

	var totalCost float64
	var limited int
	for _, s := range spans {
		a := s.Attributes()
		str := func(k string) string { v, _ := a.Get(k); return v.AsString() }
		if got := str("gen_ai.provider.name"); got != "mistral_ai" {
			t.Errorf("span %q: gen_ai.provider.name = %q", s.Name(), got)
		}
		if got := str("mistral.workspace"); got != "node-e2e" {
			t.Errorf("span %q: mistral.workspace = %q, want the processor's workspace", s.Name(), got)
		}
		status, _ := a.Get("http.response.status_code")
		switch status.Int() {
		case 429:
			limited++
			if got := str("llm_enrich.error.class"); got != "rate_limit" {
				t.Errorf("429 span: llm_enrich.error.class = %q, want rate_limit", got)
			}
			if got := str("llm_enrich.error.fallback"); got != "true" {
				t.Errorf("429 span: llm_enrich.error.fallback = %q, want true", got)
			}
			if got := str("llm_enrich.error.retryable"); got != "true" {
				t.Errorf("429 span: llm_enrich.error.retryable = %q, want true", got)
			}
			if _, ok := a.Get("gen_ai.usage.cost"); ok {
				t.Error("429 span has a cost")
			}
		case 200:
			if _, ok := a.Get("llm_enrich.error.class"); ok {
				t.Errorf("successful span classified as %q", str("llm_enrich.error.class"))
			}
			// La Plateforme echoes the requested name, alias included (the
			// concrete model is only in the catalogue).
			if got := str("gen_ai.response.model"); got != "mistral-small-latest" {
				t.Errorf("gen_ai.response.model = %q, want the requested name echoed", got)
			}
			// The default configuration writes the cost only, not its breakdown.
			for _, k := range []string{"llm_enrich.price.model", "llm_enrich.price.source", "llm_enrich.cost.input", "llm_enrich.cost.output"} {
				if _, ok := a.Get(k); ok {
					t.Errorf("%s written with the default configuration", k)
				}
			}
			in, _ := a.Get("gen_ai.usage.input_tokens")
			out, _ := a.Get("gen_ai.usage.output_tokens")
			if in.Int() <= 0 || out.Int() <= 0 {
				t.Errorf("span without token usage: %v", a.AsRaw())
				continue
			}
			want := float64(in.Int())*nodeInputUSDPerToken + float64(out.Int())*nodeOutputUSDPerTok
			cost, ok := a.Get("gen_ai.usage.cost")
			if !ok || cost.Type() != pcommon.ValueTypeDouble || math.Abs(cost.Double()-want) > 1e-12 {
				t.Errorf("gen_ai.usage.cost = %v for %d input and %d output tokens, want %.10g", cost.AsRaw(), in.Int(), out.Int(), want)
			}
			totalCost += cost.Double()
		default:
			t.Errorf("span %q with http.response.status_code %d", s.Name(), status.Int())
		}
	}
	if limited != 2 {
		t.Errorf("%d spans of 429s, want 2", limited)
	}
	assertNoSecret(t, "test-key", spans, resources)

	// The same calls in the derived metrics.
	metricsURL := fmt.Sprintf("http://127.0.0.1:%d/metrics", promPort)
	match := map[string]string{"job": "node-e2e", "mistral_workspace": "node-e2e", "gen_ai_request_model": "mistral-small-latest"}
	Eventually(t, 20*time.Second, func() error {
		m, err := TryScrapeMetrics(metricsURL)
		if err != nil {
			return err
		}
		sum := func(name string, extra map[string]string) float64 {
			l := map[string]string{}
			for k, v := range match {
				l[k] = v
			}
			for k, v := range extra {
				l[k] = v
			}
			var s float64
			for _, smp := range Find(m, name, l) {
				s += smp.Value
			}
			return s
		}
		if got := sum("gen_ai_client_operation_duration_seconds_count", map[string]string{"llm_enrich_error_class": "rate_limit"}); got != 2 {
			return fmt.Errorf("gen_ai_client_operation_duration_seconds_count{rate_limit} = %v, want 2", got)
		}
		if got := sum("gen_ai_client_operation_duration_seconds_count", map[string]string{"llm_enrich_error_class": "none"}); got != 5 {
			return fmt.Errorf("gen_ai_client_operation_duration_seconds_count{none} = %v, want 5", got)
		}
		if got := sum("llm_enrich_cost_usd_total", nil); math.Abs(got-totalCost) > 1e-12 {
			return fmt.Errorf("llm_enrich_cost_usd_total = %v, want the spans' total %v", got, totalCost)
		}
		return nil
	})
}

// nodeE2E is one run of a node client against the fake and a collector.
type nodeE2E struct {
	summary    nodeSummary
	tracesFile string // the collector's file exporter output
	promPort   int    // the collector's Prometheus exporter
}

// runNodeE2E installs the node client, starts the fake La Plateforme (a 429
// with code 1300 on every third request) and a collector (llm_enrich with
// its default configuration, the workspace when not "", traces to a file),
// and runs the client script with the key test-key, service.name
// node-e2e and env.
func runNodeE2E(t *testing.T, script, workspace string, env ...string) nodeE2E {
	t.Helper()
	dir := repoPath(t, "e2e/node-client")
	npmCI(t, dir)

	fake := StartFake(t, fakemistral.Options{Tier: fakemistral.Tier{RequestsPerSecond: 1000}})
	fake.SetFault(fakemistral.Fault{Mode: fakemistral.Fault429Code1300, Every: 3})

	otlpPort, promPort, healthPort := FreePort(t), FreePort(t), FreePort(t)
	tracesFile := filepath.Join(t.TempDir(), "traces.jsonl")
	StartCollector(t, pipelineConfig(t, pipelineOpts{
		OTLPPort: otlpPort, PromPort: promPort, HealthPort: healthPort,
		Workspace:      workspace,
		TraceExporters: map[string]any{"file": map[string]any{"path": tracesFile, "flush_interval": "100ms"}},
	}))
	summary := runNodeClient(t, dir, script, append([]string{
		"MISTRAL_API_KEY=test-key",
		"MISTRAL_SERVER_URL=" + fake.URL(),
		fmt.Sprintf("OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:%d", otlpPort),
		"OTEL_SERVICE_NAME=node-e2e",
	}, env...))
	return nodeE2E{summary: summary, tracesFile: tracesFile, promPort: promPort}
}

// awaitSpans reads the file exporter's output until count(spans) reaches
// want (or fails the test after 20 s).
func awaitSpans(t *testing.T, file string, count func([]ptrace.Span) int, want int) ([]ptrace.Span, []pcommon.Resource) {
	t.Helper()
	var spans []ptrace.Span
	var resources []pcommon.Resource
	Eventually(t, 20*time.Second, func() error {
		var err error
		spans, resources, err = readFileExporterSpans(file)
		if err != nil {
			return err
		}
		if n := count(spans); n < want {
			return fmt.Errorf("%d spans in %s, want %d", n, file, want)
		}
		return nil
	})
	return spans, resources
}

// nodeSummary is what e2e/node-client prints.
type nodeSummary struct {
	Model         string `json:"model"`
	OK            int    `json:"ok"`
	Streamed      int    `json:"streamed"`
	ResponseModel string `json:"responseModel"`
	Errors        []struct {
		Call   int    `json:"call"`
		Status int    `json:"status"`
		Name   string `json:"name"`
	} `json:"errors"`
}

// npmCI installs the node client's pinned dependencies with `npm ci`, unless
// node_modules (git-ignored) is already installed from the current lock file.
func npmCI(t testing.TB, dir string) {
	t.Helper()
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Fatalf("npm is not installed: %v (the node client needs Node.js 20 and npm)", err)
	}
	lock, err := os.Stat(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	if inst, err := os.Stat(filepath.Join(dir, "node_modules", ".package-lock.json")); err == nil && !inst.ModTime().Before(lock.ModTime()) {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()
	cmd := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund", "--prefer-offline")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm ci in %s: %v\n%s", dir, err, out)
	}
	t.Logf("npm ci took %s", time.Since(start).Round(time.Second))
}

// runNodeClient runs `node <script>` with env (never the key on the command
// line: process.command_args would carry it) and decodes its summary.
func runNodeClient(t testing.TB, dir, script string, env []string) nodeSummary {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node is not installed: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, script)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node client: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	var s nodeSummary
	if err := json.Unmarshal(bytes.TrimSpace(stdout.Bytes()), &s); err != nil {
		t.Fatalf("node client summary %q: %v\nstderr:\n%s", stdout.String(), err, stderr.String())
	}
	return s
}

// readFileExporterSpans reads the file exporter's JSON lines (one OTLP
// ExportTraceServiceRequest per line).
func readFileExporterSpans(path string) ([]ptrace.Span, []pcommon.Resource, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	var spans []ptrace.Span
	var resources []pcommon.Resource
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	var u ptrace.JSONUnmarshaler
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		td, err := u.UnmarshalTraces(line)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		for i := 0; i < td.ResourceSpans().Len(); i++ {
			rs := td.ResourceSpans().At(i)
			resources = append(resources, rs.Resource())
			for j := 0; j < rs.ScopeSpans().Len(); j++ {
				ss := rs.ScopeSpans().At(j).Spans()
				for k := 0; k < ss.Len(); k++ {
					spans = append(spans, ss.At(k))
				}
			}
		}
	}
	return spans, resources, sc.Err()
}

// assertNoSecret fails when secret appears in any attribute, event attribute
// or status message of the spans, or in their resources.
func assertNoSecret(t testing.TB, secret string, spans []ptrace.Span, resources []pcommon.Resource) {
	t.Helper()
	check := func(where string, m pcommon.Map) {
		b, _ := json.Marshal(m.AsRaw())
		if strings.Contains(string(b), secret) {
			t.Errorf("the API key appears in %s: %s", where, b)
		}
	}
	for _, r := range resources {
		check("a resource", r.Attributes())
	}
	for _, s := range spans {
		check("span "+s.Name(), s.Attributes())
		if strings.Contains(s.Status().Message(), secret) {
			t.Errorf("the API key appears in span %s's status", s.Name())
		}
		for i := 0; i < s.Events().Len(); i++ {
			check("an event of span "+s.Name(), s.Events().At(i).Attributes())
		}
	}
}
