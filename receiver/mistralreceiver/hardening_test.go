package mistralreceiver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/receiver/receivertest"
	"go.uber.org/goleak"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/otelcol-mistral/otelcol-mistral/internal/fakemistral"
	"github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver/internal/metadata"
)

// The hardening tests drive the receiver through every fault the
// fake La Plateforme can produce, plus the ones only a network can (DNS,
// connection refused), and check the rules that hold for all of them: the
// right error.type with success 0, at most one API request per scrape, one
// warning per change of state (no log flood), no goroutine left behind, a
// bounded memory cost, and the key in no metric and no log line. Run them
// with `go test ./receiver/mistralreceiver/ -run Hardening`.

// hardeningTimeout is the probe timeout of the rows that do not test one:
// generous, so that a loaded 2-core CI machine running -race cannot turn a
// TLS or body failure into a timeout.
const hardeningTimeout = 5 * time.Second

// shortTimeout keeps the slow and hanging rows fast.
const shortTimeout = 300 * time.Millisecond

// hardeningScrapes is the number of scrapes each fault is held for.
const hardeningScrapes = 3

// hardeningRow is one fault of the table.
type hardeningRow struct {
	name string
	// opts configure the fake and the receiver (TLS modes).
	opts []harnessOption
	// fault is set on the fake before the first scrape.
	fault fakemistral.Fault
	// endpoint, when set, replaces the fake as the API endpoint.
	endpoint func(t *testing.T) string
	// timeout replaces hardeningTimeout.
	timeout time.Duration
	// want is the error.type every scrape must report.
	want string
	// status is the mistral.api.probe.status_code every scrape must report.
	status int64
	// requests is the number of GET /v1/models the fake must see per scrape
	// (0 when the exchange fails before HTTP).
	requests int
}

// hardeningFaults is the fault table (plus the error statuses,
// so that docs/hardening.md can list every outcome from one table).
var hardeningFaults = []hardeningRow{
	{name: "dns_failure", endpoint: dnsFailureURL, want: "dns", status: 0, requests: 0},
	{name: "connection_refused", endpoint: closedPortURL, want: "connect", status: 0, requests: 0},
	{name: "reset_mid_body", fault: fakemistral.Fault{Mode: fakemistral.FaultReset}, want: "transport", status: 200, requests: 1},
	{name: "slow_beyond_timeout", fault: fakemistral.Fault{Latency: 2 * time.Second}, timeout: shortTimeout, want: "timeout", status: 0, requests: 1},
	{name: "hang", fault: fakemistral.Fault{Mode: fakemistral.FaultHang}, timeout: shortTimeout, want: "timeout", status: 0, requests: 1},
	{name: "tls_self_signed_untrusted", opts: []harnessOption{withTLS(fakemistral.TLSSelfSigned, false)}, want: "tls", status: 0, requests: 0},
	{name: "tls_expired", opts: []harnessOption{withTLS(fakemistral.TLSExpired, true)}, want: "tls", status: 0, requests: 0},
	{name: "tls_wrong_host", opts: []harnessOption{withTLS(fakemistral.TLSWrongHost, true)}, want: "tls", status: 0, requests: 0},
	{name: "huge_body", fault: fakemistral.Fault{Mode: fakemistral.FaultHugeBody}, want: "body_too_large", status: 200, requests: 1},
	{name: "invalid_json", fault: fakemistral.Fault{Mode: fakemistral.FaultInvalidJSON}, want: "invalid_body", status: 200, requests: 1},
	{name: "html_with_200", fault: fakemistral.Fault{Mode: fakemistral.FaultHTML}, want: "invalid_body", status: 200, requests: 1},
	// Never more than one API request per interval: a redirect loop must
	// not multiply the probe's requests.
	{name: "redirect_loop", fault: fakemistral.Fault{Mode: fakemistral.FaultRedirectLoop}, want: "redirect", status: 0, requests: 1},
	{name: "unauthorized_401", fault: fakemistral.Fault{Mode: fakemistral.Fault401}, want: "authentication", status: 401, requests: 1},
	{name: "forbidden_403", fault: fakemistral.Fault{Mode: fakemistral.Fault403}, want: "permission", status: 403, requests: 1},
	{name: "server_error_500", fault: fakemistral.Fault{Mode: fakemistral.Fault500}, want: "server_error", status: 500, requests: 1},
	{name: "capacity_503", fault: fakemistral.Fault{Mode: fakemistral.Fault503Capacity}, want: "provider_capacity", status: 503, requests: 1},
}

// dnsFailureURL is the URL of a host that does not resolve: under .invalid,
// which never resolves (RFC 6761). Where no resolver answers at all (an
// offline sandbox) the lookup would time out instead; a malformed name,
// which Go's resolver rejects before sending any query, then gives the same
// *net.DNSError at once.
func dnsFailureURL(t *testing.T) string {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := net.DefaultResolver.LookupHost(ctx, "nonexistent.invalid")
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
		return "http://nonexistent.invalid"
	}
	t.Logf("no DNS resolver answers (%v): using a malformed host name instead", err)
	return "http://nonexistent..invalid"
}

// closedPortURL is the URL of a 127.0.0.1 port nothing listens on.
func closedPortURL(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return "http://" + addr
}

// verifyNoLeakAtCleanup checks, after every cleanup registered later (the
// fake's and the scraper's), that no goroutine started by the test is left.
func verifyNoLeakAtCleanup(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
}

// startObservedScraper starts a scraper for cfg with the harness's clock and
// an observed logger; it is shut down at cleanup.
func startObservedScraper(t *testing.T, cfg *Config, clock *fakeClock) (*mistralScraper, *observer.ObservedLogs) {
	t.Helper()
	require.NoError(t, cfg.Validate())
	core, logs := observer.New(zapcore.DebugLevel)
	set := receivertest.NewNopSettings(metadata.Type)
	set.Logger = zap.New(core)
	s := newScraper(cfg, set)
	s.clock = clock.Now
	s.sleep = clock.sleep
	require.NoError(t, s.start(context.Background(), componenttest.NewNopHost()))
	t.Cleanup(func() { require.NoError(t, s.shutdown(context.Background())) })
	return s, logs
}

func TestHardeningFaultTable(t *testing.T) {
	for _, row := range hardeningFaults {
		t.Run(row.name, func(t *testing.T) {
			verifyNoLeakAtCleanup(t)
			timeout := row.timeout
			if timeout == 0 {
				timeout = hardeningTimeout
			}
			opts := append([]harnessOption{withConfig(func(c *Config) {
				c.ClientConfig.Timeout = timeout
				c.Models = []string{"mistral-small-latest"}
			})}, row.opts...)
			h := newHarness(t, opts...)
			s, logs := h.s, h.logs
			if row.endpoint != nil {
				cfg := *h.cfg
				cfg.Endpoint = row.endpoint(t)
				s, logs = startObservedScraper(t, &cfg, h.clock)
			}
			h.fake.SetFault(row.fault)

			for i := range hardeningScrapes {
				before := h.fake.CountRequests("/v1/models")
				m, err := s.scrape(context.Background())
				require.NoError(t, err, "a failed probe is data, not a scrape error")
				sent := h.fake.CountRequests("/v1/models") - before

				assert.Equal(t, int64(0), gaugeInt(t, m, "mistral.api.probe.success"), "scrape %d", i)
				assert.Equal(t, row.want, attrOf(t, m, "mistral.api.probe.error", "error.type"), "scrape %d", i)
				assert.Equal(t, row.status, gaugeInt(t, m, "mistral.api.probe.status_code"), "scrape %d", i)
				assert.Equal(t, row.requests, sent, "GET /v1/models sent by scrape %d (at most one per interval)", i)
				assert.False(t, hasMetric(m, "mistral.models.count"), "no catalogue from a failed probe")
				assertNoSecretInMetrics(t, m, testKey)
				h.clock.Advance(time.Minute)
			}

			// One warning when the fault starts, then debug lines only.
			loud := logs.FilterLevelExact(zapcore.WarnLevel).Len() + logs.FilterLevelExact(zapcore.ErrorLevel).Len() +
				logs.FilterLevelExact(zapcore.InfoLevel).Len()
			assert.Equal(t, 1, loud, "log lines at info or above over %d failing scrapes", hardeningScrapes)
			assertNoSecretInLogs(t, logs, testKey)
		})
	}
}

// TestHardeningTLSCertificateSeen checks that a failed handshake still
// reports the certificate's expiry: the alert on an expired or wrong
// certificate needs it.
func TestHardeningTLSCertificateSeen(t *testing.T) {
	for _, mode := range []fakemistral.TLSMode{fakemistral.TLSExpired, fakemistral.TLSWrongHost, fakemistral.TLSSelfSigned} {
		t.Run(mode.String(), func(t *testing.T) {
			verifyNoLeakAtCleanup(t)
			// Self-signed: the CA is not trusted; the others: it is, and the
			// certificate itself is wrong.
			h := newHarness(t, withTLS(mode, mode != fakemistral.TLSSelfSigned))
			m := h.scrape()
			assert.Equal(t, "tls", attrOf(t, m, "mistral.api.probe.error", "error.type"))
			left := gaugeInt(t, m, "mistral.api.tls.cert_remaining")
			if mode == fakemistral.TLSExpired {
				assert.Negative(t, left)
			} else {
				assert.Positive(t, left)
			}
		})
	}
}

// TestHardeningHugeBodyMemory checks that a 64 MiB answer costs the
// receiver about max_body_size, not the body's size.
func TestHardeningHugeBodyMemory(t *testing.T) {
	for _, limit := range []int64{defaultMaxBodySize, 1 << 20} {
		t.Run(fmt.Sprintf("max_body_size_%d", limit), func(t *testing.T) {
			verifyNoLeakAtCleanup(t)
			h := newHarness(t, withConfig(func(c *Config) { c.MaxBodySize = limit }))
			h.fake.SetFault(fakemistral.Fault{Mode: fakemistral.FaultHugeBody})
			h.scrape() // warm up: connection pools, TLS-free paths, metric builders

			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			m := h.scrape()
			runtime.ReadMemStats(&after)
			alloc := after.TotalAlloc - before.TotalAlloc

			assert.Equal(t, "body_too_large", attrOf(t, m, "mistral.api.probe.error", "error.type"))
			t.Logf("one scrape of a %d MiB body with max_body_size %d KiB allocated %.1f MiB (fake included)",
				fakemistral.HugeBodySize>>20, limit>>10, float64(alloc)/(1<<20))
			// io.ReadAll grows its buffer by doubling: about 2× the limit
			// (more under -race), plus the fake's streaming buffer and the
			// metrics.
			assert.Less(t, alloc, uint64(6*limit+8<<20), "allocation must follow max_body_size, not the body")
			assert.Less(t, alloc, uint64(fakemistral.HugeBodySize/2), "far below the body's 64 MiB")
		})
	}
}

// TestHardeningStatusPageFlipsFormat changes a page's format (and vendor)
// between scrapes: auto detection must follow, every readable format must
// be reported with its own indicator, and an unreadable page never as an
// outage.
func TestHardeningStatusPageFlipsFormat(t *testing.T) {
	verifyNoLeakAtCleanup(t)
	h := newHarness(t,
		withConfig(func(c *Config) { c.APIKey = "" }),
		withPages(StatusPageConfig{Name: "flip", Format: "auto"}))
	steps := []struct {
		page      fakemistral.StatusPage
		up        int64
		format    string // mistral.status_page.format
		indicator int64  // when up
		errType   string // when down
	}{
		{page: fakemistral.StatusPage{Format: fakemistral.FormatStatuspage, Scenario: fakemistral.ScenarioMinor}, up: 1, format: "statuspage", indicator: 2},
		{page: fakemistral.StatusPage{Format: fakemistral.FormatRSS, Scenario: fakemistral.ScenarioOperational}, up: 1, format: "rss", indicator: 0},
		{page: fakemistral.StatusPage{Format: fakemistral.FormatRootly, Scenario: fakemistral.ScenarioMaintenance}, up: 1, format: "rootly", indicator: 1},
		{page: fakemistral.StatusPage{Format: fakemistral.FormatIncidentIO, Scenario: fakemistral.ScenarioMajorOutage}, up: 1, format: "incidentio", indicator: 4},
		{page: fakemistral.StatusPage{Format: fakemistral.FormatChallenge}, up: 0, format: "unknown", errType: "challenge"},
		// A Statuspage history feed states no impact: its open incident is unrated.
		{page: fakemistral.StatusPage{Format: fakemistral.FormatAtom, Scenario: fakemistral.ScenarioMinor}, up: 1, format: "atom", indicator: 0},
		{page: fakemistral.StatusPage{Format: fakemistral.FormatInvalidJSON}, up: 0, format: "unknown", errType: "invalid_body"},
		{page: fakemistral.StatusPage{Format: fakemistral.FormatStatuspage, Scenario: fakemistral.ScenarioOperational}, up: 1, format: "statuspage", indicator: 0},
		{page: fakemistral.StatusPage{Format: fakemistral.FormatNotFound}, up: 0, format: "unknown", errType: "not_found"},
		{page: fakemistral.StatusPage{Format: fakemistral.FormatStatuspage, Scenario: fakemistral.ScenarioMajorOutage}, up: 1, format: "statuspage", indicator: 4},
	}
	for i, st := range steps {
		h.fake.SetStatusPage("flip", st.page)
		before := len(h.fake.Requests())
		m := h.scrape()
		reqs := len(h.fake.Requests()) - before
		label := fmt.Sprintf("step %d: %s/%s", i, st.page.Format, st.page.Scenario)

		up := single(t, m, "mistral.status_page.up")
		assert.Equal(t, st.up, up.IntValue(), label)
		_, hasFormat := up.Attributes().Get("mistral.status_page.format")
		assert.False(t, hasFormat, "%s: the format is no label of up, which keeps one series", label)
		assert.Equal(t, st.format, attrOf(t, m, "mistral.status_page.format", "mistral.status_page.format"), label)
		assert.Len(t, datapoints(t, m, "mistral.status_page.format"), 6, "%s: the format state set ends the previous format's series", label)
		if st.up == 1 {
			assert.Equal(t, st.indicator, gaugeInt(t, m, "mistral.status_page.indicator"), label)
			assert.False(t, failed(m, "mistral.status_page.error"), label)
		} else {
			assert.Equal(t, st.errType, attrOf(t, m, "mistral.status_page.error", "error.type"), label)
			assert.False(t, hasMetric(m, "mistral.status_page.indicator"), "%s: an unreadable page is not an outage", label)
			assert.False(t, hasMetric(m, "mistral.status_page.component.status"), label)
		}
		// Detection tries a handful of documents, never a crawl.
		assert.LessOrEqual(t, reqs, 8, "%s: status page requests in one scrape", label)
		h.clock.Advance(time.Minute)
	}
	loud := h.logs.FilterLevelExact(zapcore.WarnLevel).Len() + h.logs.FilterLevelExact(zapcore.InfoLevel).Len()
	assert.LessOrEqual(t, loud, len(steps), "at most one line per change of state")
}

// TestHardening429Storm holds a 429 on every request for several minutes of
// scrapes every 10 s and checks, scrape by scrape, that the probe calls the
// API exactly when its backoff allows (Retry-After, else the next minute,
// capped at an hour) and never in between, while reporting itself
// rate-limited.
func TestHardening429Storm(t *testing.T) {
	const interval = 10 * time.Second
	tests := []struct {
		name  string
		fault fakemistral.Fault
		// wait is the backoff a 429 at now must start.
		wait    func(now time.Time) time.Duration
		errType string
		scrapes int
	}{
		{name: "code1300_without_retry_after", fault: fakemistral.Fault{Mode: fakemistral.Fault429Code1300},
			wait: nextMinute, errType: "rate_limit", scrapes: 24},
		{name: "bare_without_headers", fault: fakemistral.Fault{Mode: fakemistral.Fault429Bare},
			wait: nextMinute, errType: "rate_limit", scrapes: 24},
		{name: "retry_after_25s", fault: fakemistral.Fault{Mode: fakemistral.Fault429Code1300, RetryAfter: 25},
			wait: fixedWait(25 * time.Second), errType: "rate_limit", scrapes: 24},
		{name: "retry_after_hostile", fault: fakemistral.Fault{Mode: fakemistral.Fault429Code1300, RetryAfter: 1_000_000_000},
			wait: fixedWait(time.Hour), errType: "rate_limit", scrapes: 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			verifyNoLeakAtCleanup(t)
			h := newHarness(t, withConfig(func(c *Config) {
				c.ChatProbe = ChatProbeConfig{Enabled: true, Model: "ministral-8b-latest", Every: 1, Delay: time.Second}
			}))
			h.fake.SetFault(tt.fault)
			var until time.Time
			calls := 0
			start := h.clock.Now()
			for i := range tt.scrapes {
				now := h.clock.Now()
				before := h.fake.CountRequests("/v1/models")
				m := h.scrape()
				sent := h.fake.CountRequests("/v1/models") - before
				label := fmt.Sprintf("scrape %d at +%s", i, now.Sub(start))

				if now.Before(until) {
					assert.Zero(t, sent, "%s: no API call during the backoff", label)
					assert.InDelta(t, until.Sub(now).Seconds(), gaugeDouble(t, m, "mistral.api.probe.backoff"), 1e-6, label)
				} else {
					assert.Equal(t, 1, sent, "%s: the backoff is over, the probe calls once", label)
					calls++
					until = now.Add(tt.wait(now))
					assert.InDelta(t, until.Sub(now).Seconds(), gaugeDouble(t, m, "mistral.api.probe.backoff"), 1e-6, label)
				}
				assert.Equal(t, int64(0), gaugeInt(t, m, "mistral.api.probe.success"), label)
				assert.Equal(t, int64(429), gaugeInt(t, m, "mistral.api.probe.status_code"), label)
				assert.Equal(t, tt.errType, attrOf(t, m, "mistral.api.probe.error", "error.type"), label)
				assert.LessOrEqual(t, gaugeDouble(t, m, "mistral.api.probe.backoff"), time.Hour.Seconds(), label)
				h.clock.Advance(interval)
			}
			assert.Equal(t, calls, h.fake.CountRequests("/v1/models"))
			assert.Zero(t, h.fake.CountRequests("/v1/chat/completions"), "the chat probe never spends tokens during a 429 storm")
			t.Logf("%d scrapes over %s of 429s: %d API requests", tt.scrapes, time.Duration(tt.scrapes)*interval, calls)
		})
	}

	// A key without allowance for the chat probe's model: La Plateforme
	// still lists the catalogue, and only the chat probe gets the 429
	// (x-ratelimit-limit-req-minute: 0). The models probe runs at every
	// scrape; the chat probe calls once per minute, at the boundary.
	t.Run("zero_allowance", func(t *testing.T) {
		verifyNoLeakAtCleanup(t)
		h := newHarness(t, withChatProbe(1))
		h.fake.SetFault(fakemistral.Fault{Mode: fakemistral.Fault429ZeroAllowance})
		const scrapes = 24
		var until time.Time
		calls := 0
		start := h.clock.Now()
		for i := range scrapes {
			now := h.clock.Now()
			before := h.fake.CountRequests("/v1/chat/completions")
			m := h.scrape()
			sent := h.fake.CountRequests("/v1/chat/completions") - before
			label := fmt.Sprintf("scrape %d at +%s", i, now.Sub(start))

			if now.Before(until) {
				assert.Zero(t, sent, "%s: no chat call during its backoff", label)
			} else {
				assert.Equal(t, 1, sent, "%s: the chat probe's stream gets the 429, no headroom call after it", label)
				calls++
				until = now.Add(nextMinute(now))
			}
			assert.Equal(t, i+1, h.fake.CountRequests("/v1/models"), "%s: the models probe never backs off", label)
			assert.Equal(t, int64(1), gaugeInt(t, m, "mistral.api.probe.success"), label)
			assert.Equal(t, int64(200), gaugeInt(t, m, "mistral.api.probe.status_code"), label)
			assert.InDelta(t, 0.0, gaugeDouble(t, m, "mistral.api.probe.backoff"), 1e-9, label)
			assert.Equal(t, int64(0), gaugeInt(t, m, "mistral.chat.probe.success"), label)
			assert.Equal(t, "quota_exhausted", attrOf(t, m, "mistral.chat.probe.error", "error.type"), label)
			assert.Equal(t, int64(1), gaugeInt(t, m, "mistral.ratelimit.zero_allowance"), label)
			h.clock.Advance(interval)
		}
		assert.Equal(t, calls, h.fake.CountRequests("/v1/chat/completions"))
		assert.Equal(t, 5, calls, "once per minute over 4 minutes starting at hh:00:30")
		t.Logf("%d scrapes over %s of a zero allowance: %d chat requests", scrapes, time.Duration(scrapes)*interval, calls)
	})
}

func nextMinute(now time.Time) time.Duration {
	return now.Truncate(time.Minute).Add(time.Minute).Sub(now)
}

func fixedWait(d time.Duration) func(time.Time) time.Duration {
	return func(time.Time) time.Duration { return d }
}

// TestHardeningReceiverUnderFaults runs the whole receiver (factory,
// scraper controller, real clock) with a short interval while the fake
// cycles through faults, then shuts it down: the requests never outnumber
// the scrapes, shutdown is prompt even with a probe hanging, and nothing is
// left running.
func TestHardeningReceiverUnderFaults(t *testing.T) {
	verifyNoLeakAtCleanup(t)
	fake := fakemistral.New(fakemistral.Options{APIKeys: map[string]string{testKey: "prod"}, Tier: fakemistral.Tier{RequestsPerSecond: -1}})
	require.NoError(t, fake.Start("", ""))
	t.Cleanup(fake.Close)

	cfg := NewFactory().CreateDefaultConfig().(*Config)
	cfg.Endpoint = fake.URL()
	cfg.APIKey = testKey
	cfg.StatusPages = []StatusPageConfig{{Name: "mistral", Endpoint: fake.StatusURL() + "/mistral", Format: "auto"}}
	cfg.CollectionInterval = 100 * time.Millisecond
	cfg.InitialDelay = 0
	cfg.ClientConfig.Timeout = 100 * time.Millisecond // = interval: a hanging probe is almost always in flight
	require.NoError(t, cfg.Validate())

	sink := new(consumertest.MetricsSink)
	r, err := NewFactory().CreateMetrics(context.Background(), receivertest.NewNopSettings(metadata.Type), cfg, sink)
	require.NoError(t, err)
	start := time.Now()
	require.NoError(t, r.Start(context.Background(), componenttest.NewNopHost()))

	faults := []fakemistral.FaultMode{
		fakemistral.FaultHang, fakemistral.FaultReset, fakemistral.FaultHugeBody, fakemistral.Fault500,
		fakemistral.FaultInvalidJSON, fakemistral.FaultNone, fakemistral.FaultHang,
	}
	for _, f := range faults {
		fake.SetFault(fakemistral.Fault{Mode: f})
		time.Sleep(300 * time.Millisecond)
	}
	// Shut down while a probe hangs.
	require.Eventually(t, func() bool { return len(sink.AllMetrics()) > 0 }, 5*time.Second, 10*time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	stopAt := time.Now()
	require.NoError(t, r.Shutdown(ctx))
	stopTook := time.Since(stopAt)
	elapsed := time.Since(start)

	requests := fake.CountRequests("/v1/models")
	scrapes := len(sink.AllMetrics())
	t.Logf("%s: %d scrapes emitted, %d GET /v1/models, shutdown took %s", elapsed.Round(time.Millisecond), scrapes, requests, stopTook)
	assert.LessOrEqual(t, requests, scrapes+1, "one request per scrape at most (the last may be cancelled by shutdown)")
	assert.LessOrEqual(t, requests, int(elapsed/cfg.CollectionInterval)+1, "one request per interval at most")
	assert.Less(t, stopTook, 2*time.Second, "shutdown cancels the hanging probe instead of waiting for it")
	for _, m := range sink.AllMetrics() {
		assertNoSecretInMetrics(t, m, testKey)
	}
}

// TestHardeningKeyStaysOnEndpointAcrossRedirects points the receiver at an
// endpoint that redirects /v1/models to another port of the same host (here
// the fake's status listener). Go's HTTP client keeps the Authorization
// header on a redirect to the same host name whatever the port or scheme,
// so the receiver must refuse to carry the key off its endpoint; the test
// looks for it in the request log of the fake's other listener.
func TestHardeningKeyStaysOnEndpointAcrossRedirects(t *testing.T) {
	verifyNoLeakAtCleanup(t)
	h := newHarness(t, withConfig(func(c *Config) { c.ClientConfig.Timeout = 2 * time.Second }))
	target := h.fake.StatusURL() + "/mistral/api/v2/summary.json"
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target, http.StatusFound)
	}))
	t.Cleanup(redirector.Close)

	cfg := *h.cfg
	cfg.Endpoint = redirector.URL
	s, logs := startObservedScraper(t, &cfg, h.clock)
	m, err := s.scrape(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(0), gaugeInt(t, m, "mistral.api.probe.success"), "a redirect off the endpoint is not a healthy API")
	for _, r := range h.fake.Requests() {
		if r.Listener != "api" {
			assert.Empty(t, r.Authorization, "the API key was sent to %s%s after a redirect", r.Host, r.Path)
		}
	}
	assertNoSecretInLogs(t, logs, testKey)
}

// assertNoSecretInMetrics fails when secret appears in any resource
// attribute, scope, metric name or description, or data point attribute.
func assertNoSecretInMetrics(t *testing.T, m pmetric.Metrics, secret string) {
	t.Helper()
	check := func(where string, attrs pcommon.Map) {
		for k, v := range attrs.All() {
			if strings.Contains(k, secret) || strings.Contains(v.AsString(), secret) {
				t.Errorf("the API key appears in %s attribute %q", where, k)
			}
		}
	}
	rms := m.ResourceMetrics()
	for i := 0; i < rms.Len(); i++ {
		check("resource", rms.At(i).Resource().Attributes())
		sms := rms.At(i).ScopeMetrics()
		for j := 0; j < sms.Len(); j++ {
			check("scope", sms.At(j).Scope().Attributes())
			ms := sms.At(j).Metrics()
			for k := 0; k < ms.Len(); k++ {
				metric := ms.At(k)
				if strings.Contains(metric.Name()+metric.Description(), secret) {
					t.Errorf("the API key appears in metric %s", metric.Name())
				}
				var dps pmetric.NumberDataPointSlice
				switch metric.Type() {
				case pmetric.MetricTypeGauge:
					dps = metric.Gauge().DataPoints()
				case pmetric.MetricTypeSum:
					dps = metric.Sum().DataPoints()
				default:
					continue
				}
				for l := 0; l < dps.Len(); l++ {
					check(metric.Name(), dps.At(l).Attributes())
				}
			}
		}
	}
}

// assertNoSecretInLogs fails when secret appears in any observed log entry.
func assertNoSecretInLogs(t *testing.T, logs *observer.ObservedLogs, secret string) {
	t.Helper()
	for _, e := range logs.All() {
		line := e.Message + fmt.Sprint(e.ContextMap())
		if strings.Contains(line, secret) {
			t.Errorf("the API key appears in a log line: %s", e.Message)
		}
	}
}
