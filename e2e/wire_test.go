//go:build e2e

package e2e

import (
	"crypto/rand"
	"fmt"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.yaml.in/yaml/v3"

	"github.com/otelcol-mistral/otelcol-mistral/internal/fakemistral"
)

// wireCollector runs the distribution with the shipped config.yaml (and the
// metrics fragment it is run with) and an
// overlay that points it at the fake, turns the chat probe on and moves
// every listener to a free port. It returns the Prometheus exporter's
// address and the OTLP/HTTP URL.
func wireCollector(t *testing.T, fake *fakemistral.Server) (promAddr, otlpURL string) {
	t.Helper()
	otlpPort, promPort, health := FreePort(t), FreePort(t), FreePort(t)
	cfg := mergeYAML(readYAMLMap(t, repoPath(t, "config.yaml")), readYAMLMap(t, repoPath(t, metricsFragment)))
	overlay := map[string]any{
		"extensions": map[string]any{"health_check": map[string]any{"endpoint": fmt.Sprintf("127.0.0.1:%d", health)}},
		"receivers": map[string]any{
			"otlp": map[string]any{"protocols": map[string]any{
				"grpc": map[string]any{"endpoint": fmt.Sprintf("127.0.0.1:%d", FreePort(t))},
				"http": map[string]any{"endpoint": fmt.Sprintf("127.0.0.1:%d", otlpPort)},
			}},
			"mistral": map[string]any{
				"endpoint":            fake.URL(),
				"collection_interval": "2s",
				"initial_delay":       "0s",
				"timeout":             "1500ms",
				"status_pages":        []any{map[string]any{"name": "mistral", "endpoint": fake.StatusURL() + "/mistral"}},
				"chat_probe":          map[string]any{"enabled": true, "model": "mistral-small-latest", "every": 1, "delay": "100ms"},
			},
		},
		"exporters": map[string]any{
			"prometheus": map[string]any{"endpoint": fmt.Sprintf("127.0.0.1:%d", promPort)},
			"debug":      map[string]any{"verbosity": "basic"},
		},
		// Several collectors may run side by side: no internal telemetry port.
		"service": map[string]any{"telemetry": map[string]any{"metrics": map[string]any{"level": "none"}}},
	}
	merged := mergeYAML(cfg, overlay).(map[string]any)
	b, err := yaml.Marshal(merged)
	if err != nil {
		t.Fatal(err)
	}
	StartCollector(t, string(b), "MISTRAL_API_KEY=test-key", "MISTRAL_WORKSPACE=e2e")
	return fmt.Sprintf("127.0.0.1:%d", promPort), fmt.Sprintf("http://127.0.0.1:%d", otlpPort)
}

// mergeYAML lays overlay over base: maps merge key by key, anything else
// is replaced.
func mergeYAML(base, overlay any) any {
	bm, ok1 := base.(map[string]any)
	om, ok2 := overlay.(map[string]any)
	if !ok1 || !ok2 {
		return overlay
	}
	out := map[string]any{}
	for k, v := range bm {
		out[k] = v
	}
	for k, v := range om {
		if old, ok := out[k]; ok {
			out[k] = mergeYAML(old, v)
		} else {
			out[k] = v
		}
	}
	return out
}

// TestWireHeadroom: with the shipped config and the chat probe on, the
// headroom of the chat probe's model appears, per window in seconds, from
// the non-streaming call (the fake, like La Plateforme, sends no rate-limit
// header on GET /v1/models nor on a stream). Windows as a paid account
// showed them in 2025-12: 60-second requests, per-minute and monthly tokens.
func TestWireHeadroom(t *testing.T) {
	fake := StartFake(t, fakemistral.Options{Tier: fakemistral.Tier{RequestsPerSecond: 100, RequestWindow: "60-second"}})
	promAddr, _ := wireCollector(t, fake)
	url := "http://" + promAddr + "/metrics"
	model := map[string]string{"gen_ai_request_model": "mistral-small-latest", "mistral_workspace": "e2e"}
	with := func(k, v string) map[string]string {
		m := map[string]string{k: v}
		for a, b := range model {
			m[a] = b
		}
		return m
	}
	Eventually(t, 45*time.Second, func() error {
		m, err := TryScrapeMetrics(url)
		if err != nil {
			return err
		}
		checks := []struct {
			name  string
			match map[string]string
			want  float64 // < 0: any value
		}{
			{"mistral_ratelimit_requests_limit", with("mistral_ratelimit_window", "60"), 6000},
			{"mistral_ratelimit_requests_remaining", with("mistral_ratelimit_window", "60"), -1},
			{"mistral_ratelimit_tokens_limit", with("mistral_ratelimit_window", "60"), float64(fakemistral.DefaultTier.TokensPerMinute)},
			{"mistral_ratelimit_tokens_limit", with("mistral_ratelimit_window", "2592000"), float64(fakemistral.DefaultTier.TokensPerMonth)},
			{"mistral_ratelimit_tokens_remaining", with("mistral_ratelimit_window", "2592000"), -1},
			{"mistral_ratelimit_zero_allowance", model, 0},
			{"mistral_ratelimit_query_cost", model, -1},
			{"mistral_chat_probe_time_to_first_token_seconds", model, -1},
		}
		for _, c := range checks {
			s := Find(m, c.name, c.match)
			if len(s) != 1 {
				return fmt.Errorf("%s%v: %d series", c.name, c.match, len(s))
			}
			if c.want >= 0 && s[0].Value != c.want {
				return fmt.Errorf("%s%v = %v, want %v", c.name, c.match, s[0].Value, c.want)
			}
		}
		return nil
	})
	if n := fake.CountRequests("/v1/chat/completions"); n < 2 {
		t.Errorf("%d chat requests: want the stream and the headroom call", n)
	}
}

// TestWireCapacityAlert: a storm of capacity 429s (code 3505) on the probe
// and in the application's spans fires MistralProviderCapacityErrors, never
// the rate-limit alerts: a capacity shortage is not our budget.
func TestWireCapacityAlert(t *testing.T) {
	fake := StartFake(t, fakemistral.Options{Tier: fakemistral.Tier{RequestsPerSecond: 100}})
	promAddr, otlpURL := wireCollector(t, fake)
	prom := startPrometheusShortRules(t, promAddr, repoPath(t, "deploy/prometheus/rules.yaml"))
	Eventually(t, 45*time.Second, func() error {
		return prom.expectNonEmpty(`mistral_api_probe_success{mistral_workspace="e2e"} == 1`)
	})

	fake.SetFault(fakemistral.Fault{Mode: fakemistral.Fault429Capacity})
	stop := sendCapacityStorm(t, otlpURL)
	defer stop()
	want := []alertKey{{"MistralProviderCapacityErrors", "mistral_workspace", "e2e"}}
	// The probe failing on Mistral's capacity is an API failure, 429
	// capacity is worth a fallback, and the joined diagnosis reads it as a
	// provider incident; our rate limit is never involved.
	allowed := []string{"MistralProviderCapacityErrors", "MistralAPIProbeFailing", "LLMFallbackRateHigh", "MistralDiagnosis"}
	never := []string{"MistralRateLimitRateHigh", "MistralAPIProbeRateLimited", "MistralZeroAllowanceKey"}
	prom.waitFiring(t, 60*time.Second, want, allowed, never...)
	if err := prom.expectNonEmpty(`mistral_api_probe_error{mistral_workspace="e2e",error_type="provider_capacity"} == 1`); err != nil {
		t.Errorf("the probe did not classify the capacity 429: %v", err)
	}
	if err := prom.expectNonEmpty(`mistral_api_probe_backoff_seconds{mistral_workspace="e2e"} == 0`); err != nil {
		t.Errorf("the probe backed off on a capacity 429: %v", err)
	}
	// MistralRateLimitRateHigh waits 2 s (`for: 2m` shortened): watch longer.
	prom.holdOnly(t, 5*time.Second, allowed, never...)
}

// sendCapacityStorm sends, every 400 ms until stopped, Mistral SDK chat
// spans of which one in two failed with a capacity 429, its body only in
// the SDK's exception message (TypeScript >= 1.10 / Python >= 1.9.11 format).
func sendCapacityStorm(t *testing.T, otlpURL string) (stop func()) {
	return sendSpansEvery(t, otlpURL, 400*time.Millisecond, func(int) ptrace.Traces { return capacitySpans(2) })
}

const capacityMessage = `API error occurred: Status 429. Body: {"object":"error","message":"Service tier capacity exceeded for this model.",` +
	`"type":"service_tier_capacity_exceeded","param":null,"code":"3505"}`

// capacitySpans builds n successful and n capacity-429 chat spans.
func capacitySpans(n int) ptrace.Traces {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "e2e-capacity")
	ss := rs.ScopeSpans().AppendEmpty()
	ss.Scope().SetName("mistralai_sdk_tracer")
	now := time.Now()
	for i := 0; i < 2*n; i++ {
		s := ss.Spans().AppendEmpty()
		var tid pcommon.TraceID
		var sid pcommon.SpanID
		_, _ = rand.Read(tid[:])
		_, _ = rand.Read(sid[:])
		s.SetTraceID(tid)
		s.SetSpanID(sid)
		s.SetName("chat mistral-large-latest")
		s.SetStartTimestamp(pcommon.NewTimestampFromTime(now.Add(-200 * time.Millisecond)))
		s.SetEndTimestamp(pcommon.NewTimestampFromTime(now))
		a := s.Attributes()
		a.PutStr("gen_ai.operation.name", "chat")
		a.PutStr("gen_ai.provider.name", "mistral_ai")
		a.PutStr("gen_ai.request.model", "mistral-large-latest")
		a.PutStr("server.address", "api.mistral.ai")
		if i%2 == 0 {
			s.Status().SetCode(ptrace.StatusCodeOk)
			a.PutInt("http.response.status_code", 200)
			a.PutStr("gen_ai.response.model", "mistral-large-latest")
			a.PutInt("gen_ai.usage.input_tokens", 9)
			a.PutInt("gen_ai.usage.output_tokens", 16)
			continue
		}
		s.Status().SetCode(ptrace.StatusCodeError)
		s.Status().SetMessage(capacityMessage)
		a.PutInt("http.response.status_code", 429)
		ev := s.Events().AppendEmpty()
		ev.SetName("exception")
		ev.SetTimestamp(pcommon.NewTimestampFromTime(now))
		ev.Attributes().PutStr("exception.type", "MistralError")
		ev.Attributes().PutStr("exception.message", capacityMessage)
	}
	return td
}

// TestWireZeroAllowanceAlert: a key without allowance for the chat probe's
// model. As on La Plateforme, GET /v1/models still answers it and only the
// chat probe gets the 429 with x-ratelimit-limit-req-minute: 0: the chat
// probe's headroom fires MistralZeroAllowanceKey while the API probe stays
// up and is never reported rate-limited.
func TestWireZeroAllowanceAlert(t *testing.T) {
	fake := StartFake(t, fakemistral.Options{Tier: fakemistral.Tier{RequestsPerSecond: 100}})
	promAddr, _ := wireCollector(t, fake)
	prom := startPrometheusShortRules(t, promAddr, repoPath(t, "deploy/prometheus/rules.yaml"))
	Eventually(t, 45*time.Second, func() error {
		return prom.expectNonEmpty(`mistral_ratelimit_zero_allowance{mistral_workspace="e2e"} == 0`)
	})

	fake.SetFault(fakemistral.Fault{Mode: fakemistral.Fault429ZeroAllowance})
	want := []alertKey{{"MistralZeroAllowanceKey", "mistral_workspace", "e2e"}}
	allowed := []string{"MistralZeroAllowanceKey", "MistralDiagnosis"}
	never := []string{"MistralAPIProbeFailing", "MistralAPIProbeRateLimited"}
	prom.waitFiring(t, 60*time.Second, want, allowed, never...)
	for _, q := range []string{
		`mistral_api_probe_success{mistral_workspace="e2e"} == 1`,
		`mistral_api_probe_backoff_seconds{mistral_workspace="e2e"} == 0`,
		`mistral_chat_probe_error{mistral_workspace="e2e",gen_ai_request_model="mistral-small-latest",error_type="quota_exhausted"} == 1`,
		`mistral_ratelimit_requests_limit{mistral_workspace="e2e",gen_ai_request_model="mistral-small-latest"} == 0`,
	} {
		if err := prom.expectNonEmpty(q); err != nil {
			t.Errorf("%s: %v", q, err)
		}
	}
	// MistralAPIProbeRateLimited waits 10 s (`for: 10m` shortened): watch longer.
	prom.holdOnly(t, 12*time.Second, allowed, never...)
	if n := fake.CountRequests("/v1/models"); n < 10 {
		t.Errorf("%d GET /v1/models: the models probe must go on at every scrape", n)
	}
}
