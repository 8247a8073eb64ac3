package llmenrichprocessor

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processorhelper"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/otelcol-mistral/otelcol-mistral/internal/genaispans"
	"github.com/otelcol-mistral/otelcol-mistral/internal/genaispans/genaibench"
	"github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor/internal/metadata"
)

// The benchmark workload: batches of 1000 spans, 30 % LLM call spans in
// every dialect, 10 % of those failed (genaispans.DefaultOptions), run by
// genaibench (fresh copies prepared outside the timed region, every
// consumed batch checked).

// benchConfig is the default configuration with the workload's prices
// inline: the real table size, the default attributes.
func benchConfig() *Config {
	cfg := testConfig()
	cfg.Pricing.Builtin = true
	cfg.Pricing.Breakdown = false
	return cfg
}

// BenchmarkProcessor is the llm_enrich processor as the collector runs it
// (processorhelper, internal telemetry, next consumer).
func BenchmarkProcessor(b *testing.B) {
	bb := genaibench.New(genaispans.DefaultOptions())
	p, err := NewFactory().CreateTraces(context.Background(), processortest.NewNopSettings(metadata.Type), benchConfig(), consumertest.NewNop())
	require.NoError(b, err)
	bb.Run(b, genaibench.Consume(b, p), func(td ptrace.Traces) error { return bb.Summary.Check(genaispans.Count(td)) })
}

// BenchmarkPassThrough is processorhelper with an identity function: the
// floor any processor pays in a pipeline.
func BenchmarkPassThrough(b *testing.B) {
	bb := genaibench.New(genaispans.DefaultOptions())
	p, err := newPassThrough()
	require.NoError(b, err)
	bb.RunReadOnly(b, genaibench.Consume(b, p), func(td ptrace.Traces) error {
		return bb.Summary.Untouched().Check(genaispans.Count(td))
	})
}

func newPassThrough() (processor.Traces, error) {
	return processorhelper.NewTraces(context.Background(), processortest.NewNopSettings(metadata.Type), &Config{}, consumertest.NewNop(),
		func(_ context.Context, td ptrace.Traces) (ptrace.Traces, error) { return td, nil },
		processorhelper.WithCapabilities(consumer.Capabilities{MutatesData: true}))
}

// BenchmarkBareLoop reads one attribute of every span: the cost of touching
// each span once, without a pipeline.
func BenchmarkBareLoop(b *testing.B) {
	genaibench.BareLoop(b, genaibench.New(genaispans.DefaultOptions()))
}

func countWith(td ptrace.Traces, key string) int { return genaibench.CountWith(td, key) }

// BenchmarkNonLLMOnly runs the processor's function on batches without any
// LLM span: it must not allocate (0 allocs/op), nor change them (checked),
// so the batches are reused.
func BenchmarkNonLLMOnly(b *testing.B) {
	o := genaispans.DefaultOptions()
	o.LLMFraction = 0
	bb := genaibench.New(o)
	e := newTestEnricher(b, benchConfig())
	ctx := context.Background()
	bb.RunReadOnly(b, func(td ptrace.Traces) {
		if _, err := e.processTraces(ctx, td); err != nil {
			b.Fatal(err)
		}
	}, func(td ptrace.Traces) error { return bb.Summary.Check(genaispans.Count(td)) })
}

// The non-LLM path allocates nothing, telemetry included.
func TestNonLLMSpansDoNotAllocate(t *testing.T) {
	o := genaispans.DefaultOptions()
	o.LLMFraction = 0
	td := genaispans.Batch(o)
	p, err := NewFactory().CreateTraces(context.Background(), processortest.NewNopSettings(metadata.Type), benchConfig(), consumertest.NewNop())
	require.NoError(t, err)
	e := newTestEnricher(t, benchConfig())
	tb, err := metadata.NewTelemetryBuilder(processortest.NewNopSettings(metadata.Type).TelemetrySettings)
	require.NoError(t, err)
	e.tel = newTelemetry(tb)
	_ = p
	allocs := testing.AllocsPerRun(20, func() {
		if _, err := e.processTraces(context.Background(), td); err != nil {
			t.Fatal(err)
		}
	})
	require.Zero(t, allocs)
}

// BenchmarkWriteFloor is the least a pdata processor that enriches these
// batches as llm_enrich does can cost: it touches every span once (reads
// one attribute, as BenchmarkBareLoop) and writes on each span exactly the
// attributes, with the values, that llm_enrich writes with the benchmark's
// configuration (the cost and the provider where missing on priced spans,
// the price.missing marker, the full classification of failed calls),
// through the processor's own attrWrites, one slice growth per span. Which
// span gets what is taken, before timing, from llm_enrich's output on the
// workload, so the floor decides nothing and reads nothing else.
func BenchmarkWriteFloor(b *testing.B) {
	bb := genaibench.New(genaispans.DefaultOptions())
	plan := writePlan(b, bb.Result.Traces)
	wantModel := countWith(bb.Result.Traces, keyRequestModel)
	var found int
	bb.Run(b, func(td ptrace.Traces) {
		n, next := 0, 0
		found = 0
		rss := td.ResourceSpans()
		for i := 0; i < rss.Len(); i++ {
			sss := rss.At(i).ScopeSpans()
			for j := 0; j < sss.Len(); j++ {
				spans := sss.At(j).Spans()
				for k := 0; k < spans.Len(); k++ {
					a := spans.At(k).Attributes()
					if _, ok := a.Get(keyRequestModel); ok {
						found++
					}
					if next < len(plan) && plan[next].span == n {
						plan[next].w.apply(a)
						next++
					}
					n++
				}
			}
		}
	}, func(td ptrace.Traces) error {
		if found != wantModel {
			b.Fatalf("write floor found %d spans with %s, want %d", found, keyRequestModel, wantModel)
		}
		if got := attributeCount(td) - attributeCount(bb.Result.Traces); got != plan.writes() {
			b.Fatalf("write floor wrote %d attributes, want %d", got, plan.writes())
		}
		return nil
	})
}

// spanWrites are the attributes llm_enrich adds to the span at position
// span of a batch (resource → scope → span order).
type spanWrites struct {
	span int
	w    attrWrites
}

type writesPlan []spanWrites

func (p writesPlan) writes() int {
	n := 0
	for i := range p {
		n += p[i].w.n
	}
	return n
}

// writePlan runs llm_enrich (benchConfig) on a copy of td and returns, span
// by span, the attributes it added.
func writePlan(tb testing.TB, td ptrace.Traces) writesPlan {
	out := ptrace.NewTraces()
	td.CopyTo(out)
	_, err := newTestEnricher(tb, benchConfig()).processTraces(context.Background(), out)
	require.NoError(tb, err)
	var before []pcommon.Map
	forEachSpan(td, func(_ pcommon.Resource, s ptrace.Span) { before = append(before, s.Attributes()) })
	var plan writesPlan
	n := 0
	forEachSpan(out, func(_ pcommon.Resource, s ptrace.Span) {
		var w attrWrites
		for k, v := range s.Attributes().All() {
			if _, had := before[n].Get(k); had {
				continue
			}
			switch v.Type() {
			case pcommon.ValueTypeStr:
				w.str(k, v.Str())
			case pcommon.ValueTypeDouble:
				w.double(k, v.Double())
			case pcommon.ValueTypeBool:
				w.boolean(k, v.Bool())
			default:
				tb.Fatalf("llm_enrich wrote %s of type %s", k, v.Type())
			}
		}
		require.Equal(tb, before[n].Len()+w.n, s.Attributes().Len(), "llm_enrich only adds attributes")
		if w.n > 0 {
			plan = append(plan, spanWrites{span: n, w: w})
		}
		n++
	})
	require.NotEmpty(tb, plan)
	return plan
}

func attributeCount(td ptrace.Traces) int {
	n := 0
	forEachSpan(td, func(_ pcommon.Resource, s ptrace.Span) { n += s.Attributes().Len() })
	return n
}
