package llmenrichprocessor // import "github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor"

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
	"github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor/internal/metadata"
)

// batchCounts are the counts of one batch, recorded once at its end.
type batchCounts struct {
	seen, enriched, priced int64
	classified             [classCount]int64
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

const classCount = len(mistralapi.Classes)

// classIndex maps a class to its slot in batchCounts.classified.
func classIndex(c mistralapi.Class) int {
	for i, k := range mistralapi.Classes {
		if k == c {
			return i
		}
	}
	return classCount - 1 // other
}

// telemetry records the batch counts.
type telemetry struct {
	tb *metadata.TelemetryBuilder
	// classOpts are the pre-built attribute options of each class, so that
	// recording does not allocate them per batch.
	classOpts [classCount]metric.AddOption
}

func newTelemetry(tb *metadata.TelemetryBuilder) *telemetry {
	t := &telemetry{tb: tb}
	for i, c := range mistralapi.Classes {
		t.classOpts[i] = metric.WithAttributeSet(attribute.NewSet(attribute.String(AttrErrorClass, string(c))))
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
