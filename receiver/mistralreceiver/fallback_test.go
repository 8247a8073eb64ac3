package mistralreceiver

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/otelcol-mistral/otelcol-mistral/internal/fakemistral"
	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
)

const (
	openaiKey    = "sk-proj-fallback-openai-7c1e"
	anthropicKey = "sk-ant-api03-fallback-anthropic-9d2f"
	mistralKey2  = "mistral-fallback-key-5b8a"
)

func startProvider(t *testing.T, kind fakemistral.ProviderKind, key string, clock *fakeClock) *fakemistral.Provider {
	t.Helper()
	p := fakemistral.NewProvider(fakemistral.ProviderOptions{Kind: kind, APIKeys: []string{key}, Now: clock.Now})
	require.NoError(t, p.Start(""))
	t.Cleanup(p.Close)
	return p
}

// TestFallbackGolden probes one fallback per case: ready, a revoked key, a
// spent quota, a rate limit (with the provider's headers), an overload.
func TestFallbackGolden(t *testing.T) {
	tests := []struct {
		name string
		kind fakemistral.ProviderKind
		mode fakemistral.ProviderMode
		want string // error.type, "" when ready
		code int
	}{
		{"openai_ok", fakemistral.ProviderOpenAI, fakemistral.ProviderOK, "", 200},
		{"openai_revoked_key", fakemistral.ProviderOpenAI, fakemistral.ProviderRevokedKey, "authentication", 401},
		{"openai_insufficient_quota", fakemistral.ProviderOpenAI, fakemistral.ProviderQuota, "quota_exhausted", 429},
		{"openai_rate_limit", fakemistral.ProviderOpenAI, fakemistral.ProviderRateLimit, "rate_limit", 429},
		{"anthropic_ok", fakemistral.ProviderAnthropic, fakemistral.ProviderOK, "", 200},
		{"anthropic_revoked_key", fakemistral.ProviderAnthropic, fakemistral.ProviderRevokedKey, "authentication", 401},
		{"anthropic_credit_balance", fakemistral.ProviderAnthropic, fakemistral.ProviderQuota, "quota_exhausted", 400},
		{"anthropic_rate_limit", fakemistral.ProviderAnthropic, fakemistral.ProviderRateLimit, "rate_limit", 429},
		{"anthropic_overloaded", fakemistral.ProviderAnthropic, fakemistral.ProviderOverloaded, "provider_capacity", 529},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock()
			key := map[fakemistral.ProviderKind]string{fakemistral.ProviderOpenAI: openaiKey, fakemistral.ProviderAnthropic: anthropicKey}[tt.kind]
			p := startProvider(t, tt.kind, key, clock)
			require.NoError(t, p.SetMode(tt.mode))
			h := newHarness(t, withClock(clock), withConfig(func(c *Config) {
				// The fallback alone: no API probe, no status page.
				c.APIKey = ""
				c.Fallbacks = []FallbackConfig{{Name: "backup", Kind: string(tt.kind), APIKey: configopaque.String(key)}}
				c.Fallbacks[0].Endpoint = p.URL()
			}))
			m := h.scrape()
			assertGolden(t, "fallback_"+tt.name, m)
			assert.Equal(t, int64(tt.code), gaugeInt(t, m, "mistral.fallback.probe.status_code"))
			if tt.want == "" {
				assert.Equal(t, int64(1), gaugeInt(t, m, "mistral.fallback.probe.success"))
				assert.False(t, failed(m, "mistral.fallback.probe.error"))
			} else {
				assert.Equal(t, int64(0), gaugeInt(t, m, "mistral.fallback.probe.success"))
				assert.Equal(t, tt.want, attrOf(t, m, "mistral.fallback.probe.error", "error.type"))
			}
			assert.False(t, hasMetric(m, "mistral.api.probe.success"), "no Mistral credentials, no API probe")
			require.Len(t, p.Requests(), 1)
		})
	}
}

// TestFallbackMistral probes a second La Plateforme workspace as a fallback.
func TestFallbackMistral(t *testing.T) {
	clock := newFakeClock()
	other := fakemistral.New(fakemistral.Options{APIKeys: map[string]string{mistralKey2: "backup"}, Now: clock.Now})
	require.NoError(t, other.Start("", ""))
	t.Cleanup(other.Close)
	h := newHarness(t, withClock(clock), withConfig(func(c *Config) {
		c.Fallbacks = []FallbackConfig{{Name: "mistral-backup", Kind: "mistral", APIKey: mistralKey2}}
		c.Fallbacks[0].Endpoint = other.URL()
	}))
	m := h.scrape()
	assert.Equal(t, int64(1), gaugeInt(t, m, "mistral.fallback.probe.success"))
	assert.Equal(t, int64(1), gaugeInt(t, m, "mistral.api.probe.success"))
	assert.Equal(t, 1, other.CountRequests("/v1/models"))

	other.SetFault(fakemistral.Fault{Mode: fakemistral.Fault401})
	h.clock.Advance(time.Minute)
	m = h.scrape()
	assert.Equal(t, "authentication", attrOf(t, m, "mistral.fallback.probe.error", "error.type"))
	assert.Equal(t, int64(1), gaugeInt(t, m, "mistral.api.probe.success"), "the primary is unaffected")
}

// TestFallbackKeysStayHome runs the Mistral probe and three fallbacks, each
// with its own canary key, through healthy and failing answers: each key
// reaches only its own endpoint, in its own header, and none appears in a
// log line, a metric or an error.
func TestFallbackKeysStayHome(t *testing.T) {
	clock := newFakeClock()
	openai := startProvider(t, fakemistral.ProviderOpenAI, openaiKey, clock)
	anthropic := startProvider(t, fakemistral.ProviderAnthropic, anthropicKey, clock)
	other := fakemistral.New(fakemistral.Options{APIKeys: map[string]string{mistralKey2: "backup"}, Now: clock.Now})
	require.NoError(t, other.Start("", ""))
	t.Cleanup(other.Close)
	h := newHarness(t, withClock(clock), withConfig(func(c *Config) {
		c.Models = []string{"mistral-small-latest"}
		c.Fallbacks = []FallbackConfig{
			{Name: "openai", Kind: "openai", APIKey: openaiKey},
			{Name: "claude", Kind: "anthropic", APIKey: anthropicKey},
			{Name: "mistral-backup", Kind: "mistral", APIKey: mistralKey2},
		}
		c.Fallbacks[0].Endpoint = openai.URL()
		c.Fallbacks[1].Endpoint = anthropic.URL()
		c.Fallbacks[2].Endpoint = other.URL()
	}))

	var outputs []pmetric.Metrics
	for _, mode := range []fakemistral.ProviderMode{fakemistral.ProviderOK, fakemistral.ProviderRevokedKey,
		fakemistral.ProviderQuota, fakemistral.ProviderRateLimit, fakemistral.ProviderOverloaded} {
		require.NoError(t, openai.SetMode(mode))
		require.NoError(t, anthropic.SetMode(mode))
		other.SetFault(fakemistral.Fault{Mode: map[fakemistral.ProviderMode]fakemistral.FaultMode{
			fakemistral.ProviderRevokedKey: fakemistral.Fault401, fakemistral.ProviderQuota: fakemistral.Fault429TokensMonth,
			fakemistral.ProviderRateLimit: fakemistral.Fault429Code1300, fakemistral.ProviderOverloaded: fakemistral.Fault503Capacity,
		}[mode]})
		h.clock.Advance(2 * time.Minute)
		outputs = append(outputs, h.scrape())
	}
	m := outputs[0]
	assert.Equal(t, int64(1), gaugeIntWith(t, m, "mistral.fallback.probe.success", "mistral.fallback.name", "openai"))
	assert.Equal(t, int64(1), gaugeIntWith(t, m, "mistral.fallback.probe.success", "mistral.fallback.name", "claude"))
	assert.Equal(t, int64(1), gaugeIntWith(t, m, "mistral.fallback.probe.success", "mistral.fallback.name", "mistral-backup"))

	keys := map[string]string{"mistral": testKey, "openai": openaiKey, "anthropic": anthropicKey, "mistral-backup": mistralKey2}
	// Where each key may go, and how.
	for _, r := range openai.Requests() {
		assert.Equal(t, "Bearer "+openaiKey, r.Authorization, "openai got %s", r.Path)
		assert.Empty(t, r.APIKey)
	}
	for _, r := range anthropic.Requests() {
		assert.Equal(t, anthropicKey, r.APIKey, "anthropic got %s", r.Path)
		assert.Empty(t, r.Authorization, "no bearer token to Anthropic")
	}
	for _, r := range other.Requests() {
		assert.Equal(t, "Bearer "+mistralKey2, r.Authorization)
	}
	for _, r := range h.fake.Requests() {
		if r.Listener == "api" {
			assert.Equal(t, "Bearer "+testKey, r.Authorization, "the primary endpoint got another key: %s", r.Path)
		}
	}
	assert.NotEmpty(t, openai.Requests())
	assert.NotEmpty(t, anthropic.Requests())
	assert.NotEmpty(t, other.Requests())

	// Nowhere in what the receiver writes.
	var logs strings.Builder
	for _, e := range h.logs.All() {
		logs.WriteString(e.Message)
		for k, v := range e.ContextMap() {
			logs.WriteString(" " + k + "=" + toString(v))
		}
		logs.WriteString("\n")
	}
	require.Contains(t, logs.String(), "fallback/openai", "the failures were logged: the check below means something")
	for name, key := range keys {
		assert.NotContains(t, logs.String(), key[max(0, len(key)-12):], "the %s key is in a log line", name)
		for _, out := range outputs {
			b, err := (&pmetric.JSONMarshaler{}).MarshalMetrics(out)
			require.NoError(t, err)
			assert.NotContains(t, string(b), key[max(0, len(key)-12):], "the %s key is in a metric", name)
		}
	}
}

// TestKeyInHeader: a key given only as an Authorization header turns the
// API probes on, and is sent as given.
func TestKeyInHeader(t *testing.T) {
	h := newHarness(t, withConfig(func(c *Config) {
		c.APIKey = ""
		c.Headers = configopaque.MapList{{Name: "Authorization", Value: "Bearer " + testKey}}
	}))
	m := h.scrape()
	assert.Equal(t, int64(1), gaugeInt(t, m, "mistral.api.probe.success"))
	require.Equal(t, 1, h.fake.CountRequests("/v1/models"))
	assert.Equal(t, "Bearer "+testKey, h.fake.Requests()[0].Authorization)
}

func TestParseFallbackLimits(t *testing.T) {
	now := time.Date(2026, 2, 7, 14, 38, 39, 0, time.UTC)
	h := http.Header{}
	h.Set("x-ratelimit-limit-requests", "500")
	h.Set("x-ratelimit-remaining-requests", "499")
	h.Set("x-ratelimit-reset-requests", "6m0s")
	h.Set("x-ratelimit-remaining-tokens", "not a number")
	got := parseFallbackLimits("openai", h, now)
	require.Len(t, got, 1)
	assert.Equal(t, mistralapi.Value{V: 500, OK: true}, got[0].limit)
	assert.Equal(t, 6*time.Minute, got[0].reset)

	h = http.Header{}
	// Recorded on a 2026-02 Messages call (maruel/genai, see the fake's README).
	h.Set("Anthropic-Ratelimit-Input-Tokens-Limit", "4000000")
	h.Set("Anthropic-Ratelimit-Input-Tokens-Remaining", "4000000")
	h.Set("Anthropic-Ratelimit-Input-Tokens-Reset", "2026-02-07T14:39:09Z")
	h.Set("Anthropic-Ratelimit-Requests-Reset", "2020-01-01T00:00:00Z")
	got = parseFallbackLimits("anthropic", h, now)
	require.Len(t, got, 2)
	assert.Equal(t, time.Duration(0), got[0].reset, "a reset in the past is now")
	assert.Equal(t, 30*time.Second, got[1].reset)
	assert.Equal(t, int64(4000000), got[1].limit.V)
	assert.Empty(t, parseFallbackLimits("mistral", h, now))
}

// withClock shares a clock with fakes started before the harness.
func withClock(c *fakeClock) harnessOption {
	return func(h *harness, o *fakemistral.Options, _ *Config) {
		h.clock = c
		o.Now = c.Now
	}
}

// TestFallbackFailures: what a broken fallback endpoint does to the probe,
// and a redirect to another origin never carries the key along.
func TestFallbackFailures(t *testing.T) {
	var elsewhereHits atomic.Int32
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhereHits.Add(1)
		assert.Empty(t, r.Header.Get("Authorization"), "the key followed a redirect to another origin")
		_, _ = w.Write([]byte(`{"object":"list","data":[]}`))
	}))
	t.Cleanup(elsewhere.Close)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"html", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<!DOCTYPE html><html>Just a moment...</html>"))
		}, "invalid_body"},
		{"no_data", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{"object":"list"}`)) }, "invalid_body"},
		{"huge", func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(`{"data":["` + strings.Repeat("x", 2<<20) + `"]}`))
		}, "body_too_large"},
		{"hang", func(_ http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}, "timeout"},
		{"redirect_elsewhere", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, elsewhere.URL+"/v1/models", http.StatusFound)
		}, "redirect"},
		{"server_error", func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, `{"error":{"message":"The server had an error","type":"server_error"}}`, http.StatusInternalServerError)
		}, "server_error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			t.Cleanup(srv.Close)
			h := newHarness(t, withConfig(func(c *Config) {
				c.APIKey = ""
				c.MaxBodySize = 1 << 20
				c.Fallbacks = []FallbackConfig{{Name: "backup", Kind: "openai", APIKey: openaiKey}}
				c.Fallbacks[0].Endpoint = srv.URL
				c.Fallbacks[0].Timeout = 300 * time.Millisecond
			}))
			m := h.scrape()
			assert.Equal(t, int64(0), gaugeInt(t, m, "mistral.fallback.probe.success"))
			assert.Equal(t, tt.want, attrOf(t, m, "mistral.fallback.probe.error", "error.type"))
		})
	}
	assert.Zero(t, elsewhereHits.Load(), "a redirect to another origin is not followed")
}
