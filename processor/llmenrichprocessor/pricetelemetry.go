package llmenrichprocessor // import "github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor"

import (
	"context"
	"fmt"
	"time"

	"go.opentelemetry.io/otel/metric"

	"github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor/internal/metadata"
	"github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor/internal/pricing"
)

// builtinTableDate is the date the built-in rows were copied from their source: the first of pricing.BuiltinDate's
// month (YYYY-MM), UTC.
func builtinTableDate() (time.Time, error) {
	t, err := time.Parse("2006-01", pricing.BuiltinDate)
	if err != nil {
		return time.Time{}, fmt.Errorf("pricing.BuiltinDate %q: %w", pricing.BuiltinDate, err)
	}
	return t, nil
}

// registerPriceTableAge reports the built-in table's age (processor_llm_enrich_price_table_age) while the
// processor uses it; now is time.Now outside tests.
func registerPriceTableAge(tb *metadata.TelemetryBuilder, cfg PricingConfig, now func() time.Time) error {
	if !cfg.Builtin {
		return nil
	}
	copied, err := builtinTableDate()
	if err != nil {
		return err
	}
	return tb.RegisterProcessorLlmEnrichPriceTableAgeCallback(func(_ context.Context, o metric.Float64Observer) error {
		o.Observe(now().Sub(copied).Seconds())
		return nil
	})
}
