package llmenrichprocessor

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/metric/metricdata/metricdatatest"

	"github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor/internal/metadata"
	"github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor/internal/metadatatest"
)

func TestPriceTableAge(t *testing.T) {
	copied, err := builtinTableDate()
	require.NoError(t, err)
	require.Equal(t, 1, copied.Day())

	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	tb, err := metadata.NewTelemetryBuilder(metadatatest.NewSettings(tel).TelemetrySettings)
	require.NoError(t, err)
	defer tb.Shutdown()
	now := func() time.Time { return copied.Add(90 * 24 * time.Hour) }
	require.NoError(t, registerPriceTableAge(tb, PricingConfig{Builtin: true}, now))
	metadatatest.AssertEqualProcessorLlmEnrichPriceTableAge(t, tel,
		[]metricdata.DataPoint[float64]{{Value: 90 * 86400}}, metricdatatest.IgnoreTimestamp())
}

func TestPriceTableAgeOnlyWithBuiltin(t *testing.T) {
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	tb, err := metadata.NewTelemetryBuilder(metadatatest.NewSettings(tel).TelemetrySettings)
	require.NoError(t, err)
	defer tb.Shutdown()
	require.NoError(t, registerPriceTableAge(tb, PricingConfig{}, time.Now))
	_, err = tel.GetMetric("otelcol_processor_llm_enrich_price_table_age")
	require.Error(t, err, "no age without the built-in table")
}
