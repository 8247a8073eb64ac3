package mistralreceiver // import "github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver"

import (
	"context"
	"errors"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/scraper"
	"go.opentelemetry.io/collector/scraper/scraperhelper"

	"github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver/internal/metadata"
)

// NewFactory returns the factory of the mistral receiver.
func NewFactory() receiver.Factory {
	return receiver.NewFactory(metadata.Type, createDefaultConfig,
		receiver.WithMetrics(createMetrics, metadata.MetricsStability))
}

func createDefaultConfig() component.Config {
	cc := scraperhelper.NewDefaultControllerConfig()
	cc.CollectionInterval = defaultCollectionInterval
	cc.Timeout = defaultTimeout
	client := confighttp.NewDefaultClientConfig()
	client.Endpoint = defaultEndpoint
	client.Timeout = defaultTimeout
	// A probe opens a fresh connection each time, so that every probe
	// measures DNS, connect and TLS and sees the certificate, as
	// blackbox_exporter does. `keepalive: {}` turns reuse back on.
	client.Keepalive = configoptional.None[confighttp.KeepaliveClientConfig]()
	return &Config{
		ControllerConfig:     cc,
		ClientConfig:         client,
		MetricsBuilderConfig: metadata.DefaultMetricsBuilderConfig(),
		ChatProbe: ChatProbeConfig{
			Model: defaultChatModel,
			Every: defaultChatEvery,
			Delay: defaultChatDelay,
		},
		StatusPages: []StatusPageConfig{{
			Name:     defaultStatusPageName,
			Endpoint: defaultStatusPageEndpoint,
			Format:   defaultStatusPageFormat,
		}},
		MaxBodySize: defaultMaxBodySize,
	}
}

func createMetrics(_ context.Context, set receiver.Settings, cfg component.Config, next consumer.Metrics) (receiver.Metrics, error) {
	rCfg, ok := cfg.(*Config)
	if !ok {
		return nil, errors.New("mistral receiver: unexpected configuration type")
	}
	s := newScraper(rCfg, set)
	sc, err := scraper.NewMetrics(s.scrape, scraper.WithStart(s.start), scraper.WithShutdown(s.shutdown))
	if err != nil {
		return nil, err
	}
	// The receiver bounds every probe by `timeout` itself; the controller's
	// scrape deadline (the same squashed key) would only race with it.
	cc := rCfg.ControllerConfig
	cc.Timeout = 0
	ctrl, err := scraperhelper.NewMetricsController(&cc, set, next, scraperhelper.AddMetricsScraper(metadata.Type, sc))
	if err != nil {
		return nil, err
	}
	return &mistralReceiver{Metrics: ctrl, scraper: s}, nil
}

// mistralReceiver cancels the probes in flight before the scraper
// controller's Shutdown, which otherwise waits for the running scrape (up
// to `timeout`) before it stops the scraper.
type mistralReceiver struct {
	receiver.Metrics
	scraper *mistralScraper
}

// Shutdown cancels the probes in flight, then stops the controller.
func (r *mistralReceiver) Shutdown(ctx context.Context) error {
	r.scraper.cancelProbes()
	return r.Metrics.Shutdown(ctx)
}
