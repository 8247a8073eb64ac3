package mistralreceiver

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/otelcol-mistral/otelcol-mistral/internal/fakemistral"
	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralstate"
)

// joined attaches a store to the harness's scraper, on the harness's clock.
func joined(h *harness) *mistralstate.Store {
	st := mistralstate.NewStore(3, 3, time.Minute)
	st.SetClock(h.clock.Now)
	h.s.join.store = st
	return st
}

// point returns the data point of name whose attributes include want.
func point(t *testing.T, m pmetric.Metrics, name string, want map[string]string) pmetric.NumberDataPoint {
	t.Helper()
	for _, dp := range datapoints(t, m, name) {
		match := true
		for k, v := range want {
			if got, ok := dp.Attributes().Get(k); !ok || got.AsString() != v {
				match = false
			}
		}
		if match {
			return dp
		}
	}
	t.Fatalf("metric %s has no data point with %v", name, want)
	return pmetric.NumberDataPoint{}
}

func add(st *mistralstate.Store, calls ...mistralstate.Call) {
	var b mistralstate.Batch
	for _, c := range calls {
		b.Add(c)
	}
	st.Add(&b)
}

func diagnosis(t *testing.T, m pmetric.Metrics) string {
	t.Helper()
	return attrOf(t, m, "mistral.diagnosis", "mistral.diagnosis.state")
}

// TestJoinPublishesCatalogue: the scrape publishes every card id and alias,
// with the target's deprecation.
func TestJoinPublishesCatalogue(t *testing.T) {
	h := newHarness(t)
	st := joined(h)
	h.scrape()
	snap := st.Load()
	require.NotNil(t, snap)
	m, ok := snap.Lookup("mistral-medium-2505")
	require.True(t, ok)
	assert.True(t, m.Deprecated())
	assert.Equal(t, "mistral-medium-2508", m.Replacement)
	m, ok = snap.Lookup("mistral-small-latest")
	require.True(t, ok)
	assert.Equal(t, "mistral-small-2506", m.Resolved)
	assert.Empty(t, snap.Health.ProbeClass)
}

// TestJoinTrafficMetrics: calls and deprecated calls by service and model;
// every model seen in traffic is watched; a watched model nobody calls is
// unused; calls beyond the caps count as overflow.
func TestJoinTrafficMetrics(t *testing.T) {
	h := newHarness(t, withConfig(func(c *Config) { c.Models = []string{"mistral-small-latest", "mistral-large-latest"} }))
	st := joined(h)
	// One batch each, so that the order the caps are filled in is known.
	for _, c := range []mistralstate.Call{
		{Service: "checkout", Model: "mistral-medium-2505", Deprecated: true},
		{Service: "checkout", Model: "mistral-small-2506"},
		{Service: "search", Model: "mistral-medium-2505", Deprecated: true},
		{Service: "a", Model: "m1"},
		{Service: "b", Model: "m2"},
		{Service: "b", Model: "m2"},
	} {
		add(st, c)
	}
	m := h.scrape()
	assert.Equal(t, int64(1), point(t, m, "mistral.traffic.deprecated_calls", map[string]string{"service.name": "checkout", "gen_ai.request.model": "mistral-medium-2505"}).IntValue())
	assert.Equal(t, int64(1), point(t, m, "mistral.traffic.calls", map[string]string{"service.name": "checkout", "gen_ai.request.model": "mistral-small-2506"}).IntValue())
	assert.Positive(t, gaugeIntWith(t, m, "mistral.model.deprecation.time_remaining", "gen_ai.request.model", "mistral-medium-2505"),
		"a model seen only in traffic is watched")
	assert.Equal(t, int64(0), gaugeIntWith(t, m, "mistral.model.unused", "gen_ai.request.model", "mistral-small-latest"),
		"used through its dated id")
	assert.Equal(t, int64(1), gaugeIntWith(t, m, "mistral.model.unused", "gen_ai.request.model", "mistral-large-latest"))
	assert.Equal(t, int64(2), sumInt(t, m, "mistral.traffic.overflow", "mistral.traffic.dimension", "service"))
	assert.Equal(t, int64(2), sumInt(t, m, "mistral.traffic.overflow", "mistral.traffic.dimension", "model"))
	assert.Equal(t, int64(2), point(t, m, "mistral.traffic.calls", map[string]string{"service.name": "other", "gen_ai.request.model": "other"}).IntValue())
}

// TestJoinDiagnosis: each case of the rules against the fake.
func TestJoinDiagnosis(t *testing.T) {
	h := newHarness(t)
	st := joined(h)
	m := h.scrape()
	assert.Equal(t, "healthy", diagnosis(t, m))
	assert.Len(t, datapoints(t, m, "mistral.diagnosis"), 4, "a state set")

	add(st, mistralstate.Call{Service: "checkout", Model: "mistral-small-latest", Class: mistralapi.ClassRateLimit})
	assert.Equal(t, "our_quota", diagnosis(t, h.scrape()))

	h.clock.Advance(2 * time.Minute)
	add(st, mistralstate.Call{Service: "checkout", Model: "mistral-small-latest", Class: mistralapi.ClassAuthentication})
	assert.Equal(t, "our_configuration", diagnosis(t, h.scrape()))

	h.clock.Advance(2 * time.Minute)
	h.fake.SetFault(fakemistral.Fault{Mode: fakemistral.Fault503Capacity})
	add(st, mistralstate.Call{Service: "checkout", Model: "mistral-small-latest", Class: mistralapi.ClassProviderCapacity})
	m = h.scrape()
	assert.Equal(t, "provider_incident", diagnosis(t, m))
	assert.Equal(t, mistralapi.ClassProviderCapacity, st.Load().Health.ProbeClass)

	h.clock.Advance(2 * time.Minute)
	h.fake.SetFault(fakemistral.Fault{})
	add(st, mistralstate.Call{Service: "checkout", Model: "mistral-small-latest"})
	assert.Equal(t, "healthy", diagnosis(t, h.scrape()), "recovered")
}

// TestJoinQuotaShare: each service's share of the chat probe model's
// announced limits, over the last complete minute.
func TestJoinQuotaShare(t *testing.T) {
	h := newHarness(t, withChatProbe(1), withTier(fakemistral.Tier{RequestsPerSecond: 1, RequestWindow: "60-second",
		TokensPerMinute: 1000, TokenWindow: "minute", TokensPerMonth: 1_000_000}))
	st := joined(h)
	h.scrape()
	require.NotNil(t, st.Load().Headroom)
	// 60 req/60 s and 1000 tokens/minute on mistral-large-latest: noisy sends
	// 30 requests (300 tokens) through the dated id, quiet 3.
	for range 30 {
		add(st, mistralstate.Call{Service: "noisy", Model: "mistral-large-2512", Tokens: 10})
	}
	for range 3 {
		add(st, mistralstate.Call{Service: "quiet", Model: "mistral-large-latest", Tokens: 10})
	}
	add(st, mistralstate.Call{Service: "quiet", Model: "mistral-small-latest", Tokens: 999})
	h.clock.Advance(time.Minute)
	m := h.scrape()
	noisy := point(t, m, "mistral.traffic.requests.quota_share", map[string]string{"service.name": "noisy", "mistral.ratelimit.window": "60"}).DoubleValue()
	quiet := point(t, m, "mistral.traffic.requests.quota_share", map[string]string{"service.name": "quiet", "mistral.ratelimit.window": "60"}).DoubleValue()
	assert.InDelta(t, 0.5, noisy, 1e-9)
	assert.InDelta(t, 0.05, quiet, 1e-9, "the call to another model does not count")
	tok := point(t, m, "mistral.traffic.tokens.quota_share", map[string]string{"service.name": "quiet", "mistral.ratelimit.window": "60"}).DoubleValue()
	assert.InDelta(t, 0.03, tok, 1e-9)
}

// TestJoinUntrackedTokens: tokens spent on the workspace by a caller whose
// spans the collector never sees show up as untracked.
func TestJoinUntrackedTokens(t *testing.T) {
	h := newHarness(t, withChatProbe(1), withTier(fakemistral.Tier{RequestsPerSecond: 100, TokensPerMinute: 1_000_000, TokensPerMonth: 1_000_000}))
	st := joined(h)
	m := h.scrape()
	assert.False(t, hasMetric(m, "mistral.traffic.untracked_tokens"), "one reading is not a difference")

	h.clock.Advance(time.Minute)
	tracked := directChat(t, h, "mistral-large-latest", "instrumented call, counted by the processor")
	add(st, mistralstate.Call{Service: "checkout", Model: "mistral-large-2512", Tokens: tracked})
	add(st, mistralstate.Call{Service: "checkout", Model: "mistral-small-latest", Tokens: 5000})
	directChat(t, h, "mistral-small-latest", "another model: its own limits, not counted")
	untracked := directChat(t, h, "mistral-large-latest", "a leaked key, no span at all: this prompt is a little longer than the other one")
	h.clock.Advance(time.Minute)
	m = h.scrape()
	got := gaugeInt(t, m, "mistral.traffic.untracked_tokens")
	unc := gaugeInt(t, m, "mistral.traffic.untracked_tokens.uncertainty")
	assert.InDelta(t, untracked, got, float64(unc), "untracked %d ± %d, want %d", got, unc, untracked)
	assert.Positive(t, got)
	assert.InDelta(t, 120, gaugeInt(t, m, "mistral.traffic.untracked_tokens.window"), 5)
}

// directChat calls the fake's chat completions with the test key and
// returns the tokens it used.
func directChat(t *testing.T, h *harness, model, prompt string) int64 {
	t.Helper()
	body := `{"model":"` + model + `","max_tokens":5,"messages":[{"role":"user","content":` + jsonString(prompt) + `}]}`
	req, err := http.NewRequest(http.MethodPost, h.fake.URL()+"/v1/chat/completions", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+testKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var out struct {
		Usage struct {
			Total int64 `json:"total_tokens"`
		} `json:"usage"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	require.Positive(t, out.Usage.Total)
	return out.Usage.Total
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestJoinGolden: every join metric of a scrape, against
// testdata/golden/join.yaml (regenerate with -update).
func TestJoinGolden(t *testing.T) {
	h := newHarness(t, withChatProbe(1),
		withConfig(func(c *Config) { c.Models = []string{"mistral-large-latest", "mistral-small-latest"} }),
		withTier(fakemistral.Tier{RequestsPerSecond: 1, RequestWindow: "60-second", TokensPerMinute: 1000, TokensPerMonth: 1_000_000}))
	st := joined(h)
	h.scrape()
	for _, c := range []mistralstate.Call{
		{Service: "checkout", Model: "mistral-large-latest", Tokens: 40},
		{Service: "checkout", Model: "mistral-medium-2505", Deprecated: true, Tokens: 10},
		{Service: "search", Model: "mistral-large-2512", Class: mistralapi.ClassRateLimit},
	} {
		add(st, c)
	}
	h.clock.Advance(30 * time.Second)
	directChat(t, h, "mistral-large-latest", "an uninstrumented caller")
	h.clock.Advance(30 * time.Second)
	assertGolden(t, "join", h.scrape())
}
