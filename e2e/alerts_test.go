//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unicode"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/pdata/ptrace/ptraceotlp"
	"go.yaml.in/yaml/v3"

	"github.com/otelcol-mistral/otelcol-mistral/internal/fakemistral"
)

// TestAlerts runs the shipped Prometheus rules in a real Prometheus server
// against the built distribution probing the fake La Plateforme, and drives
// these scenarios through the fake and through OTLP:
//
//   - a 429 storm in the spans of an application fires MistralRateLimitRateHigh;
//   - a major outage on a status page fires ProviderStatusPageMajorOutage;
//   - a watched model deprecated in 10 days fires MistralModelDeprecationSoon;
//   - recovery (fake reset, traffic back to normal) clears them;
//   - a Cloudflare-style 403 challenge on a status page fires only
//     ProviderStatusPageUnreadable, never the outage; reset clears it.
//
// Prometheus scrapes every second and evaluates a copy of the rules whose
// durations are divided by 60 (shortenRuleDurations). Every wait is bounded.
func TestAlerts(t *testing.T) {
	began := time.Now()
	fake := StartFake(t, fakemistral.Options{
		// The probe (every 2 s) must not meet the free tier's 1 request/s limit.
		Tier: fakemistral.Tier{RequestsPerSecond: 100},
	})

	otlpPort, promPort, healthPort := FreePort(t), FreePort(t), FreePort(t)
	cfg := pipelineConfig(t, pipelineOpts{
		OTLPPort: otlpPort, PromPort: promPort, HealthPort: healthPort,
		Workspace: "e2e",
		// Probe metrics that stop being emitted (a deprecation that went away)
		// must leave the exporter quickly for alerts to resolve.
		MetricExpiration: "8s",
		MetricReceivers: map[string]any{"mistral": map[string]any{
			"endpoint":            fake.URL(),
			"api_key":             "test-key",
			"workspace":           "e2e",
			"collection_interval": "2s",
			"initial_delay":       "0s",
			"timeout":             "1500ms",
			"models":              []any{"mistral-small-latest", "mistral-large-latest"},
			"status_pages": []any{
				map[string]any{"name": "mistral", "endpoint": fake.StatusURL() + "/mistral", "format": "auto"},
				map[string]any{"name": "anthropic", "endpoint": fake.StatusURL() + "/anthropic", "format": "auto"},
			},
		}},
	})
	StartCollector(t, cfg)

	prom := startPrometheusShortRules(t, fmt.Sprintf("127.0.0.1:%d", promPort), repoPath(t, "deploy/prometheus/rules.yaml"))
	otlpURL := fmt.Sprintf("http://127.0.0.1:%d", otlpPort)

	// Baseline: probes and status pages scraped, no alert active.
	Eventually(t, 45*time.Second, func() error {
		for _, q := range []string{
			`mistral_api_probe_success{mistral_workspace="e2e"} == 1`,
			`mistral_status_page_up{mistral_status_page_name="mistral"} == 1`,
			`mistral_status_page_up{mistral_status_page_name="anthropic"} == 1`,
			`mistral_model_available{gen_ai_request_model="mistral-small-latest"} == 1`,
		} {
			if err := prom.expectNonEmpty(q); err != nil {
				return err
			}
		}
		return nil
	})
	time.Sleep(3 * time.Second) // a few rule evaluations on healthy data
	checkOnly(t, prom.mustAlerts(t), nil)
	t.Logf("baseline healthy after %s", time.Since(began).Round(time.Second))

	// Scenario A: a 429 storm in the application's spans (25 % of calls), a
	// major outage on Anthropic's status page, and the watched
	// mistral-small-latest deprecated in 10 days, at once.
	stopStorm := sendStorm(t, otlpURL, 3, 1)
	fake.SetStatusPage("anthropic", fakemistral.StatusPage{Format: fakemistral.FormatStatuspage, Scenario: fakemistral.ScenarioMajorOutage})
	if err := fake.DeprecateModel("mistral-small-latest", time.Now().Add(240*time.Hour), "mistral-small-2603"); err != nil {
		t.Fatal(err)
	}
	phase := time.Now()
	want := []alertKey{
		{"MistralRateLimitRateHigh", "mistral_workspace", "e2e"},
		{"ProviderStatusPageMajorOutage", "mistral_status_page_name", "anthropic"},
		{"MistralModelDeprecationSoon", "gen_ai_request_model", "mistral-small-latest"},
	}
	// 429s are fallback-worthy: the fallback alert may legitimately join them.
	allowed := []string{"MistralRateLimitRateHigh", "ProviderStatusPageMajorOutage", "MistralModelDeprecationSoon", "LLMFallbackRateHigh"}
	firedAt := prom.waitFiring(t, 60*time.Second, want, allowed)
	for _, k := range want {
		t.Logf("%s fired %s after the scenario began", k.alert, firedAt[k].Sub(phase).Round(100*time.Millisecond))
	}

	// Recovery: traffic without 429s stops, the fake is reset (status pages
	// operational, no deprecation).
	stopStorm()
	fake.Reset()
	phase = time.Now()
	prom.waitNoAlerts(t, 60*time.Second)
	t.Logf("scenario A cleared %s after reset", time.Since(phase).Round(100*time.Millisecond))

	// Scenario B: Mistral's status page answers a Cloudflare 403 challenge.
	// Only the "unreadable" alert may fire; the outage alert must never
	// even be pending.
	fake.SetStatusPage("mistral", fakemistral.StatusPage{Format: fakemistral.FormatChallenge})
	phase = time.Now()
	unreadable := []alertKey{{"ProviderStatusPageUnreadable", "mistral_status_page_name", "mistral"}}
	only := []string{"ProviderStatusPageUnreadable"}
	never := "ProviderStatusPageMajorOutage"
	prom.waitFiring(t, 45*time.Second, unreadable, only, never)
	t.Logf("ProviderStatusPageUnreadable fired %s after the challenge began", time.Since(phase).Round(100*time.Millisecond))
	if err := prom.expectNonEmpty(`mistral_status_page_error{mistral_status_page_name="mistral",error_type="challenge"} == 1`); err != nil {
		t.Errorf("the receiver did not report the challenge: %v", err)
	}
	// The outage alert waits 2 s (`for: 2m` shortened): watch a while longer.
	prom.holdOnly(t, 4*time.Second, only, never)

	fake.Reset()
	phase = time.Now()
	prom.waitNoAlerts(t, 45*time.Second)
	t.Logf("scenario B cleared %s after reset; TestAlerts took %s", time.Since(phase).Round(100*time.Millisecond), time.Since(began).Round(time.Second))
}

// TestShortenRuleDurations checks the transformation that makes the test copy
// of the rules: every `for:`, range and offset in an expression divided by 60.
func TestShortenRuleDurations(t *testing.T) {
	src := []byte(`groups:
  - name: g
    interval: 1m
    rules:
      - alert: A
        expr: sum(rate(x{l=~"[a-z]"}[10m])) / sum(rate(y[1h])) > 0 and z[5m:1m] > 3 unless y offset 15m
        for: 3m
      - alert: B
        expr: up == 0
        for: 30s
      - record: c
        expr: vector(1)
`)
	path := filepath.Join(t.TempDir(), "r.yaml")
	if err := os.WriteFile(path, src, 0o600); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Groups []struct {
			Interval string
			Rules    []map[string]string
		}
	}
	if err := yaml.Unmarshal(shortenRuleDurations(t, path, 60), &got); err != nil {
		t.Fatal(err)
	}
	g := got.Groups[0]
	checks := []struct{ got, want string }{
		{g.Interval, "1s"},
		{g.Rules[0]["expr"], `sum(rate(x{l=~"[a-z]"}[10s])) / sum(rate(y[60s])) > 0 and z[5s:1s] > 3 unless y offset 15s`},
		{g.Rules[0]["for"], "3s"},
		{g.Rules[1]["for"], "1s"},
		{g.Rules[2]["expr"], "vector(1)"},
	}
	for i, c := range checks {
		if c.got != c.want {
			t.Errorf("check %d: got %q, want %q", i, c.got, c.want)
		}
	}
}

// promDurationPart is one unit of a Prometheus duration such as 1h30m.
var promDurationPart = regexp.MustCompile(`(\d+)(ms|s|m|h|d|w|y)`)

// promRange is a range or subquery selector: [10m], [1h:5m], [5m:].
var promRange = regexp.MustCompile(`\[((?:\d+(?:ms|s|m|h|d|w|y))+)(?::((?:\d+(?:ms|s|m|h|d|w|y))*))?\]`)

// promOffsetModifier is an offset modifier: offset 10m.
var promOffsetModifier = regexp.MustCompile(`\boffset(\s+)((?:\d+(?:ms|s|m|h|d|w|y))+)`)

func parsePromDuration(s string) (time.Duration, error) {
	if s == "" || promDurationPart.ReplaceAllString(s, "") != "" {
		return 0, fmt.Errorf("not a Prometheus duration: %q", s)
	}
	units := map[string]time.Duration{
		"ms": time.Millisecond, "s": time.Second, "m": time.Minute, "h": time.Hour,
		"d": 24 * time.Hour, "w": 7 * 24 * time.Hour, "y": 365 * 24 * time.Hour,
	}
	var d time.Duration
	for _, m := range promDurationPart.FindAllStringSubmatch(s, -1) {
		n, _ := strconv.Atoi(m[1])
		d += time.Duration(n) * units[m[2]]
	}
	return d, nil
}

// scaleDuration divides a Prometheus duration by factor, with a floor of 1s,
// and writes it in whole seconds.
func scaleDuration(s string, factor int) (string, error) {
	d, err := parsePromDuration(s)
	if err != nil {
		return "", err
	}
	secs := int64(d / time.Duration(factor) / time.Second)
	return fmt.Sprintf("%ds", max(secs, 1)), nil
}

// shortenRuleDurations reads a Prometheus rules file and returns the test
// copy: every group `interval`, every rule `for` and every range, subquery
// or offset duration inside `expr` divided by factor (60: minutes become seconds), with
// a floor of 1s. Thresholds, label matchers and annotations are untouched.
func shortenRuleDurations(t testing.TB, path string, factor int) []byte {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	get := func(m *yaml.Node, key string) *yaml.Node {
		if m == nil || m.Kind != yaml.MappingNode {
			return nil
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == key {
				return m.Content[i+1]
			}
		}
		return nil
	}
	scale := func(n *yaml.Node, what string) {
		if n == nil {
			return
		}
		v, err := scaleDuration(n.Value, factor)
		if err != nil {
			t.Fatalf("%s: %s: %v", path, what, err)
		}
		n.Value, n.Style = v, 0
	}
	groups := get(doc.Content[0], "groups")
	if groups == nil || len(groups.Content) == 0 {
		t.Fatalf("%s: no groups", path)
	}
	for _, g := range groups.Content {
		scale(get(g, "interval"), "interval")
		rules := get(g, "rules")
		if rules == nil {
			continue
		}
		for _, r := range rules.Content {
			scale(get(r, "for"), "for")
			if expr := get(r, "expr"); expr != nil {
				expr.Value = promRange.ReplaceAllStringFunc(expr.Value, func(sel string) string {
					m := promRange.FindStringSubmatch(sel)
					rng, err := scaleDuration(m[1], factor)
					if err != nil {
						t.Fatalf("%s: range %s: %v", path, sel, err)
					}
					if !strings.Contains(sel, ":") {
						return "[" + rng + "]"
					}
					step := ""
					if m[2] != "" {
						if step, err = scaleDuration(m[2], factor); err != nil {
							t.Fatalf("%s: step %s: %v", path, sel, err)
						}
					}
					return "[" + rng + ":" + step + "]"
				})
				expr.Value = promOffsetModifier.ReplaceAllStringFunc(expr.Value, func(sel string) string {
					m := promOffsetModifier.FindStringSubmatch(sel)
					d, err := scaleDuration(m[2], factor)
					if err != nil {
						t.Fatalf("%s: %s: %v", path, sel, err)
					}
					return "offset" + m[1] + d
				})
				expr.Style = yaml.LiteralStyle
			}
		}
	}
	out, err := yaml.Marshal(&doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// promServer is a Prometheus server run by a test.
type promServer struct {
	url string
	out *syncBuffer
}

// startPrometheusShortRules runs startPrometheus with the rules file at
// rulesFile, every duration of it divided by 60 (shortenRuleDurations), so
// that an alert's "for: 5m" takes 5 s in a test.
func startPrometheusShortRules(t testing.TB, target, rulesFile string) *promServer {
	t.Helper()
	rulesPath := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(rulesPath, shortenRuleDurations(t, rulesFile, 60), 0o600); err != nil {
		t.Fatal(err)
	}
	return startPrometheus(t, target, rulesPath)
}

// startPrometheus runs the `prometheus` binary (Debian's package; make test
// installs it with deploy/prometheus/install-prometheus.sh) on a free port on
// 127.0.0.1 with a temporary data directory, scraping target every second and
// evaluating rulesPath every second. It is stopped at the test's cleanup.
func startPrometheus(t testing.TB, target, rulesPath string) *promServer {
	t.Helper()
	bin, err := exec.LookPath("prometheus")
	if err != nil {
		t.Fatalf("prometheus is not installed (%v): run deploy/prometheus/install-prometheus.sh", err)
	}
	dir := t.TempDir()
	cfg := fmt.Sprintf(`global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - %q
scrape_configs:
  - job_name: otelcol-mistral
    static_configs:
      - targets: [%q]
`, rulesPath, target)
	cfgPath := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	port := FreePort(t)
	p := &promServer{url: fmt.Sprintf("http://127.0.0.1:%d", port), out: &syncBuffer{}}
	cmd := exec.Command(bin,
		"--config.file="+cfgPath,
		"--storage.tsdb.path="+filepath.Join(dir, "data"),
		fmt.Sprintf("--web.listen-address=127.0.0.1:%d", port),
		"--log.level=warn",
	)
	cmd.Stdout, cmd.Stderr = p.out, p.out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start prometheus: %v", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("prometheus output:\n%s", tail(p.out.String(), 4000))
		}
	})
	WaitHTTPOK(t, p.url+"/-/ready", 30*time.Second, func() {
		select {
		case <-done:
			t.Fatalf("prometheus exited:\n%s", p.out.String())
		default:
		}
	})
	return p
}

// api GETs a Prometheus HTTP API path and decodes its `data`.
func (p *promServer) api(path string, data any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.url+path, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	var env struct {
		Status string          `json:"status"`
		Error  string          `json:"error"`
		Data   json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return fmt.Errorf("GET %s: %s: %w", path, resp.Status, err)
	}
	if env.Status != "success" {
		return fmt.Errorf("GET %s: %s", path, env.Error)
	}
	return json.Unmarshal(env.Data, data)
}

// expectNonEmpty runs an instant query and fails unless it returns samples.
func (p *promServer) expectNonEmpty(query string) error {
	var data struct {
		Result []json.RawMessage `json:"result"`
	}
	if err := p.api("/api/v1/query?query="+url.QueryEscape(query), &data); err != nil {
		return err
	}
	if len(data.Result) == 0 {
		return fmt.Errorf("no result for %s", query)
	}
	return nil
}

// promAlert is an active alert from /api/v1/alerts.
type promAlert struct {
	Labels map[string]string `json:"labels"`
	State  string            `json:"state"`
}

func (a promAlert) String() string {
	keys := make([]string, 0, len(a.Labels))
	for k := range a.Labels {
		if k != "alertname" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(a.Labels["alertname"] + "{")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "%s=%q", k, a.Labels[k])
	}
	b.WriteString("}=" + a.State)
	return b.String()
}

// alerts returns the active (pending and firing) alerts.
func (p *promServer) alerts() ([]promAlert, error) {
	var data struct {
		Alerts []promAlert `json:"alerts"`
	}
	err := p.api("/api/v1/alerts", &data)
	return data.Alerts, err
}

func (p *promServer) mustAlerts(t testing.TB) []promAlert {
	t.Helper()
	a, err := p.alerts()
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// alertKey names an alert by its name and one identifying label.
type alertKey struct{ alert, label, value string }

func (k alertKey) matches(a promAlert) bool {
	return a.Labels["alertname"] == k.alert && a.Labels[k.label] == k.value
}

// checkOnly fails the test when an alert outside allowed fires, or when an
// alert named in never is active at all (pending or firing). Other pending
// alerts are tolerated: a single slow probe on a busy machine makes an alert
// pending, and only firing alerts page anyone.
func checkOnly(t testing.TB, active []promAlert, allowed []string, never ...string) {
	t.Helper()
	for _, a := range active {
		name := a.Labels["alertname"]
		if slices.Contains(never, name) || (a.State == "firing" && !slices.Contains(allowed, name)) {
			t.Fatalf("unexpected alert %s (allowed: %v, never: %v; all active: %v)", a, allowed, never, active)
		}
	}
}

// waitFiring waits until every wanted alert fires, failing at once on an
// alert checkOnly rejects. It returns when each was first seen firing.
func (p *promServer) waitFiring(t testing.TB, timeout time.Duration, want []alertKey, allowed []string, never ...string) map[alertKey]time.Time {
	t.Helper()
	seen := map[alertKey]time.Time{}
	Eventually(t, timeout, func() error {
		active, err := p.alerts()
		if err != nil {
			return err
		}
		checkOnly(t, active, allowed, never...)
		var missing []string
		for _, k := range want {
			if _, ok := seen[k]; ok {
				continue
			}
			if slices.ContainsFunc(active, func(a promAlert) bool { return k.matches(a) && a.State == "firing" }) {
				seen[k] = time.Now()
				continue
			}
			missing = append(missing, k.alert)
		}
		if len(missing) > 0 {
			return fmt.Errorf("not firing yet: %v (active: %v)", missing, active)
		}
		return nil
	})
	return seen
}

// waitNoAlerts waits until no alert is active (pending or firing).
func (p *promServer) waitNoAlerts(t testing.TB, timeout time.Duration) {
	t.Helper()
	Eventually(t, timeout, func() error {
		active, err := p.alerts()
		if err != nil {
			return err
		}
		if len(active) > 0 {
			return fmt.Errorf("still active: %v", active)
		}
		return nil
	})
}

// holdOnly polls for d, failing on an alert checkOnly rejects.
func (p *promServer) holdOnly(t testing.TB, d time.Duration, allowed []string, never ...string) {
	t.Helper()
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(250 * time.Millisecond) {
		checkOnly(t, p.mustAlerts(t), allowed, never...)
	}
}

// sendStorm sends, every 400 ms until the returned stop is called, a batch of
// Mistral SDK chat spans of which failed are 429s (the rest succeed).
func sendStorm(t testing.TB, otlpURL string, ok, failed int) (stop func()) {
	return sendSpansEvery(t, otlpURL, 400*time.Millisecond, func(int) ptrace.Traces {
		return mistralSDKSpans("e2e-storm", ok, failed)
	})
}

// sendSpansEvery posts batch(i) to an OTLP/HTTP endpoint every d, the first
// at once, until the returned stop is called or the test ends. A failed post
// ends the sending and fails the test at stop.
func sendSpansEvery(t testing.TB, otlpURL string, d time.Duration, batch func(i int) ptrace.Traces) (stop func()) {
	t.Helper()
	var err error
	i := 0
	stopTicker := every(d, func() {
		if err == nil {
			err = postSpans(otlpURL, batch(i))
			i++
		}
	})
	var once sync.Once
	stop = func() {
		once.Do(func() {
			stopTicker() // waits for the sender: err is read after its last write
			if err != nil {
				t.Errorf("sending spans: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// postSpans posts td to an OTLP/HTTP endpoint as protobuf, like SendSpans,
// but returns its error: it runs outside the test goroutine.
func postSpans(otlpURL string, td ptrace.Traces) error {
	body, err := ptraceotlp.NewExportRequestFromTraces(td).MarshalProto()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, otlpURL+"/v1/traces", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-protobuf")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return fmt.Errorf("POST %s/v1/traces: %s: %s", otlpURL, resp.Status, b)
	}
	return nil
}

// mistralSDKSpans builds the spans the official Mistral TypeScript SDK
// (@mistralai/mistralai 2.x, built-in tracing) sends for chat.complete calls,
// as observed against the fake: ok successes priced from their usage, failed
// 429s (error.type rate_limited, mistral_ai.error.code 1300).
func mistralSDKSpans(service string, ok, failed int) ptrace.Traces {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", service)
	rs.Resource().Attributes().PutStr("telemetry.sdk.language", "nodejs")
	rs.Resource().Attributes().PutStr("telemetry.sdk.name", "opentelemetry")
	ss := rs.ScopeSpans().AppendEmpty()
	ss.Scope().SetName("mistralai_sdk_tracer")
	now := time.Now()
	for i := 0; i < ok+failed; i++ {
		s := ss.Spans().AppendEmpty()
		var tid pcommon.TraceID
		var sid pcommon.SpanID
		_, _ = rand.Read(tid[:])
		_, _ = rand.Read(sid[:])
		s.SetTraceID(tid)
		s.SetSpanID(sid)
		s.SetName("chat mistral-small-latest")
		s.SetKind(ptrace.SpanKindInternal)
		s.SetStartTimestamp(pcommon.NewTimestampFromTime(now.Add(-300 * time.Millisecond)))
		s.SetEndTimestamp(pcommon.NewTimestampFromTime(now))
		a := s.Attributes()
		a.PutStr("http.request.method", "POST")
		a.PutStr("url.full", "https://api.mistral.ai/v1/chat/completions")
		a.PutStr("server.address", "api.mistral.ai")
		a.PutInt("server.port", 443)
		a.PutStr("gen_ai.operation.name", "chat")
		a.PutStr("gen_ai.provider.name", "mistral_ai")
		a.PutStr("gen_ai.request.model", "mistral-small-latest")
		a.PutInt("gen_ai.request.max_tokens", 16)
		if i < ok {
			s.Status().SetCode(ptrace.StatusCodeOk)
			a.PutInt("http.response.status_code", 200)
			a.PutStr("gen_ai.response.model", "mistral-small-2506")
			a.PutEmptySlice("gen_ai.response.finish_reasons").AppendEmpty().SetStr("stop")
			a.PutInt("gen_ai.usage.input_tokens", 9)
			a.PutInt("gen_ai.usage.output_tokens", 16)
			continue
		}
		s.Status().SetCode(ptrace.StatusCodeError)
		s.Status().SetMessage("Rate limit exceeded")
		a.PutInt("http.response.status_code", 429)
		a.PutStr("error.type", "rate_limited")
		a.PutStr("mistral_ai.error.code", "1300")
		ev := s.Events().AppendEmpty()
		ev.SetName("exception")
		ev.SetTimestamp(pcommon.NewTimestampFromTime(now))
		ev.Attributes().PutStr("exception.type", "rate_limited")
		ev.Attributes().PutStr("exception.message", "Rate limit exceeded")
	}
	return td
}

// TestAlertAnnotations checks that every alert of rules.yaml has a severity,
// a summary, a description and a runbook_url pointing at a heading of a
// Markdown file of this repository that exists (docs/runbooks.md for the
// alerts the deployment ships).
func TestAlertAnnotations(t *testing.T) {
	var f struct {
		Groups []struct {
			Rules []struct {
				Alert       string            `yaml:"alert"`
				Labels      map[string]string `yaml:"labels"`
				Annotations map[string]string `yaml:"annotations"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	for _, rules := range []string{"deploy/prometheus/rules.yaml", "deploy/prometheus/budgets.rules.yaml"} {
		var g struct {
			Groups []struct {
				Rules []struct {
					Alert       string            `yaml:"alert"`
					Labels      map[string]string `yaml:"labels"`
					Annotations map[string]string `yaml:"annotations"`
				} `yaml:"rules"`
			} `yaml:"groups"`
		}
		b, err := os.ReadFile(repoPath(t, rules))
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(b, &g); err != nil {
			t.Fatal(err)
		}
		f.Groups = append(f.Groups, g.Groups...)
	}
	const base = "https://github.com/otelcol-mistral/otelcol-mistral/blob/main/"
	alerts := 0
	for _, g := range f.Groups {
		for _, r := range g.Rules {
			if r.Alert == "" {
				continue
			}
			alerts++
			if r.Labels["severity"] == "" {
				t.Errorf("%s: no severity label", r.Alert)
			}
			for _, k := range []string{"summary", "description", "runbook_url"} {
				if strings.TrimSpace(r.Annotations[k]) == "" {
					t.Errorf("%s: no %s annotation", r.Alert, k)
				}
			}
			rel, anchor, ok := strings.Cut(strings.TrimPrefix(r.Annotations["runbook_url"], base), "#")
			if !ok || !strings.HasPrefix(r.Annotations["runbook_url"], base) || !strings.HasSuffix(rel, ".md") {
				t.Errorf("%s: runbook_url %q is not %s<file>.md#<section>", r.Alert, r.Annotations["runbook_url"], base)
				continue
			}
			if !slices.Contains(markdownAnchors(t, repoPath(t, rel)), anchor) {
				t.Errorf("%s: runbook_url %q: %s has no heading with the anchor #%s", r.Alert, r.Annotations["runbook_url"], rel, anchor)
			}
		}
	}
	if alerts < 20 {
		t.Errorf("only %d alerts found", alerts)
	}
}

// markdownAnchors returns the anchors GitHub gives the headings of a Markdown
// file: lower case, punctuation other than - and _ dropped, spaces as -.
func markdownAnchors(t testing.TB, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	inFence := false
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "```") {
			inFence = !inFence
		}
		if inFence || !strings.HasPrefix(line, "#") {
			continue
		}
		h := strings.ToLower(strings.TrimSpace(strings.TrimLeft(line, "#")))
		var slug strings.Builder
		for _, r := range h {
			switch {
			case r == ' ':
				slug.WriteRune('-')
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
				slug.WriteRune(r)
			}
		}
		out = append(out, slug.String())
	}
	return out
}
