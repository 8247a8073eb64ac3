package mistralreceiver

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/otelcol-mistral/otelcol-mistral/internal/fakemistral"
	"github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver/internal/metadata"
)

// BenchmarkScrape measures one scrape with 1 API target (GET /v1/models
// with 4 watched models) and 4 status pages (RSS, Statuspage, incident.io,
// Rootly, formats auto-detected and remembered), against the fake La
// Plateforme on 127.0.0.1. Every probe opens a fresh connection, as in
// production. cpu-ns/op is the process's user+system CPU time per scrape,
// the fake's own serving included (it runs in the same process).
//
//	go test ./receiver/mistralreceiver/ -run '^$' -bench BenchmarkScrape -benchtime 300x -count 5
func BenchmarkScrape(b *testing.B) {
	fake := fakemistral.New(fakemistral.Options{
		APIKeys: map[string]string{testKey: "prod"},
		// No rate limit: the benchmark scrapes far more often than once a minute.
		Tier: fakemistral.Tier{RequestsPerSecond: 1e9},
	})
	require.NoError(b, fake.Start("", ""))
	defer fake.Close()

	cfg := NewFactory().CreateDefaultConfig().(*Config)
	cfg.Endpoint = fake.URL()
	cfg.APIKey = testKey
	cfg.Workspace = "prod"
	cfg.Models = watchedModels
	cfg.StatusPages = nil
	for _, name := range []string{"mistral", "anthropic", "openai", "rootly"} {
		cfg.StatusPages = append(cfg.StatusPages, StatusPageConfig{Name: name, Endpoint: fake.StatusURL() + "/" + name, Format: "auto"})
	}
	require.NoError(b, cfg.Validate())
	s := newScraper(cfg, receivertest.NewNopSettings(metadata.Type))
	require.NoError(b, s.start(context.Background(), componenttest.NewNopHost()))
	defer func() { require.NoError(b, s.shutdown(context.Background())) }()

	// The first scrape detects the pages' formats.
	m, err := s.scrape(context.Background())
	require.NoError(b, err)
	require.Equal(b, int64(1), gaugeInt(b, m, "mistral.api.probe.success"))

	cpu0 := cpuTime()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.scrape(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
}

// cpuTime is the process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
