package llmenrichprocessor

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/metric/metricdata/metricdatatest"

	"github.com/otelcol-mistral/otelcol-mistral/internal/genaispans"
	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
	"github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor/internal/metadatatest"
)

func TestInternalTelemetry(t *testing.T) {
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	sink := new(consumertest.TracesSink)
	p, err := NewFactory().CreateTraces(context.Background(), metadatatest.NewSettings(tel), testConfig(), sink)
	require.NoError(t, err)
	require.NoError(t, p.Start(context.Background(), componenttest.NewNopHost()))

	var seen, calls, priced int64
	unpriced := map[string]int64{}
	classes := map[mistralapi.Class]int64{}
	for seed := int64(1); seed <= 3; seed++ {
		o := genaispans.DefaultOptions()
		o.Seed = seed
		r := genaispans.Generate(o)
		s := r.Summary(false)
		seen += int64(s.Spans)
		calls += int64(s.Calls)
		priced += int64(s.Priced - s.OwnCostSpans) // own costs kept are not counted as priced
		for _, x := range r.Expected {
			if x.PriceMissing(false) {
				unpriced[genaispans.UnpricedModel]++
			}
		}
		for c, n := range s.Classes {
			classes[c] += int64(n)
		}
		require.NoError(t, p.ConsumeTraces(context.Background(), r.Traces))
	}
	require.NoError(t, p.Shutdown(context.Background()))
	require.Len(t, sink.AllTraces(), 3)

	opt := metricdatatest.IgnoreTimestamp()
	metadatatest.AssertEqualProcessorLlmEnrichSpansSeen(t, tel, []metricdata.DataPoint[int64]{{Value: seen}}, opt)
	metadatatest.AssertEqualProcessorLlmEnrichSpansEnriched(t, tel, []metricdata.DataPoint[int64]{{Value: calls}}, opt)
	metadatatest.AssertEqualProcessorLlmEnrichSpansPriced(t, tel, []metricdata.DataPoint[int64]{{Value: priced}}, opt)
	var up []metricdata.DataPoint[int64]
	for m, n := range unpriced {
		up = append(up, metricdata.DataPoint[int64]{Attributes: attribute.NewSet(attribute.String("gen_ai.request.model", m)), Value: n})
	}
	metadatatest.AssertEqualProcessorLlmEnrichSpansUnpriced(t, tel, up, opt)
	var cl []metricdata.DataPoint[int64]
	for c, n := range classes {
		cl = append(cl, metricdata.DataPoint[int64]{Attributes: attribute.NewSet(attribute.String(attrErrorClass, string(c))), Value: n})
	}
	metadatatest.AssertEqualProcessorLlmEnrichSpansClassified(t, tel, cl, opt)
}
