package mistralreceiver

import (
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/otelcol-mistral/otelcol-mistral/internal/fakemistral"
	"github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver/internal/metadata"
)

// watchedModels covers an alias, a model to be deprecated, a deprecated
// one and a retired alias.
var watchedModels = []string{"mistral-small-latest", "mistral-medium-2505", "mistral-small-2409", "mistral-tiny-latest"}

func withModels(c *Config) { c.Models = watchedModels }

func TestScrapeAPIGolden(t *testing.T) {
	shortTimeout := withConfig(func(c *Config) { c.ClientConfig.Timeout = 300 * time.Millisecond })
	tests := []struct {
		name  string
		opts  []harnessOption
		fault fakemistral.Fault
		want  string // error.type, "" for success
		// chatWant is the chat probe's error.type when opts enable it.
		chatWant string
		// requests is the number of GET /v1/models the fake answers: 0 when
		// the TLS handshake fails, 10 for the redirect loop; 0 means 1.
		requests int
	}{
		{name: "ok"},
		{name: "legacy_headers", opts: []harnessOption{withLegacyHeaders()}},
		{name: "429_code1300", fault: fakemistral.Fault{Mode: fakemistral.Fault429Code1300}, want: "rate_limit"},
		{name: "429_bare", fault: fakemistral.Fault{Mode: fakemistral.Fault429Bare}, want: "rate_limit"},
		// The catalogue answers a key without allowance; the chat probe's
		// stream gets the 429 with the request limit 0.
		{name: "429_zero_allowance", opts: []harnessOption{withChatProbe(1)}, fault: fakemistral.Fault{Mode: fakemistral.Fault429ZeroAllowance},
			chatWant: "quota_exhausted"},
		{name: "429_tokens_month", fault: fakemistral.Fault{Mode: fakemistral.Fault429TokensMonth}, want: "quota_exhausted"},
		{name: "503_capacity", fault: fakemistral.Fault{Mode: fakemistral.Fault503Capacity}, want: "provider_capacity"},
		{name: "500", fault: fakemistral.Fault{Mode: fakemistral.Fault500}, want: "server_error"},
		{name: "401", fault: fakemistral.Fault{Mode: fakemistral.Fault401}, want: "authentication"},
		{name: "403", fault: fakemistral.Fault{Mode: fakemistral.Fault403}, want: "permission"},
		{name: "slow", opts: []harnessOption{shortTimeout}, fault: fakemistral.Fault{Latency: 3 * time.Second}, want: "timeout"},
		{name: "hang", opts: []harnessOption{shortTimeout}, fault: fakemistral.Fault{Mode: fakemistral.FaultHang}, want: "timeout"},
		{name: "reset", fault: fakemistral.Fault{Mode: fakemistral.FaultReset}, want: "transport"},
		{name: "huge_body", fault: fakemistral.Fault{Mode: fakemistral.FaultHugeBody}, want: "body_too_large"},
		{name: "invalid_json", fault: fakemistral.Fault{Mode: fakemistral.FaultInvalidJSON}, want: "invalid_body"},
		{name: "html", fault: fakemistral.Fault{Mode: fakemistral.FaultHTML}, want: "invalid_body"},
		{name: "redirect_loop", fault: fakemistral.Fault{Mode: fakemistral.FaultRedirectLoop}, want: "redirect", requests: 1},
		{name: "tls_self_signed_trusted", opts: []harnessOption{withTLS(fakemistral.TLSSelfSigned, true)}},
		{name: "tls_self_signed_untrusted", requests: -1, opts: []harnessOption{withTLS(fakemistral.TLSSelfSigned, false)}, want: "tls"},
		{name: "tls_expired", requests: -1, opts: []harnessOption{withTLS(fakemistral.TLSExpired, true)}, want: "tls"},
		{name: "tls_wrong_host", requests: -1, opts: []harnessOption{withTLS(fakemistral.TLSWrongHost, true)}, want: "tls"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, append([]harnessOption{withConfig(withModels)}, tt.opts...)...)
			h.fake.SetFault(tt.fault)
			m := h.scrape()
			assertGolden(t, "api_"+tt.name, m)

			if tt.want == "" {
				assert.Equal(t, int64(1), gaugeInt(t, m, "mistral.api.probe.success"))
				assert.Equal(t, int64(200), gaugeInt(t, m, "mistral.api.probe.status_code"))
			} else {
				assert.Equal(t, int64(0), gaugeInt(t, m, "mistral.api.probe.success"))
				assert.Equal(t, tt.want, attrOf(t, m, "mistral.api.probe.error", "error.type"))
			}
			if tt.chatWant != "" {
				assert.Equal(t, int64(0), gaugeInt(t, m, "mistral.chat.probe.success"))
				assert.Equal(t, tt.chatWant, attrOf(t, m, "mistral.chat.probe.error", "error.type"))
				assert.Equal(t, int64(1), gaugeInt(t, m, "mistral.ratelimit.zero_allowance"))
			}
			switch tt.requests {
			case 0:
				assert.Equal(t, 1, h.fake.CountRequests("/v1/models"))
			case -1:
				assert.Zero(t, h.fake.CountRequests("/v1/models"), "the handshake fails before any request")
			default:
				assert.Equal(t, tt.requests, h.fake.CountRequests("/v1/models"))
			}
		})
	}
}

func TestTLSCertRemaining(t *testing.T) {
	h := newHarness(t, withTLS(fakemistral.TLSExpired, true))
	m := h.scrape()
	assert.Negative(t, gaugeInt(t, m, "mistral.api.tls.cert_remaining"), "an expired certificate has negative time left")
	assert.Equal(t, "tls", attrOf(t, m, "mistral.api.probe.error", "error.type"))

	h = newHarness(t, withTLS(fakemistral.TLSSelfSigned, true))
	m = h.scrape()
	assert.Positive(t, gaugeInt(t, m, "mistral.api.tls.cert_remaining"))

	h = newHarness(t)
	m = h.scrape()
	assert.False(t, hasMetric(m, "mistral.api.tls.cert_remaining"), "plain HTTP has no certificate")
}

func TestConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())

	cfg := NewFactory().CreateDefaultConfig().(*Config)
	cfg.Endpoint = "http://" + addr
	cfg.APIKey = testKey
	cfg.StatusPages = nil
	s := newScraper(cfg, receivertest.NewNopSettings(metadata.Type))
	require.NoError(t, s.start(context.Background(), componenttest.NewNopHost()))
	defer func() { require.NoError(t, s.shutdown(context.Background())) }()
	m, err := s.scrape(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "connect", attrOf(t, m, "mistral.api.probe.error", "error.type"))
	assert.Equal(t, int64(0), gaugeInt(t, m, "mistral.api.probe.status_code"))
}

func TestBackoffRetryAfter(t *testing.T) {
	h := newHarness(t)
	h.fake.SetFault(fakemistral.Fault{Mode: fakemistral.Fault429Code1300, RetryAfter: 90})
	m := h.scrape()
	assert.Equal(t, "rate_limit", attrOf(t, m, "mistral.api.probe.error", "error.type"))
	assert.InDelta(t, 90.0, gaugeDouble(t, m, "mistral.api.probe.backoff"), 1e-9)
	assert.Equal(t, 1, h.fake.CountRequests("/v1/models"))
	assert.False(t, hasMetric(m, "mistral.ratelimit.requests.remaining"), "the models probe reads no headroom")

	// The API recovers, but the probe waits until Retry-After has passed.
	h.fake.SetFault(fakemistral.Fault{})
	h.clock.Advance(60 * time.Second)
	m = h.scrape()
	assert.Equal(t, 1, h.fake.CountRequests("/v1/models"), "no API call during the backoff")
	assert.Equal(t, int64(0), gaugeInt(t, m, "mistral.api.probe.success"))
	assert.Equal(t, int64(429), gaugeInt(t, m, "mistral.api.probe.status_code"))
	assert.Equal(t, "rate_limit", attrOf(t, m, "mistral.api.probe.error", "error.type"))
	assert.InDelta(t, 30.0, gaugeDouble(t, m, "mistral.api.probe.backoff"), 1e-9)
	assert.False(t, hasMetric(m, "mistral.api.probe.duration"), "no request, no duration")
	assertGolden(t, "backoff_during", m)

	h.clock.Advance(31 * time.Second)
	m = h.scrape()
	assert.Equal(t, 2, h.fake.CountRequests("/v1/models"), "the probe resumes after the backoff")
	assert.Equal(t, int64(1), gaugeInt(t, m, "mistral.api.probe.success"))
	assert.InDelta(t, 0.0, gaugeDouble(t, m, "mistral.api.probe.backoff"), 1e-9)
	assert.Equal(t, int64(2), sumInt(t, m, "mistral.api.requests", "mistral.probe.kind", "models"))
}

func TestBackoffNextMinute(t *testing.T) {
	h := newHarness(t)
	h.fake.SetFault(fakemistral.Fault{Mode: fakemistral.Fault429Bare})
	m := h.scrape() // at hh:00:30: a 429 without Retry-After waits for hh:01:00.
	assert.InDelta(t, 30.0, gaugeDouble(t, m, "mistral.api.probe.backoff"), 1e-9)
	h.fake.SetFault(fakemistral.Fault{})

	h.clock.Advance(20 * time.Second)
	m = h.scrape()
	assert.Equal(t, 1, h.fake.CountRequests("/v1/models"))
	assert.InDelta(t, 10.0, gaugeDouble(t, m, "mistral.api.probe.backoff"), 1e-9)

	h.clock.Advance(10 * time.Second)
	m = h.scrape()
	assert.Equal(t, 2, h.fake.CountRequests("/v1/models"))
	assert.Equal(t, int64(1), gaugeInt(t, m, "mistral.api.probe.success"))
}

// A zero-allowance 429 of the chat probe holds the chat probe until the
// next window; the models probe goes on every scrape.
func TestBackoffZeroAllowance(t *testing.T) {
	h := newHarness(t, withChatProbe(1))
	h.fake.SetFault(fakemistral.Fault{Mode: fakemistral.Fault429ZeroAllowance})
	m := h.scrape() // at hh:00:30
	assert.Equal(t, int64(1), gaugeInt(t, m, "mistral.api.probe.success"))
	assert.InDelta(t, 0.0, gaugeDouble(t, m, "mistral.api.probe.backoff"), 1e-9, "the models probe does not back off")
	assert.Equal(t, "quota_exhausted", attrOf(t, m, "mistral.chat.probe.error", "error.type"))
	assert.Equal(t, int64(1), gaugeInt(t, m, "mistral.ratelimit.zero_allowance"))
	assert.Equal(t, 1, h.fake.CountRequests("/v1/chat/completions"), "the stream's 429 tells the headroom: no second call")

	h.clock.Advance(10 * time.Second)
	m = h.scrape()
	assert.Equal(t, 2, h.fake.CountRequests("/v1/models"))
	assert.Equal(t, 1, h.fake.CountRequests("/v1/chat/completions"), "no chat call before the next minute")
	assert.Equal(t, int64(1), gaugeInt(t, m, "mistral.api.probe.success"))
	assert.Equal(t, "quota_exhausted", attrOf(t, m, "mistral.chat.probe.error", "error.type"))
	assert.Equal(t, int64(1), gaugeInt(t, m, "mistral.ratelimit.zero_allowance"))

	// The key gets an allowance: the chat probe recovers at the next minute.
	h.fake.SetFault(fakemistral.Fault{})
	h.clock.Advance(20 * time.Second)
	m = h.scrape()
	assert.Equal(t, 3, h.fake.CountRequests("/v1/chat/completions"), "the stream, then the headroom call")
	assert.Equal(t, int64(1), gaugeInt(t, m, "mistral.chat.probe.success"))
	assert.Equal(t, int64(0), gaugeInt(t, m, "mistral.ratelimit.zero_allowance"))
}

func TestChatProbe(t *testing.T) {
	h := newHarness(t, withConfig(func(c *Config) {
		c.ChatProbe = ChatProbeConfig{Enabled: true, Model: "ministral-8b-latest", Every: 2, Delay: time.Second}
	}))
	m := h.scrape()
	assertGolden(t, "chat_ok", m)
	assert.Equal(t, 2, h.fake.CountRequests("/v1/chat/completions"), "the stream, then the headroom call")
	assert.Equal(t, int64(1), gaugeInt(t, m, "mistral.chat.probe.success"))
	assert.Positive(t, gaugeDouble(t, m, "mistral.chat.probe.time_to_first_token"))
	assert.Positive(t, gaugeDouble(t, m, "mistral.chat.probe.duration"))
	assert.Equal(t, int64(1), gaugeIntWith(t, m, "mistral.chat.probe.tokens", "gen_ai.token.type", "output"))
	assert.Positive(t, gaugeIntWith(t, m, "mistral.chat.probe.tokens", "gen_ai.token.type", "input"))
	assert.Equal(t, int64(2), sumInt(t, m, "mistral.api.requests", "mistral.probe.kind", "chat"))
	assert.Equal(t, int64(60), gaugeIntWith(t, m, "mistral.ratelimit.requests.limit", "mistral.ratelimit.window", "60"))
	for _, r := range h.fake.Requests() {
		assert.NotEqual(t, 429, r.Status, "the monitor must not trip the rate limit itself: %s", r.Path)
	}

	// Not due: the last result is repeated, no request.
	h.clock.Advance(time.Minute)
	m = h.scrape()
	assert.Equal(t, 2, h.fake.CountRequests("/v1/chat/completions"))
	assert.Equal(t, int64(1), gaugeInt(t, m, "mistral.chat.probe.success"))

	// Due again, and the chat answers 400 invalid_model (every second /v1
	// request faults): no headroom call after a failed stream.
	h.clock.Advance(time.Minute)
	h.fake.SetFault(fakemistral.Fault{Mode: fakemistral.FaultInvalidModel, Every: 2})
	m = h.scrape()
	assert.Equal(t, 3, h.fake.CountRequests("/v1/chat/completions"))
	assert.Equal(t, int64(1), gaugeInt(t, m, "mistral.api.probe.success"))
	assert.Equal(t, int64(0), gaugeInt(t, m, "mistral.chat.probe.success"))
	assert.Equal(t, "model_not_found", attrOf(t, m, "mistral.chat.probe.error", "error.type"))
}

func TestChatProbeWaitsForBackoff(t *testing.T) {
	h := newHarness(t, withConfig(func(c *Config) {
		c.ChatProbe = ChatProbeConfig{Enabled: true, Model: "ministral-8b-latest", Every: 1, Delay: time.Second}
	}))
	h.fake.SetFault(fakemistral.Fault{Mode: fakemistral.Fault429Code1300, RetryAfter: 45})
	m := h.scrape()
	assert.Equal(t, 0, h.fake.CountRequests("/v1/chat/completions"), "a 429 on the models probe holds the chat probe")
	assert.Equal(t, "rate_limit", attrOf(t, m, "mistral.chat.probe.error", "error.type"))

	h.fake.SetFault(fakemistral.Fault{})
	h.clock.Advance(30 * time.Second)
	h.scrape()
	assert.Equal(t, 0, h.fake.CountRequests("/v1/chat/completions"))

	h.clock.Advance(30 * time.Second)
	m = h.scrape()
	assert.Equal(t, 2, h.fake.CountRequests("/v1/chat/completions"))
	assert.Equal(t, int64(1), gaugeInt(t, m, "mistral.chat.probe.success"))
}

func TestStatusPagesGolden(t *testing.T) {
	tests := []struct {
		name   string
		page   fakemistral.StatusPage
		format string
		want   string // error.type, "" when readable
	}{
		{name: "statuspage_minor", page: fakemistral.StatusPage{Format: fakemistral.FormatStatuspage, Scenario: fakemistral.ScenarioMinor}, format: "auto"},
		{name: "statuspage_resolved", page: fakemistral.StatusPage{Format: fakemistral.FormatStatuspage, Scenario: fakemistral.ScenarioResolved}, format: "statuspage"},
		{name: "incidentio_major_outage", page: fakemistral.StatusPage{Format: fakemistral.FormatIncidentIO, Scenario: fakemistral.ScenarioMajorOutage}, format: "incidentio"},
		{name: "incidentio_auto_minor", page: fakemistral.StatusPage{Format: fakemistral.FormatIncidentIO, Scenario: fakemistral.ScenarioMinor}, format: "auto"},
		{name: "rootly_maintenance", page: fakemistral.StatusPage{Format: fakemistral.FormatRootly, Scenario: fakemistral.ScenarioMaintenance}, format: "auto"},
		{name: "rss_minor", page: fakemistral.StatusPage{Format: fakemistral.FormatRSS, Scenario: fakemistral.ScenarioMinor}, format: "auto"},
		{name: "atom_major_outage", page: fakemistral.StatusPage{Format: fakemistral.FormatAtom, Scenario: fakemistral.ScenarioMajorOutage}, format: "auto"},
		{name: "challenge", page: fakemistral.StatusPage{Format: fakemistral.FormatChallenge}, format: "auto", want: "challenge"},
		{name: "challenge_rootly", page: fakemistral.StatusPage{Format: fakemistral.FormatChallenge}, format: "rootly", want: "challenge"},
		{name: "redirect_html", page: fakemistral.StatusPage{Format: fakemistral.FormatRedirectHTML}, format: "auto", want: "html"},
		{name: "not_found", page: fakemistral.StatusPage{Format: fakemistral.FormatNotFound}, format: "auto", want: "not_found"},
		{name: "invalid_json", page: fakemistral.StatusPage{Format: fakemistral.FormatInvalidJSON}, format: "statuspage", want: "invalid_body"},
		// The fake's corpora of real-shaped feed entries: each entry rated
		// from what it states about impact, never from its prose.
		{name: "corpus_incidentio", page: fakemistral.StatusPage{Format: fakemistral.FormatCorpusIncidentIO}, format: "auto"},
		{name: "corpus_statuspage", page: fakemistral.StatusPage{Format: fakemistral.FormatCorpusStatuspage}, format: "rss"},
		{name: "corpus_checkly", page: fakemistral.StatusPage{Format: fakemistral.FormatCorpusChecklyRSS}, format: "auto"},
		{name: "corpus_severity", page: fakemistral.StatusPage{Format: fakemistral.FormatCorpusSeverity}, format: "rss"},
		// "incidents": null in status.json: the list is read from incidents.json.
		{name: "corpus_rootly_null_incidents", page: fakemistral.StatusPage{Format: fakemistral.FormatCorpusRootly}, format: "auto"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t,
				withConfig(func(c *Config) { c.APIKey = "" }),
				withPages(StatusPageConfig{Name: tt.name, Format: tt.format}))
			h.fake.SetStatusPage(tt.name, tt.page)
			m := h.scrape()
			assertGolden(t, "status_"+tt.name, m)
			assert.Zero(t, h.fake.CountRequests("/v1/models"), "no key, no API probe")
			assert.Equal(t, 1, m.ResourceMetrics().Len())
			assert.Zero(t, m.ResourceMetrics().At(0).Resource().Attributes().Len(), "status pages have a resource of their own")
			if tt.want == "" {
				assert.Equal(t, int64(1), gaugeInt(t, m, "mistral.status_page.up"))
				assert.False(t, failed(m, "mistral.status_page.error"))
			} else {
				assert.Equal(t, int64(0), gaugeInt(t, m, "mistral.status_page.up"))
				assert.Equal(t, tt.want, attrOf(t, m, "mistral.status_page.error", "error.type"))
				assert.False(t, hasMetric(m, "mistral.status_page.indicator"), "an unreadable page is not an outage")
			}
		})
	}
}

// TestStatusPageSeriesIdentity: an auto-detected page that was read, then
// fails, keeps one up series (no format label), and its format state set
// ends the old format's series with 0 instead of leaving it at 1.
func TestStatusPageSeriesIdentity(t *testing.T) {
	h := newHarness(t,
		withConfig(func(c *Config) { c.APIKey = "" }),
		withPages(StatusPageConfig{Name: "mistral", Format: "auto"}))
	h.fake.SetStatusPage("mistral", fakemistral.StatusPage{Format: fakemistral.FormatRSS, Scenario: fakemistral.ScenarioMinor})
	read := h.scrape()
	h.fake.SetStatusPage("mistral", fakemistral.StatusPage{Format: fakemistral.FormatChallenge})
	failedRead := h.scrape()
	assertGolden(t, "status_identity_read", read)
	assertGolden(t, "status_identity_failed", failedRead)

	for _, m := range []pmetric.Metrics{read, failedRead} {
		up := single(t, m, "mistral.status_page.up")
		assert.Equal(t, 1, up.Attributes().Len(), "up is identified by the page name alone")
	}
	formats := func(m pmetric.Metrics) map[string]int64 {
		out := map[string]int64{}
		for _, dp := range datapoints(t, m, "mistral.status_page.format") {
			v, _ := dp.Attributes().Get("mistral.status_page.format")
			out[v.Str()] = dp.IntValue()
		}
		return out
	}
	assert.Equal(t, int64(1), formats(read)["rss"])
	assert.Equal(t, int64(0), formats(failedRead)["rss"], "the failed read ends the rss series explicitly")
	assert.Equal(t, int64(1), formats(failedRead)["unknown"])
	assert.Len(t, formats(failedRead), len(formats(read)), "the same series, every scrape")
}

// TestScrapeFull is the whole receiver: API, models, chat and the fake's
// four default status pages, the configuration of the benchmark.
func TestScrapeFull(t *testing.T) {
	h := newHarness(t,
		withConfig(withModels),
		withConfig(func(c *Config) {
			c.ChatProbe = ChatProbeConfig{Enabled: true, Model: "mistral-small-latest", Every: 1, Delay: time.Second}
		}),
		withPages(
			StatusPageConfig{Name: "mistral", Format: "auto"},
			StatusPageConfig{Name: "anthropic", Format: "auto"},
			StatusPageConfig{Name: "openai", Format: "auto"},
			StatusPageConfig{Name: "rootly", Format: "auto"},
		))
	m := h.scrape()
	assertGolden(t, "full", m)
	require.Equal(t, 2, m.ResourceMetrics().Len())
	res := m.ResourceMetrics().At(0).Resource().Attributes()
	ws, _ := res.Get("mistral.workspace")
	addr, _ := res.Get("server.address")
	assert.Equal(t, "prod", ws.Str())
	assert.Equal(t, "127.0.0.1", addr.Str())

	// The key goes to the API only, and only as a bearer token.
	for _, r := range h.fake.Requests() {
		switch r.Listener {
		case "api":
			assert.Equal(t, "Bearer "+testKey, r.Authorization, r.Path)
		default:
			assert.Empty(t, r.Authorization, "status pages never see the key: %s", r.Path)
		}
	}
}

// TestKeyNeverLogged drives every failure and checks the logs.
func TestKeyNeverLogged(t *testing.T) {
	h := newHarness(t, withConfig(func(c *Config) {
		c.ClientConfig.Timeout = 200 * time.Millisecond
		c.ChatProbe = ChatProbeConfig{Enabled: true, Model: "ministral-8b-latest", Every: 1}
	}), withPages(StatusPageConfig{Name: "challenge"}))
	h.fake.SetStatusPage("challenge", fakemistral.StatusPage{Format: fakemistral.FormatChallenge})
	for _, mode := range fakemistral.FaultModes() {
		h.fake.SetFault(fakemistral.Fault{Mode: mode})
		h.clock.Advance(2 * time.Hour) // past any backoff
		h.scrape()
	}
	require.NotZero(t, h.logs.Len())
	for _, e := range h.logs.All() {
		assert.NotContains(t, e.Message, testKey)
		for k, v := range e.ContextMap() {
			assert.NotContains(t, k, testKey)
			assert.NotContains(t, toString(v), testKey)
		}
	}
}

func TestLogsOncePerStateChange(t *testing.T) {
	h := newHarness(t)
	h.fake.SetFault(fakemistral.Fault{Mode: fakemistral.Fault500})
	for range 3 {
		h.scrape()
		h.clock.Advance(time.Minute)
	}
	h.fake.SetFault(fakemistral.Fault{})
	h.scrape()
	h.clock.Advance(time.Minute)
	h.scrape()
	assert.Equal(t, 1, h.logs.FilterMessage("probe failed").Len())
	assert.Equal(t, 1, h.logs.FilterMessage("probe recovered").Len())
	assert.Equal(t, 2, h.logs.FilterMessage("probe still failing").Len())
}

func TestShutdownCancelsHangingProbe(t *testing.T) {
	h := newHarness(t)
	h.fake.SetFault(fakemistral.Fault{Mode: fakemistral.FaultHang})

	cfg := *h.cfg
	cfg.ClientConfig.Timeout = 20 * time.Second
	cfg.CollectionInterval = time.Minute
	cfg.InitialDelay = 0
	sink := new(consumertest.MetricsSink)
	r, err := NewFactory().CreateMetrics(context.Background(), receivertest.NewNopSettings(metadata.Type), &cfg, sink)
	require.NoError(t, err)
	require.NoError(t, r.Start(context.Background(), componenttest.NewNopHost()))
	require.Eventually(t, func() bool { return h.fake.CountRequests("/v1/models") == 1 }, 5*time.Second, 10*time.Millisecond)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	require.NoError(t, r.Shutdown(ctx))
	assert.Less(t, time.Since(start), 10*time.Second, "shutdown must not wait for the 20 s probe timeout")
	assert.Zero(t, sink.DataPointCount(), "a cancelled scrape emits nothing")
}

func TestScrapeAfterShutdown(t *testing.T) {
	h := newHarness(t)
	require.NoError(t, h.s.shutdown(context.Background()))
	m := h.scrape()
	assert.Zero(t, m.DataPointCount())
	assert.Zero(t, h.fake.CountRequests("/v1/models"))
}

// Helpers to read metrics.

func findMetric(m pmetric.Metrics, name string) (pmetric.Metric, bool) {
	rms := m.ResourceMetrics()
	for i := 0; i < rms.Len(); i++ {
		sms := rms.At(i).ScopeMetrics()
		for j := 0; j < sms.Len(); j++ {
			ms := sms.At(j).Metrics()
			for k := 0; k < ms.Len(); k++ {
				if ms.At(k).Name() == name {
					return ms.At(k), true
				}
			}
		}
	}
	return pmetric.Metric{}, false
}

func hasMetric(m pmetric.Metrics, name string) bool {
	_, ok := findMetric(m, name)
	return ok
}

func datapoints(t testing.TB, m pmetric.Metrics, name string) []pmetric.NumberDataPoint {
	t.Helper()
	metric, ok := findMetric(m, name)
	require.True(t, ok, "metric %s missing", name)
	var dps pmetric.NumberDataPointSlice
	switch metric.Type() {
	case pmetric.MetricTypeGauge:
		dps = metric.Gauge().DataPoints()
	case pmetric.MetricTypeSum:
		dps = metric.Sum().DataPoints()
	default:
		t.Fatalf("metric %s is a %s", name, metric.Type())
	}
	out := make([]pmetric.NumberDataPoint, dps.Len())
	for i := range out {
		out[i] = dps.At(i)
	}
	return out
}

func single(t testing.TB, m pmetric.Metrics, name string) pmetric.NumberDataPoint {
	t.Helper()
	dps := datapoints(t, m, name)
	require.Len(t, dps, 1, "metric %s", name)
	return dps[0]
}

func gaugeInt(t testing.TB, m pmetric.Metrics, name string) int64 {
	t.Helper()
	return single(t, m, name).IntValue()
}

func gaugeDouble(t testing.TB, m pmetric.Metrics, name string) float64 {
	t.Helper()
	return single(t, m, name).DoubleValue()
}

func gaugeIntWith(t testing.TB, m pmetric.Metrics, name, key, value string) int64 {
	t.Helper()
	for _, dp := range datapoints(t, m, name) {
		if v, ok := dp.Attributes().Get(key); ok && v.AsString() == value {
			return dp.IntValue()
		}
	}
	t.Fatalf("metric %s has no data point with %s=%s", name, key, value)
	return 0
}

func sumInt(t testing.TB, m pmetric.Metrics, name, key, value string) int64 {
	t.Helper()
	return gaugeIntWith(t, m, name, key, value)
}

func attrOf(t testing.TB, m pmetric.Metrics, name, key string) string {
	t.Helper()
	var dp pmetric.NumberDataPoint
	if dps := datapoints(t, m, name); len(dps) != 1 {
		// A state set (the error gauges): the data point that is 1.
		dp = onePoint(t, name, dps)
	} else {
		dp = dps[0]
	}
	v, ok := dp.Attributes().Get(key)
	require.True(t, ok, "metric %s has no attribute %s", name, key)
	return v.AsString()
}

func toString(v any) string { return fmt.Sprint(v) }

// onePoint returns the only data point of a state set whose value is 1.
func onePoint(t testing.TB, name string, dps []pmetric.NumberDataPoint) pmetric.NumberDataPoint {
	t.Helper()
	var set []pmetric.NumberDataPoint
	for _, dp := range dps {
		if dp.IntValue() == 1 {
			set = append(set, dp)
		}
	}
	require.Len(t, set, 1, "data points of %s at 1", name)
	return set[0]
}

// failed reports whether an error state set has a data point at 1.
func failed(m pmetric.Metrics, name string) bool {
	for i := 0; i < m.ResourceMetrics().Len(); i++ {
		sms := m.ResourceMetrics().At(i).ScopeMetrics()
		for j := 0; j < sms.Len(); j++ {
			ms := sms.At(j).Metrics()
			for k := 0; k < ms.Len(); k++ {
				if ms.At(k).Name() != name {
					continue
				}
				dps := ms.At(k).Gauge().DataPoints()
				for d := 0; d < dps.Len(); d++ {
					if dps.At(d).IntValue() == 1 {
						return true
					}
				}
			}
		}
	}
	return false
}
