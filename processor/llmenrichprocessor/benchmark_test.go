package llmenrichprocessor

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumertest"
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

// BenchmarkWriteFloor writes what llm_enrich writes on a priced span with
// its default configuration, a cost and, where the span lacks it, the
// provider, on every span that names a model, reading nothing else: the
// least a pdata processor that prices these spans can cost, since every new
// attribute allocates.
func BenchmarkWriteFloor(b *testing.B) {
	bb := genaibench.New(genaispans.DefaultOptions())
	want := countWith(bb.Result.Traces, keyRequestModel)
	bb.Run(b, func(td ptrace.Traces) {
		rss := td.ResourceSpans()
		for i := 0; i < rss.Len(); i++ {
			sss := rss.At(i).ScopeSpans()
			for j := 0; j < sss.Len(); j++ {
				spans := sss.At(j).Spans()
				for k := 0; k < spans.Len(); k++ {
					a := spans.At(k).Attributes()
					if _, ok := a.Get(keyRequestModel); !ok {
						continue
					}
					_, hasProvider := a.Get(attrProviderName)
					a.EnsureCapacity(a.Len() + 2)
					a.PutDouble(attrUsageCost, 1)
					if !hasProvider {
						a.PutStr(attrProviderName, "mistral_ai")
					}
				}
			}
		}
	}, func(td ptrace.Traces) error {
		if got := countWith(td, attrUsageCost); got < want {
			b.Fatalf("write floor wrote %d costs, want at least %d", got, want)
		}
		return nil
	})
}
