//go:build e2e

package e2e

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-mistral/otelcol-mistral/internal/fakemistral"
)

// joinRig is the built distribution with the mistral receiver and
// llm_enrich sharing a mistral_state extension, against the fake.
type joinRig struct {
	fake       *fakemistral.Server
	c          *Collector
	metricsURL string
	otlpURL    string
}

// startJoin runs the distribution: receiver every second with the chat
// probe on chatModel at every scrape, traces through llm_enrich into a
// debug exporter, and a 10 s diagnosis window.
func startJoin(t *testing.T, tier fakemistral.Tier, chatModel string) *joinRig {
	t.Helper()
	fake := StartFake(t, fakemistral.Options{Tier: tier})
	promPort, healthPort, otlpPort := FreePort(t), FreePort(t), FreePort(t)
	cfg := fmt.Sprintf(`extensions:
  health_check:
    endpoint: 127.0.0.1:%d
  mistral_state:
    diagnosis_window: 10s
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:%d
  mistral:
    endpoint: %s
    api_key: test-key
    workspace: e2e-join
    collection_interval: 1s
    initial_delay: 0s
    timeout: 900ms
    models: [mistral-small-latest, mistral-large-latest]
    chat_probe:
      enabled: true
      model: %s
      every: 1
      delay: 0s
    status_pages:
      - name: mistral
        endpoint: %s/mistral
        format: auto
    state: mistral_state
processors:
  llm_enrich:
    workspace: e2e-join
    state: mistral_state
exporters:
  prometheus:
    endpoint: 127.0.0.1:%d
  debug:
    verbosity: basic
service:
  extensions: [health_check, mistral_state]
  telemetry:
    metrics:
      level: none
  pipelines:
    traces:
      receivers: [otlp]
      processors: [llm_enrich]
      exporters: [debug]
    metrics:
      receivers: [mistral]
      exporters: [prometheus]
`, healthPort, otlpPort, fake.URL(), chatModel, fake.StatusURL(), promPort)
	c := StartCollector(t, cfg)
	r := &joinRig{fake: fake, c: c,
		metricsURL: fmt.Sprintf("http://127.0.0.1:%d/metrics", promPort),
		otlpURL:    fmt.Sprintf("http://127.0.0.1:%d", otlpPort)}
	// The receiver has published a catalogue once the watched models show.
	r.waitFor(t, 20*time.Second, func(m map[string][]Sample) error {
		if len(Find(m, "mistral_model_available", map[string]string{"gen_ai_request_model": "mistral-small-latest"})) == 0 {
			return fmt.Errorf("no mistral_model_available yet")
		}
		return nil
	})
	return r
}

func (r *joinRig) waitFor(t *testing.T, timeout time.Duration, f func(map[string][]Sample) error) {
	t.Helper()
	Eventually(t, timeout, func() error {
		m, err := TryScrapeMetrics(r.metricsURL)
		if err != nil {
			return err
		}
		return f(m)
	})
}

// llmCall is one Mistral chat span of service svc; status 0 is a success
// with usage, else a failed call with that HTTP status and error body.
type llmCall struct {
	svc, model     string
	status         int
	body           string
	input, outputs int64
}

func llmTraces(calls ...llmCall) ptrace.Traces {
	td := ptrace.NewTraces()
	for _, c := range calls {
		rs := td.ResourceSpans().AppendEmpty()
		rs.Resource().Attributes().PutStr("service.name", c.svc)
		s := rs.ScopeSpans().AppendEmpty().Spans().AppendEmpty()
		now := time.Now()
		s.SetStartTimestamp(ptraceTime(now.Add(-time.Second)))
		s.SetEndTimestamp(ptraceTime(now))
		s.SetName("chat " + c.model)
		a := s.Attributes()
		a.PutStr("gen_ai.operation.name", "chat")
		a.PutStr("gen_ai.provider.name", "mistral_ai")
		a.PutStr("gen_ai.request.model", c.model)
		if c.status == 0 {
			a.PutInt("gen_ai.usage.input_tokens", c.input)
			a.PutInt("gen_ai.usage.output_tokens", c.outputs)
			continue
		}
		a.PutInt("http.response.status_code", int64(c.status))
		s.Status().SetCode(ptrace.StatusCodeError)
		s.Status().SetMessage(fmt.Sprintf("Status %d: %s", c.status, c.body))
	}
	return td
}

const (
	body429  = `{"object":"error","message":"Requests rate limit exceeded","type":"rate_limited","param":null,"code":"1300"}`
	body503  = `{"object":"error","message":"Service unavailable.","type":"service_unavailable","param":null,"code":"3505"}`
	body500  = `{"object":"error","message":"Internal server error","type":"internal_server_error","param":null,"code":"3000"}`
	body401  = `{"object":"error","message":"Unauthorized","type":"invalid_api_key","param":null,"code":"1000"}`
	dayInSec = 24 * 3600
)

// TestJoinRetiringModel (question 1): the catalogue deprecates the model an
// alias points to; the calls through the alias are counted by service, the
// alias becomes a watched model with its time remaining, and the watched
// model nobody calls is reported unused.
func TestJoinRetiringModel(t *testing.T) {
	r := startJoin(t, fakemistral.Tier{RequestsPerSecond: -1, TokensPerMinute: -1, TokensPerMonth: -1}, "mistral-large-latest")
	if err := r.fake.DeprecateModel("mistral-small-2506", time.Now().Add(10*24*time.Hour), "mistral-small-2603"); err != nil {
		t.Fatal(err)
	}
	r.waitFor(t, 20*time.Second, func(m map[string][]Sample) error {
		s := Find(m, "mistral_model_deprecation_time_remaining_seconds", map[string]string{"gen_ai_request_model": "mistral-small-latest"})
		if len(s) != 1 || s[0].Value > 30*dayInSec {
			return fmt.Errorf("mistral-small-latest not retiring yet: %v", s)
		}
		return nil
	})
	r.waitFor(t, 20*time.Second, func(m map[string][]Sample) error {
		SendSpans(t, r.otlpURL, llmTraces(
			llmCall{svc: "checkout", model: "mistral-small-latest", input: 10, outputs: 2},
			llmCall{svc: "search", model: "mistral-medium-2505", input: 10, outputs: 2},
			llmCall{svc: "search", model: "codestral-latest", input: 10, outputs: 2},
		))
		for _, want := range []map[string]string{
			{"service_name": "checkout", "gen_ai_request_model": "mistral-small-latest"},
			{"service_name": "search", "gen_ai_request_model": "mistral-medium-2505"},
		} {
			if s := Find(m, "mistral_traffic_deprecated_calls_total", want); len(s) != 1 || s[0].Value < 1 {
				return fmt.Errorf("deprecated calls %v: %v", want, s)
			}
		}
		if s := Find(m, "mistral_traffic_deprecated_calls_total", map[string]string{"gen_ai_request_model": "codestral-latest"}); len(s) != 1 || s[0].Value != 0 {
			return fmt.Errorf("codestral-latest is not deprecated: %v", s)
		}
		// A model seen only in traffic is watched too.
		if s := Find(m, "mistral_model_deprecation_time_remaining_seconds", map[string]string{"gen_ai_request_model": "mistral-medium-2505"}); len(s) != 1 {
			return fmt.Errorf("mistral-medium-2505 not watched: %v", s)
		}
		if s := Find(m, "mistral_model_unused", map[string]string{"gen_ai_request_model": "mistral-large-latest"}); len(s) != 1 || s[0].Value != 1 {
			return fmt.Errorf("mistral-large-latest unused: %v", s)
		}
		if s := Find(m, "mistral_model_unused", map[string]string{"gen_ai_request_model": "mistral-small-latest"}); len(s) != 1 || s[0].Value != 0 {
			return fmt.Errorf("mistral-small-latest used: %v", s)
		}
		return nil
	})
}

// diagnosisIs checks the state set mistral_diagnosis.
func diagnosisIs(m map[string][]Sample, want string) error {
	var name string
	for n := range m {
		if strings.HasPrefix(n, "mistral_diagnosis") {
			name = n
		}
	}
	got := ""
	for _, s := range m[name] {
		if s.Value == 1 {
			got = s.Labels["mistral_diagnosis_state"]
		}
	}
	if len(m[name]) != 4 || got != want {
		return fmt.Errorf("diagnosis %q (%d series), want %q", got, len(m[name]), want)
	}
	return nil
}

// TestJoinUsOrThem (question 2): each diagnosis in turn, and the return to
// healthy once the window has passed.
func TestJoinUsOrThem(t *testing.T) {
	r := startJoin(t, fakemistral.Tier{RequestsPerSecond: -1, TokensPerMinute: -1, TokensPerMonth: -1}, "mistral-large-latest")
	operational := fakemistral.StatusPage{Format: fakemistral.FormatStatuspage, Scenario: fakemistral.ScenarioOperational}
	degraded := fakemistral.StatusPage{Format: fakemistral.FormatStatuspage, Scenario: fakemistral.ScenarioMinor}
	r.fake.SetStatusPage("mistral", operational)
	for _, ph := range []struct {
		name  string
		fault fakemistral.Fault
		page  fakemistral.StatusPage
		calls []llmCall
		want  string
	}{
		{"healthy", fakemistral.Fault{}, operational, []llmCall{{svc: "checkout", model: "mistral-small-latest", input: 5, outputs: 1}}, "healthy"},
		{"our quota", fakemistral.Fault{}, operational, []llmCall{{svc: "checkout", model: "mistral-small-latest", status: 429, body: body429}}, "our_quota"},
		{"our configuration", fakemistral.Fault{}, operational, []llmCall{{svc: "checkout", model: "mistral-small-latest", status: 401, body: body401}}, "our_configuration"},
		{"provider incident", fakemistral.Fault{Mode: fakemistral.Fault503Capacity}, operational, []llmCall{{svc: "checkout", model: "mistral-small-latest", status: 503, body: body503}}, "provider_incident"},
		{"recovered", fakemistral.Fault{}, operational, []llmCall{{svc: "checkout", model: "mistral-small-latest", input: 5, outputs: 1}}, "healthy"},
		// The probe passes, the status page reports an incident, our calls get 500s.
		{"status page incident", fakemistral.Fault{}, degraded, []llmCall{{svc: "checkout", model: "mistral-small-latest", status: 500, body: body500}}, "provider_incident"},
		{"recovered again", fakemistral.Fault{}, operational, []llmCall{{svc: "checkout", model: "mistral-small-latest", input: 5, outputs: 1}}, "healthy"},
	} {
		r.fake.SetFault(ph.fault)
		r.fake.SetStatusPage("mistral", ph.page)
		start := time.Now()
		r.waitFor(t, 40*time.Second, func(m map[string][]Sample) error {
			SendSpans(t, r.otlpURL, llmTraces(ph.calls...))
			return diagnosisIs(m, ph.want)
		})
		t.Logf("%s: %s after %s", ph.name, ph.want, time.Since(start).Round(100*time.Millisecond))
	}
}

// TestJoinQuotaShare (question 3): a noisy service's share of the
// workspace's request limit for the chat probe's model, next to a quiet one.
func TestJoinQuotaShare(t *testing.T) {
	r := startJoin(t, fakemistral.Tier{RequestsPerSecond: 10, RequestWindow: "60-second", TokensPerMinute: 100000, TokensPerMonth: -1}, "mistral-small-latest")
	var noisy, quiet []llmCall
	for range 60 {
		noisy = append(noisy, llmCall{svc: "noisy", model: "mistral-small-latest", input: 100, outputs: 10})
	}
	quiet = append(quiet, llmCall{svc: "quiet", model: "mistral-small-2506", input: 100, outputs: 10})
	r.waitFor(t, 90*time.Second, func(m map[string][]Sample) error {
		SendSpans(t, r.otlpURL, llmTraces(append(noisy, quiet...)...))
		n := Find(m, "mistral_traffic_requests_quota_share_ratio", map[string]string{"service_name": "noisy", "mistral_ratelimit_window": "60"})
		q := Find(m, "mistral_traffic_requests_quota_share_ratio", map[string]string{"service_name": "quiet", "mistral_ratelimit_window": "60"})
		if len(n) != 1 || len(q) != 1 {
			return fmt.Errorf("no quota share yet: noisy %v quiet %v", n, q)
		}
		if n[0].Value < 10*q[0].Value || n[0].Value <= 0.05 {
			return fmt.Errorf("noisy %.3f vs quiet %.3f of the 600 requests/60 s", n[0].Value, q[0].Value)
		}
		return nil
	})
}

// TestJoinUntrackedTokens (question 4): calls made with the workspace's key
// that no instrumented service reports show up as untracked tokens.
func TestJoinUntrackedTokens(t *testing.T) {
	r := startJoin(t, fakemistral.Tier{RequestsPerSecond: 100, TokensPerMinute: -1, TokensPerMonth: 10_000_000}, "mistral-small-latest")
	r.waitFor(t, 90*time.Second, func(m map[string][]Sample) error {
		// An uninstrumented caller: chat completions on the fake, no span.
		for range 5 {
			directChat(t, r.fake.URL(), "mistral-small-latest")
		}
		u := Find(m, "mistral_traffic_untracked_tokens", nil)
		unc := Find(m, "mistral_traffic_untracked_tokens_uncertainty", nil)
		if len(u) != 1 || len(unc) != 1 || u[0].Value <= unc[0].Value {
			return fmt.Errorf("untracked %v ± %v", u, unc)
		}
		return nil
	})
}

func ptraceTime(t time.Time) pcommon.Timestamp { return pcommon.NewTimestampFromTime(t) }

// directChat calls the fake's chat completions with the test key, as a
// service without instrumentation would.
func directChat(t *testing.T, baseURL, model string) {
	t.Helper()
	body := `{"model":"` + model + `","max_tokens":20,"messages":[{"role":"user","content":"an uninstrumented caller"}]}`
	req, err := http.NewRequest(http.MethodPost, baseURL+"/v1/chat/completions", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer test-key")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("direct chat: %s", resp.Status)
	}
}

// TestJoinAlerts runs the join's alert group in a real Prometheus (rule
// durations shortened 60 times) against the distribution and the fake.
// Phase A: a service floods a model the catalogue retires in 10 days, part
// of its calls refused by our rate limit: MistralRetiringModelInUse,
// MistralDiagnosis (our_quota) and MistralServiceHogsQuota fire, and clear
// after the fake is reset and the calls stop. Phase B: a caller without
// instrumentation spends the workspace's monthly tokens:
// MistralUntrackedConsumption fires, and clears when it stops.
func TestJoinAlerts(t *testing.T) {
	fake := StartFake(t, fakemistral.Options{Tier: fakemistral.Tier{RequestsPerSecond: 100, TokensPerMinute: 20000, TokensPerMonth: 100_000_000}})
	otlpPort, promPort, healthPort := FreePort(t), FreePort(t), FreePort(t)
	cfg := pipelineConfig(t, pipelineOpts{
		OTLPPort: otlpPort, PromPort: promPort, HealthPort: healthPort, Workspace: "e2e", MetricExpiration: "8s",
		MetricReceivers: map[string]any{"mistral": map[string]any{
			"endpoint": fake.URL(), "api_key": "test-key", "workspace": "e2e",
			"collection_interval": "2s", "initial_delay": "0s", "timeout": "1500ms",
			"models":       []any{"mistral-small-latest", "mistral-large-latest"},
			"chat_probe":   map[string]any{"enabled": true, "model": "mistral-small-latest", "every": 1, "delay": "0s"},
			"status_pages": []any{},
			"state":        "mistral_state",
		}},
	})
	// Diagnose over 10 s rather than 5 minutes, so that recovery shows within the test.
	joinCfg := strings.Replace(cfg, "mistral_state: {}", "mistral_state: {diagnosis_window: 10s}", 1)
	if joinCfg == cfg {
		t.Fatalf("no mistral_state extension in the test pipeline:\n%s", cfg)
	}
	StartCollector(t, joinCfg)
	prom := startPrometheusShortRules(t, fmt.Sprintf("127.0.0.1:%d", promPort), repoPath(t, "deploy/prometheus/rules.yaml"))
	otlpURL := fmt.Sprintf("http://127.0.0.1:%d", otlpPort)
	Eventually(t, 45*time.Second, func() error {
		return prom.expectNonEmpty(`mistral_diagnosis{mistral_diagnosis_state="healthy"} == 1`)
	})
	allowed := ruleAlertNames(t)

	// Phase A.
	if err := fake.DeprecateModel("mistral-small-2506", time.Now().Add(10*24*time.Hour), "mistral-small-2603"); err != nil {
		t.Fatal(err)
	}
	var calls []llmCall
	for range 5 {
		calls = append(calls, llmCall{svc: "noisy", model: "mistral-small-latest", input: 900, outputs: 100})
	}
	calls = append(calls, llmCall{svc: "noisy", model: "mistral-small-latest", status: 429, body: body429})
	stop := every(500*time.Millisecond, func() { _ = postSpans(otlpURL, llmTraces(calls...)) })
	phase := time.Now()
	want := []alertKey{
		{"MistralRetiringModelInUse", "service_name", "noisy"},
		{"MistralDiagnosis", "mistral_diagnosis_state", "our_quota"},
		{"MistralServiceHogsQuota", "service_name", "noisy"},
	}
	for k, at := range prom.waitFiring(t, 90*time.Second, want, allowed, "MistralUntrackedConsumption") {
		t.Logf("%s fired %s after phase A began", k.alert, at.Sub(phase).Round(100*time.Millisecond))
	}
	stop()
	fake.Reset()
	phase = time.Now()
	prom.waitNoAlerts(t, 120*time.Second)
	t.Logf("phase A cleared %s after the calls stopped", time.Since(phase).Round(100*time.Millisecond))

	// The shares are per minute: phase B starts once phase A's calls have
	// left that window, so that no share of "noisy" lingers into it.
	Eventually(t, 90*time.Second, func() error {
		return prom.expectNonEmpty(`absent(mistral_traffic_requests_quota_share_ratio{service_name="noisy"} > 0.05)` +
			` and absent(mistral_traffic_tokens_quota_share_ratio{service_name="noisy"} > 0.05)`)
	})

	// Phase B.
	fake.SetTier(fakemistral.Tier{RequestsPerSecond: 100, TokensPerMinute: -1, TokensPerMonth: 100_000_000})
	stop = every(250*time.Millisecond, func() { _ = directChatTokens(fake.URL(), "mistral-small-latest", 3000) })
	phase = time.Now()
	fired := prom.waitFiring(t, 60*time.Second, []alertKey{{"MistralUntrackedConsumption", "mistral_workspace", "e2e"}}, allowed, "MistralServiceHogsQuota")
	for k, at := range fired {
		t.Logf("%s fired %s after phase B began", k.alert, at.Sub(phase).Round(100*time.Millisecond))
	}
	stop()
	phase = time.Now()
	prom.waitNoAlerts(t, 60*time.Second)
	t.Logf("phase B cleared %s after the calls stopped", time.Since(phase).Round(100*time.Millisecond))
}

// ruleAlertNames lists the alerts of rules.yaml: any may fire alongside
// the join's (the LLM rate-limit rules see the same calls).
func ruleAlertNames(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(repoPath(t, "deploy/prometheus/rules.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range regexp.MustCompile(`(?m)^\s*- alert: (\S+)`).FindAllSubmatch(b, -1) {
		names = append(names, string(m[1]))
	}
	return names
}

// directChatTokens is a call of an uninstrumented caller; the fake counts
// promptTokens for its prompt.
func directChatTokens(baseURL, model string, promptTokens int) error {
	body := `{"model":"` + model + `","max_tokens":16,"messages":[{"role":"user","content":"an uninstrumented caller"}]}`
	req, err := http.NewRequest(http.MethodPost, baseURL+"/v1/chat/completions", strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer test-key")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(fakemistral.HeaderFakePromptTokens, strconv.Itoa(promptTokens))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("direct chat: %s", resp.Status)
	}
	return nil
}
