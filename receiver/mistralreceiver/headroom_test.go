package mistralreceiver

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelcol-mistral/otelcol-mistral/internal/fakemistral"
)

func withTier(tier fakemistral.Tier) harnessOption {
	return func(_ *harness, o *fakemistral.Options, _ *Config) { o.Tier = tier }
}

func withChatProbe(every int) harnessOption {
	return withConfig(func(c *Config) {
		c.ChatProbe = ChatProbeConfig{Enabled: true, Model: "mistral-large-latest", Every: every, Delay: time.Second}
	})
}

// TestHeadroomNeedsChatProbe: GET /v1/models carries no rate-limit headers,
// so without the chat probe there is no headroom metric at all.
func TestHeadroomNeedsChatProbe(t *testing.T) {
	h := newHarness(t)
	m := h.scrape()
	require.Equal(t, int64(1), gaugeInt(t, m, "mistral.api.probe.success"))
	for _, name := range []string{"mistral.ratelimit.requests.limit", "mistral.ratelimit.tokens.limit", "mistral.ratelimit.zero_allowance"} {
		assert.False(t, hasMetric(m, name), name)
	}
}

// TestHeadroomPerModel: the headroom is the chat probe model's row, with
// the windows its headers name (1200 req/60 s and tokens per 5 minutes for
// that model, while the others have 360 per 60 s).
func TestHeadroomPerModel(t *testing.T) {
	h := newHarness(t, withChatProbe(1), withTier(fakemistral.Tier{RequestsPerSecond: 6, RequestWindow: "60-second",
		Models: map[string]fakemistral.Tier{"mistral-large-2512": {RequestsPerSecond: 20, RequestWindow: "60-second", TokenWindow: "5-minute", TokensPerMinute: 1000}}}))
	m := h.scrape()
	require.Equal(t, int64(1), gaugeInt(t, m, "mistral.chat.probe.success"))
	assert.Equal(t, int64(1200), gaugeIntWith(t, m, "mistral.ratelimit.requests.limit", "mistral.ratelimit.window", "60"))
	assert.Equal(t, int64(1198), gaugeIntWith(t, m, "mistral.ratelimit.requests.remaining", "mistral.ratelimit.window", "60"),
		"the stream and the headroom call count against the model's row")
	assert.Equal(t, int64(1000), gaugeIntWith(t, m, "mistral.ratelimit.tokens.limit", "mistral.ratelimit.window", "300"))
	assert.Equal(t, "mistral-large-latest", attrOf(t, m, "mistral.ratelimit.requests.limit", "gen_ai.request.model"))
	assert.Equal(t, int64(0), gaugeInt(t, m, "mistral.ratelimit.zero_allowance"))
	assert.Positive(t, gaugeInt(t, m, "mistral.ratelimit.query_cost"))
	assert.Positive(t, gaugeDouble(t, m, "mistral.chat.probe.time_to_first_token"))
}

// TestCapacity429DoesNotBackOff: a capacity 429 (code 3505) is the
// provider's shortage, not our budget: provider_capacity, no backoff, the
// next scrape calls again.
func TestCapacity429DoesNotBackOff(t *testing.T) {
	for _, mode := range []fakemistral.FaultMode{fakemistral.Fault429Capacity, fakemistral.Fault429CapacityBackend} {
		t.Run(string(mode), func(t *testing.T) {
			h := newHarness(t, withChatProbe(1))
			h.fake.SetFault(fakemistral.Fault{Mode: mode})
			m := h.scrape()
			assert.Equal(t, "provider_capacity", attrOf(t, m, "mistral.api.probe.error", "error.type"))
			assert.Equal(t, "provider_capacity", attrOf(t, m, "mistral.chat.probe.error", "error.type"))
			assert.Equal(t, int64(429), gaugeInt(t, m, "mistral.api.probe.status_code"))
			assert.InDelta(t, 0.0, gaugeDouble(t, m, "mistral.api.probe.backoff"), 1e-9)
			h.clock.Advance(time.Minute)
			h.scrape()
			assert.Equal(t, 2, h.fake.CountRequests("/v1/models"), "no backoff after a capacity 429")
		})
	}
}

// TestChatRateLimitKeepsTokenWindows: a request-limit 429 of the chat
// probe carries only the request pair; the token windows last announced are
// kept, the request window updated, and the probe backs off until the next
// boundary of the request window.
func TestChatRateLimitKeepsTokenWindows(t *testing.T) {
	h := newHarness(t, withChatProbe(1), withTier(fakemistral.Tier{RequestsPerSecond: 100, RequestWindow: "10-second"}))
	m := h.scrape()
	require.Equal(t, int64(1000), gaugeIntWith(t, m, "mistral.ratelimit.requests.limit", "mistral.ratelimit.window", "10"))
	tokens := gaugeIntWith(t, m, "mistral.ratelimit.tokens.remaining", "mistral.ratelimit.window", "60")

	h.clock.Advance(time.Minute)
	h.fake.SetFault(fakemistral.Fault{Mode: fakemistral.Fault429Code1300, Every: 2}) // the stream gets the 429
	m = h.scrape()
	assert.Equal(t, "rate_limit", attrOf(t, m, "mistral.chat.probe.error", "error.type"))
	assert.Equal(t, int64(0), gaugeIntWith(t, m, "mistral.ratelimit.requests.remaining", "mistral.ratelimit.window", "10"))
	assert.Equal(t, tokens, gaugeIntWith(t, m, "mistral.ratelimit.tokens.remaining", "mistral.ratelimit.window", "60"))
	backoff := gaugeDouble(t, m, "mistral.api.probe.backoff")
	assert.Positive(t, backoff)
	assert.LessOrEqual(t, backoff, 10.0, "the 10-second window resets at the next 10-second boundary")
}
