package llmenrichprocessor

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-mistral/otelcol-mistral/internal/genaispans"
)

// Every dialect, every outcome, with and without its wrapper and child
// spans: the processed call span carries exactly the expected enrichment and
// no other span changes.
func TestEveryDialectEnriched(t *testing.T) {
	e := newTestEnricher(t, testConfig())
	type variant struct {
		name string
		call genaispans.Call
	}
	for _, d := range genaispans.Dialects {
		variants := []variant{
			{"chat", genaispans.Call{}},
			{"embeddings", genaispans.Call{Embedding: true}},
			{"unpriced", genaispans.Call{Unpriced: true}},
		}
		for _, sc := range genaispans.Scenarios {
			variants = append(variants, variant{sc.Name, genaispans.Call{Scenario: &sc}})
		}
		for _, v := range variants {
			for _, extras := range []bool{true, false} {
				t.Run(fmt.Sprintf("%s/%s/extras=%v", d, v.name, extras), func(t *testing.T) {
					c := v.call
					c.Dialect, c.NoExtras, c.Root = d, !extras, extras
					r := genaispans.Single(c)
					require.Len(t, r.Expected, 1)
					in := ptrace.NewTraces()
					r.Traces.CopyTo(in)
					out := process(t, e, r.Traces)
					x := r.Expected[0]
					span, ok := findSpan(out, x.TraceID, x.SpanID)
					require.True(t, ok)
					checkExpected(t, span, x, false)
					assertOthersUnchanged(t, in, out, map[pcommon.SpanID]bool{x.SpanID: true})
				})
			}
		}
	}
}

// assertOthersUnchanged checks that every span but the enriched ones is
// exactly as it was, and the batch's shape (spans, order, ids) too.
func assertOthersUnchanged(t *testing.T, in, out ptrace.Traces, enriched map[pcommon.SpanID]bool) {
	t.Helper()
	require.Equal(t, in.SpanCount(), out.SpanCount())
	var ins, outs []ptrace.Span
	forEachSpan(in, func(_ pcommon.Resource, s ptrace.Span) { ins = append(ins, s) })
	forEachSpan(out, func(_ pcommon.Resource, s ptrace.Span) { outs = append(outs, s) })
	for i := range ins {
		require.Equal(t, ins[i].SpanID(), outs[i].SpanID(), "span %d moved", i)
		require.Equal(t, ins[i].TraceID(), outs[i].TraceID())
		if enriched[ins[i].SpanID()] {
			continue
		}
		assert.Equal(t, ins[i].Attributes().AsRaw(), outs[i].Attributes().AsRaw(), "span %q changed", ins[i].Name())
	}
}

// Whole generated batches, several seeds, all dialects mixed.
func TestGeneratedBatches(t *testing.T) {
	for _, override := range []bool{false, true} {
		cfg := testConfig()
		cfg.Pricing.OverrideExistingCost = override
		e := newTestEnricher(t, cfg)
		for seed := int64(1); seed <= 5; seed++ {
			t.Run(fmt.Sprintf("seed=%d/override=%v", seed, override), func(t *testing.T) {
				o := genaispans.DefaultOptions()
				o.Seed = seed
				o.ErrorFraction = 0.3
				r := genaispans.Generate(o)
				in := ptrace.NewTraces()
				r.Traces.CopyTo(in)
				out := process(t, e, r.Traces)
				enriched := map[pcommon.SpanID]bool{}
				for _, x := range r.Expected {
					enriched[x.SpanID] = true
					span, ok := findSpan(out, x.TraceID, x.SpanID)
					require.True(t, ok)
					checkExpected(t, span, x, override)
				}
				assertOthersUnchanged(t, in, out, enriched)
			})
		}
	}
}

// The generated batch has the requested shape.
func TestGeneratedBatchShape(t *testing.T) {
	r := genaispans.Generate(genaispans.DefaultOptions())
	s := r.Summary(false)
	assert.Equal(t, 1000, s.Spans)
	assert.Equal(t, 300, s.Calls)
	assert.Equal(t, 30, s.Errors)
	assert.Positive(t, s.Priced)
	assert.Positive(t, s.PriceMissing)
}

// The processor keeps no state: concurrent batches give the same result as
// one at a time (run with -race).
func TestConcurrentBatches(t *testing.T) {
	e := newTestEnricher(t, testConfig())
	r := genaispans.Generate(genaispans.DefaultOptions())
	want := r.Summary(false)
	done := make(chan error, 4)
	for g := 0; g < 4; g++ {
		td := ptrace.NewTraces()
		r.Traces.CopyTo(td)
		go func() {
			out, err := e.processTraces(context.Background(), td)
			if err == nil {
				err = want.Check(genaispans.Count(out))
			}
			done <- err
		}()
	}
	for g := 0; g < 4; g++ {
		require.NoError(t, <-done)
	}
}
