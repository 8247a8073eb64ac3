package llmenrichprocessor // import "github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor"

import (
	"context"
	"fmt"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processorhelper"

	"github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor/internal/metadata"
)

// NewFactory returns the factory of the llm_enrich processor.
func NewFactory() processor.Factory {
	return processor.NewFactory(metadata.Type, createDefaultConfig,
		processor.WithTraces(createTraces, metadata.TracesStability))
}

func createDefaultConfig() component.Config {
	return &Config{
		Pricing:        PricingConfig{Builtin: true},
		Classification: ClassificationConfig{Enabled: true},
	}
}

// newEnricher builds the processor's core from a configuration: the price
// files are read here, so a bad file fails the collector's start-up with a
// message naming the file and the entry.
func newEnricher(cfg *Config) (*enricher, error) {
	table, err := buildTable(cfg.Pricing)
	if err != nil {
		return nil, err
	}
	e := &enricher{
		table:        table,
		overrideCost: cfg.Pricing.OverrideExistingCost,
		breakdown:    cfg.Pricing.Breakdown,
		costProposal: cfg.Pricing.CostProposal,
		classify:     cfg.Classification.Enabled,
		workspace:    cfg.Workspace,
		attr:         newAttributor(cfg.Attribution),
	}
	if cfg.State != nil {
		e.join = &joiner{id: *cfg.State}
	}
	return e, nil
}

func createTraces(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Traces) (processor.Traces, error) {
	oCfg, ok := cfg.(*Config)
	if !ok {
		return nil, fmt.Errorf("llm_enrich: unexpected configuration type %T", cfg)
	}
	e, err := newEnricher(oCfg)
	if err != nil {
		return nil, err
	}
	tb, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	e.tel = newTelemetry(tb)
	e.attr.setTelemetry(tb)
	if err := registerPriceTableAge(tb, oCfg.Pricing, time.Now); err != nil {
		return nil, err
	}
	return processorhelper.NewTraces(ctx, set, cfg, next, e.processTraces,
		processorhelper.WithCapabilities(consumer.Capabilities{MutatesData: true}),
		processorhelper.WithStart(func(_ context.Context, host component.Host) error {
			e.join.start(host, set.Logger)
			return nil
		}),
		processorhelper.WithShutdown(func(context.Context) error {
			tb.Shutdown()
			return nil
		}))
}
