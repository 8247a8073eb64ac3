package mistralreceiver

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/golden"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/pmetrictest"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/receiver/receivertest"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/otelcol-mistral/otelcol-mistral/internal/fakemistral"
	"github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver/internal/metadata"
)

// updateGolden rewrites the golden files: go test ./receiver/mistralreceiver/ -update
// (or UPDATE_GOLDEN=1).
var updateGolden = flag.Bool("update", os.Getenv("UPDATE_GOLDEN") == "1", "rewrite testdata/golden/*.yaml")

const testKey = "test-key"

// fakeClock is a settable clock shared by the fake La Plateforme and the
// scraper.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

// newFakeClock starts 30 s past a whole hour close to the wall clock (the
// fake's certificates are valid relative to the wall clock), so that the
// next minute boundary is always 30 s away.
func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Now().UTC().Truncate(time.Hour).Add(30 * time.Second)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// sleep advances the clock instead of sleeping.
func (c *fakeClock) sleep(ctx context.Context, d time.Duration) bool {
	c.Advance(d)
	return ctx.Err() == nil
}

// harness is a scraper against the fake La Plateforme.
type harness struct {
	t       *testing.T
	fake    *fakemistral.Server
	clock   *fakeClock
	cfg     *Config
	logs    *observer.ObservedLogs
	s       *mistralScraper
	trustCA bool
}

type harnessOption func(*harness, *fakemistral.Options, *Config)

// withTLS serves the API over TLS; trusted puts the fake's CA in tls.ca_pem.
func withTLS(mode fakemistral.TLSMode, trusted bool) harnessOption {
	return func(h *harness, o *fakemistral.Options, _ *Config) {
		o.TLS = mode
		h.trustCA = trusted
	}
}

func withLegacyHeaders() harnessOption {
	return func(_ *harness, o *fakemistral.Options, _ *Config) { o.LegacyHeaders = true }
}

func withConfig(edit func(*Config)) harnessOption {
	return func(_ *harness, _ *fakemistral.Options, c *Config) { edit(c) }
}

// newHarness starts the fake and builds (not starts) a scraper: API probe
// on with key test-key, workspace prod, no status page unless an option
// adds some.
func newHarness(t *testing.T, opts ...harnessOption) *harness {
	t.Helper()
	h := &harness{t: t, clock: newFakeClock()}
	fo := fakemistral.Options{APIKeys: map[string]string{testKey: "prod"}, Now: h.clock.Now}
	cfg := NewFactory().CreateDefaultConfig().(*Config)
	cfg.APIKey = testKey
	cfg.Workspace = "prod"
	cfg.StatusPages = nil
	cfg.ClientConfig.Timeout = 5 * time.Second
	for _, o := range opts {
		o(h, &fo, cfg)
	}
	h.fake = fakemistral.New(fo)
	require.NoError(t, h.fake.Start("", ""))
	t.Cleanup(h.fake.Close)
	h.fake.SetModels(fakemistral.DefaultModels(h.clock.Now()))
	cfg.Endpoint = h.fake.URL()
	for i := range cfg.StatusPages {
		cfg.StatusPages[i].Endpoint = h.fake.StatusURL() + "/" + cfg.StatusPages[i].Endpoint
	}
	if h.trustCA {
		cfg.TLS.CAPem = configopaque.String(h.fake.CACertPEM())
	}
	require.NoError(t, cfg.Validate())
	h.cfg = cfg
	core, logs := observer.New(zapcore.DebugLevel)
	h.logs = logs
	set := receivertest.NewNopSettings(metadata.Type)
	set.Logger = zap.New(core)
	h.s = newScraper(cfg, set)
	h.s.clock = h.clock.Now
	h.s.sleep = h.clock.sleep
	require.NoError(t, h.s.start(context.Background(), componenttest.NewNopHost()))
	t.Cleanup(func() { require.NoError(t, h.s.shutdown(context.Background())) })
	return h
}

// scrape runs one scrape.
func (h *harness) scrape() pmetric.Metrics {
	h.t.Helper()
	m, err := h.s.scrape(context.Background())
	require.NoError(h.t, err)
	return m
}

// pages configures status pages by name on the fake's status listener:
// name -> format ("" for auto).
func withPages(pages ...StatusPageConfig) harnessOption {
	return func(_ *harness, _ *fakemistral.Options, c *Config) {
		for _, p := range pages {
			// Endpoint holds the fake's page name until the fake has started.
			if p.Endpoint == "" {
				p.Endpoint = p.Name
			}
			c.StatusPages = append(c.StatusPages, p)
		}
	}
}

// volatileMetrics have values that depend on the wall clock or the machine.
var volatileMetrics = []string{
	"mistral.api.probe.duration",
	"mistral.api.probe.phase.duration",
	"mistral.api.tls.cert_remaining",
	"mistral.chat.probe.duration",
	"mistral.chat.probe.time_to_first_token",
	"mistral.fallback.probe.duration",
}

// assertGolden compares metrics with testdata/golden/<name>.yaml.
func assertGolden(t *testing.T, name string, got pmetric.Metrics, opts ...pmetrictest.CompareMetricsOption) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".yaml")
	if *updateGolden {
		require.NoError(t, golden.WriteMetricsToFile(path, maskVolatile(got)))
		t.Logf("wrote %s", path)
	}
	want, err := golden.ReadMetrics(path)
	require.NoError(t, err, "golden file missing: run go test -run %s -update", t.Name())
	// The options sort and mask in place: compare a copy.
	actual := pmetric.NewMetrics()
	got.CopyTo(actual)
	opts = append([]pmetrictest.CompareMetricsOption{
		pmetrictest.IgnoreResourceMetricsOrder(),
		pmetrictest.IgnoreMetricsOrder(),
		pmetrictest.IgnoreMetricDataPointsOrder(),
		pmetrictest.IgnoreTimestamp(),
		pmetrictest.IgnoreStartTimestamp(),
		pmetrictest.IgnoreMetricValues(volatileMetrics...),
	}, opts...)
	require.NoError(t, pmetrictest.CompareMetrics(want, actual, opts...))
}

// maskVolatile returns a copy of m with the values of volatileMetrics set
// to 0, so that regenerated golden files differ only where behaviour does.
func maskVolatile(m pmetric.Metrics) pmetric.Metrics {
	out := pmetric.NewMetrics()
	m.CopyTo(out)
	rms := out.ResourceMetrics()
	for i := 0; i < rms.Len(); i++ {
		sms := rms.At(i).ScopeMetrics()
		for j := 0; j < sms.Len(); j++ {
			ms := sms.At(j).Metrics()
			for k := 0; k < ms.Len(); k++ {
				metric := ms.At(k)
				if !slices.Contains(volatileMetrics, metric.Name()) || metric.Type() != pmetric.MetricTypeGauge {
					continue
				}
				dps := metric.Gauge().DataPoints()
				for l := 0; l < dps.Len(); l++ {
					if dps.At(l).ValueType() == pmetric.NumberDataPointValueTypeInt {
						dps.At(l).SetIntValue(0)
					} else {
						dps.At(l).SetDoubleValue(0)
					}
				}
			}
		}
	}
	return out
}
