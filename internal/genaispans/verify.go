package genaispans // import "github.com/otelcol-mistral/otelcol-mistral/internal/genaispans"

import (
	"fmt"
	"math"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
)

// Counts are what an enrichment wrote on a batch, read back by the
// attribute names of the llm_enrich contract.
type Counts struct {
	Spans int
	// Priced counts spans with a gen_ai.usage.cost (the processor's or
	// their own); Cost sums it.
	Priced int
	Cost   float64
	// PriceMissing counts llm_enrich.price.missing = true.
	PriceMissing int
	// Classes counts llm_enrich.error.class values.
	Classes map[mistralapi.Class]int
}

// Count reads the enrichment back from a processed batch.
func Count(td ptrace.Traces) Counts {
	c := Counts{Spans: td.SpanCount(), Classes: map[mistralapi.Class]int{}}
	rss := td.ResourceSpans()
	for i := 0; i < rss.Len(); i++ {
		sss := rss.At(i).ScopeSpans()
		for j := 0; j < sss.Len(); j++ {
			spans := sss.At(j).Spans()
			for k := 0; k < spans.Len(); k++ {
				a := spans.At(k).Attributes()
				if v, ok := a.Get("gen_ai.usage.cost"); ok && v.Type() == pcommon.ValueTypeDouble {
					c.Priced++
					c.Cost += v.Double()
				}
				if v, ok := a.Get("llm_enrich.price.missing"); ok && v.Type() == pcommon.ValueTypeBool && v.Bool() {
					c.PriceMissing++
				}
				if v, ok := a.Get("llm_enrich.error.class"); ok {
					c.Classes[mistralapi.Class(v.AsString())]++
				}
			}
		}
	}
	return c
}

// Check compares what was written with what was expected: span count,
// priced spans, total cost (to 1e-9 relative), unpriced markers and the
// count of each class.
func (s Summary) Check(c Counts) error {
	switch {
	case c.Spans != s.Spans:
		return fmt.Errorf("spans: got %d, want %d", c.Spans, s.Spans)
	case c.Priced != s.Priced:
		return fmt.Errorf("priced spans: got %d, want %d", c.Priced, s.Priced)
	case math.Abs(c.Cost-s.Cost) > 1e-9*math.Max(1, s.Cost):
		return fmt.Errorf("total cost: got %.12g, want %.12g", c.Cost, s.Cost)
	case c.PriceMissing != s.PriceMissing:
		return fmt.Errorf("price.missing spans: got %d, want %d", c.PriceMissing, s.PriceMissing)
	}
	return s.CheckClasses(c)
}

// CheckClasses compares only the count of each class.
func (s Summary) CheckClasses(c Counts) error {
	for _, cl := range mistralapi.Classes {
		if c.Classes[cl] != s.Classes[cl] {
			return fmt.Errorf("class %s: got %d spans, want %d", cl, c.Classes[cl], s.Classes[cl])
		}
	}
	for cl, n := range c.Classes {
		if n > 0 && !isClass(cl) {
			return fmt.Errorf("unknown class %q on %d spans", cl, n)
		}
	}
	return nil
}

func isClass(c mistralapi.Class) bool {
	for _, k := range mistralapi.Classes {
		if k == c {
			return true
		}
	}
	return false
}
