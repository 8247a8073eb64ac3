package llmenrichprocessor // import "github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor"

import (
	"context"
	"slices"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
	"github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor/internal/metadata"
)

// batchCounts are the counts of one batch, recorded once at its end.
type batchCounts struct {
	seen, enriched, priced int64
	// classified counts failed calls by class, indexed as mistralapi.Classes;
	// allocated only when a batch has a failed call.
	classified []int64
	// unpriced is allocated only when a batch has an unpriced span.
	unpriced []modelCount
}

type modelCount struct {
	model string
	n     int64
}

func (c *batchCounts) addUnpriced(model string) {
	for i := range c.unpriced {
		if c.unpriced[i].model == model {
			c.unpriced[i].n++
			return
		}
	}
	c.unpriced = append(c.unpriced, modelCount{model, 1})
}

// addClassified counts a failed call of class cl; a class mistralapi.Classes
// does not list counts as other.
func (c *batchCounts) addClassified(cl mistralapi.Class) {
	if c.classified == nil {
		c.classified = make([]int64, len(mistralapi.Classes))
	}
	i := slices.Index(mistralapi.Classes[:], cl)
	if i < 0 {
		i = slices.Index(mistralapi.Classes[:], mistralapi.ClassOther)
	}
	c.classified[i]++
}

// telemetry records the batch counts.
type telemetry struct {
	tb *metadata.TelemetryBuilder
	// classOpts are the pre-built attribute options of each class, so that
	// recording does not allocate them per batch.
	classOpts []metric.AddOption
}

func newTelemetry(tb *metadata.TelemetryBuilder) *telemetry {
	t := &telemetry{tb: tb, classOpts: make([]metric.AddOption, len(mistralapi.Classes))}
	for i, c := range mistralapi.Classes {
		t.classOpts[i] = metric.WithAttributeSet(attribute.NewSet(attribute.String(attrErrorClass, string(c))))
	}
	return t
}

func (t *telemetry) record(ctx context.Context, c *batchCounts) {
	t.tb.ProcessorLlmEnrichSpansSeen.Add(ctx, c.seen)
	if c.enriched > 0 {
		t.tb.ProcessorLlmEnrichSpansEnriched.Add(ctx, c.enriched)
	}
	if c.priced > 0 {
		t.tb.ProcessorLlmEnrichSpansPriced.Add(ctx, c.priced)
	}
	for _, u := range c.unpriced {
		t.tb.ProcessorLlmEnrichSpansUnpriced.Add(ctx, u.n, metric.WithAttributes(attribute.String("gen_ai.request.model", u.model)))
	}
	for i, n := range c.classified {
		if n > 0 {
			t.tb.ProcessorLlmEnrichSpansClassified.Add(ctx, n, t.classOpts[i])
		}
	}
}
