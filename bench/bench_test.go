package bench

import (
	"context"
	"fmt"
	"testing"

	"github.com/open-telemetry/opentelemetry-collector-contrib/processor/transformprocessor"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/otelcol-mistral/otelcol-mistral/internal/genaispans"
	"github.com/otelcol-mistral/otelcol-mistral/internal/genaispans/genaibench"
	"github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor"
)

func newProcessor(tb testing.TB, f processor.Factory, conf map[string]any) processor.Traces {
	tb.Helper()
	cfg := f.CreateDefaultConfig()
	require.NoError(tb, confmap.NewFromStringMap(conf).Unmarshal(cfg))
	require.NoError(tb, confmap.Validate(cfg))
	p, err := f.CreateTraces(context.Background(), processortest.NewNopSettings(f.Type()), cfg, consumertest.NewNop())
	require.NoError(tb, err)
	require.NoError(tb, p.Start(context.Background(), componenttest.NewNopHost()))
	tb.Cleanup(func() { require.NoError(tb, p.Shutdown(context.Background())) })
	return p
}

// checkTransform verifies the transform processor's output: costs, priced
// spans and unpriced markers exactly as expected; every failed call span
// classified (OTTL's status-code rules cannot read exception events, child
// HTTP spans or headers, so its classes differ from llm_enrich's where those
// carry the evidence).
func checkTransform(s genaispans.Summary) func(ptrace.Traces) error {
	return func(td ptrace.Traces) error {
		c := genaispans.Count(td)
		want := s
		want.Classes = nil
		got := c
		got.Classes = nil
		if err := want.Check(got); err != nil {
			return fmt.Errorf("transform: %w", err)
		}
		n := 0
		for _, k := range c.Classes {
			n += k
		}
		if n != s.Errors {
			return fmt.Errorf("transform: %d spans classified, want %d", n, s.Errors)
		}
		return nil
	}
}

func BenchmarkLLMEnrich(b *testing.B) {
	w := genaibench.New(genaispans.DefaultOptions())
	p := newProcessor(b, llmenrichprocessor.NewFactory(), LLMEnrichConfig())
	w.Run(b, genaibench.Consume(b, p), func(td ptrace.Traces) error { return w.Summary.Check(genaispans.Count(td)) })
}

func BenchmarkTransformOTTL(b *testing.B) {
	w := genaibench.New(genaispans.DefaultOptions())
	p := newProcessor(b, transformprocessor.NewFactory(), TransformConfig())
	w.Run(b, genaibench.Consume(b, p), checkTransform(w.Summary))
}

func BenchmarkBareLoop(b *testing.B) {
	genaibench.BareLoop(b, genaibench.New(genaispans.DefaultOptions()))
}

// The OTTL configuration really computes the same costs: checked once here,
// so that a broken statement fails a test, not only a benchmark.
func TestTransformComputesTheSameCosts(t *testing.T) {
	for seed := int64(1); seed <= 3; seed++ {
		o := genaispans.DefaultOptions()
		o.Seed = seed
		r := genaispans.Generate(o)
		s := r.Summary(false)
		td := ptrace.NewTraces()
		r.Traces.CopyTo(td)
		p := newProcessor(t, transformprocessor.NewFactory(), TransformConfig())
		require.NoError(t, p.ConsumeTraces(context.Background(), td))
		require.NoError(t, checkTransform(s)(td))

		td2 := ptrace.NewTraces()
		r.Traces.CopyTo(td2)
		q := newProcessor(t, llmenrichprocessor.NewFactory(), LLMEnrichConfig())
		require.NoError(t, q.ConsumeTraces(context.Background(), td2))
		require.NoError(t, s.Check(genaispans.Count(td2)))
		t.Logf("seed %d: classes transform %v, llm_enrich %v", seed, genaispans.Count(td).Classes, genaispans.Count(td2).Classes)
	}
}
