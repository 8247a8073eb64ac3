package genaispans

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.uber.org/goleak"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestDeterministic(t *testing.T) {
	a, b := Generate(DefaultOptions()), Generate(DefaultOptions())
	assert.True(t, ptraceEqual(a.Traces, b.Traces))
	assert.Equal(t, a.Expected, b.Expected)
	o := DefaultOptions()
	o.Seed = 2
	assert.False(t, ptraceEqual(a.Traces, Generate(o).Traces))
}

func ptraceEqual(a, b ptrace.Traces) bool {
	ma, _ := (&ptrace.ProtoMarshaler{}).MarshalTraces(a)
	mb, _ := (&ptrace.ProtoMarshaler{}).MarshalTraces(b)
	return string(ma) == string(mb)
}

func TestShape(t *testing.T) {
	for _, tt := range []struct {
		spans          int
		llm, errs      float64
		calls, errored int
	}{
		{1000, 0.3, 0.1, 300, 30},
		{1000, 0, 0.1, 0, 0},
		{1000, 1, 0, 1000, 0},
		{10, 0.5, 1, 5, 5},
		{0, 0.3, 0.1, 0, 0},
		{7, 2, -1, 7, 0}, // fractions clamped
	} {
		t.Run(fmt.Sprintf("%d/%v/%v", tt.spans, tt.llm, tt.errs), func(t *testing.T) {
			o := DefaultOptions()
			o.Spans, o.LLMFraction, o.ErrorFraction = tt.spans, tt.llm, tt.errs
			r := Generate(o)
			s := r.Summary(false)
			assert.Equal(t, tt.spans, s.Spans)
			assert.Equal(t, tt.calls, s.Calls)
			assert.Equal(t, tt.errored, s.Errors)
		})
	}
}

// Every dialect appears, with its expected provider, in a default batch of
// a few seeds; every scenario too.
func TestCoverage(t *testing.T) {
	dialects, scenarios := map[Dialect]bool{}, map[string]bool{}
	for seed := int64(1); seed <= 10; seed++ {
		o := DefaultOptions()
		o.Seed = seed
		for _, x := range Generate(o).Expected {
			dialects[x.Dialect] = true
			if x.Scenario != "" {
				scenarios[x.Scenario] = true
			}
			want := "mistral_ai"
			if x.Dialect == Anthropic {
				want = "anthropic"
			}
			assert.Equal(t, want, x.Provider)
		}
	}
	assert.Len(t, dialects, len(Dialects))
	assert.Len(t, scenarios, len(Scenarios))
}

// The hand-written verdict of each scenario is what the shared classifier
// gives on the full evidence.
func TestScenarioVerdicts(t *testing.T) {
	for _, sc := range Scenarios {
		t.Run(sc.Name, func(t *testing.T) {
			ev := sc.FullEvidence()
			if sc.Status == 0 {
				ev.ErrorType = sc.PythonType
			}
			c := mistralapi.Classify(ev)
			assert.Equal(t, sc.Class, c.Class)
			assert.Equal(t, sc.Limit, c.Limit)
		})
	}
}

func TestSingle(t *testing.T) {
	sc := ScenarioZeroAllowance
	r := Single(Call{Dialect: Semconv, Scenario: &sc, Root: true})
	require.Len(t, r.Expected, 1)
	assert.Equal(t, 3, r.Traces.SpanCount()) // server root, GenAI span, HTTP child
	x := r.Expected[0]
	assert.Equal(t, mistralapi.ClassQuotaExhausted, x.Class)
	assert.Equal(t, mistralapi.LimitRequestsPerMinute, x.Limit)
	assert.False(t, x.Priced(false))

	u := Usage{Input: 1000, Output: 2000}
	r = Single(Call{Dialect: MistralSDK, Usage: &u, NoExtras: true})
	assert.Equal(t, 1, r.Traces.SpanCount())
	x = r.Expected[0]
	assert.Equal(t, u, x.Usage)
	require.True(t, x.Priced(false))
	p := Prices[x.PriceModel]
	assert.InDelta(t, (1000*p.Input+2000*p.Output)/1e6, x.Cost.Total, 1e-15)

	r = Single(Call{Dialect: OpenLIT})
	assert.True(t, r.Expected[0].ExistingCost)
	assert.False(t, r.Expected[0].Priced(false))
	assert.Equal(t, r.Expected[0].PriceModel != "", r.Expected[0].Priced(true))
}

func TestCostOf(t *testing.T) {
	claude := Prices["claude-sonnet-4-5-20250929"]
	c := CostOf(claude, Usage{Input: 10000, CacheRead: 4000, CacheWrite: 2000, Output: 1000})
	assert.InDelta(t, 0.012, c.Input, 1e-15)
	assert.InDelta(t, 0.0012, c.CacheRead, 1e-15)
	assert.InDelta(t, 0.0075, c.CacheWrite, 1e-15)
	assert.InDelta(t, 0.015, c.Output, 1e-15)
	assert.InDelta(t, 0.0357, c.Total, 1e-15)
	e := CostOf(Prices["mistral-embed"], Usage{Input: 1000, Output: 50})
	assert.InDelta(t, 0.0001, e.Total, 1e-15)
}

func TestPricesConfig(t *testing.T) {
	cfg := PricesConfig()
	assert.Len(t, cfg, len(Prices))
	assert.Equal(t, map[string]any{"input": 0.1, "output": 0.0, "mode": "embedding"}, cfg["mistral-embed"])
	assert.Equal(t, PricedModels()[0], "claude-sonnet-4-5-20250929")
}

func TestCountAndCheck(t *testing.T) {
	r := Generate(DefaultOptions())
	s := r.Summary(false)
	// Nothing written yet: only the span count matches.
	err := s.Check(Count(r.Traces))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "priced spans")
}
