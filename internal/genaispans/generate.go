package genaispans // import "github.com/otelcol-mistral/otelcol-mistral/internal/genaispans"

import (
	"math"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
)

// Dialect names the way an instrumentation writes LLM spans.
type Dialect string

// The dialects; see the package documentation.
const (
	Semconv           Dialect = "semconv"
	SemconvDeprecated Dialect = "semconv_deprecated"
	OpenLLMetry       Dialect = "openllmetry"
	OpenLIT           Dialect = "openlit"
	VercelLegacy      Dialect = "vercel_legacy"
	VercelV7          Dialect = "vercel_v7"
	MistralSDK        Dialect = "mistral_sdk"
	OpenAIOnMistral   Dialect = "openai_on_mistral"
	Anthropic         Dialect = "anthropic"
)

// Dialects lists every dialect.
var Dialects = []Dialect{
	Semconv, SemconvDeprecated, OpenLLMetry, OpenLIT, VercelLegacy, VercelV7, MistralSDK, OpenAIOnMistral, Anthropic,
}

// Options shape a generated batch. Start from DefaultOptions.
type Options struct {
	// Spans is the exact number of spans in the batch.
	Spans int
	// LLMFraction is the share of spans that are LLM call spans (the spans
	// the processor enriches). Wrapper spans (agent, step, ai.generateText),
	// child HTTP client spans and the HTTP server spans around the calls
	// count as the other spans; when the other spans do not leave room for
	// them, calls are generated without them.
	LLMFraction float64
	// ErrorFraction is the share of LLM call spans that failed (rounded).
	ErrorFraction float64
	// UnpricedFraction is the share of successful Mistral calls that name
	// UnpricedModel.
	UnpricedFraction float64
	// EmbeddingFraction is the share of calls that are embeddings, in the
	// dialects that have embedding spans.
	EmbeddingFraction float64
	// Seed makes the batch reproducible: the same options give the same batch.
	Seed int64
	// Dialects to draw from; nil means all.
	Dialects []Dialect
	// Scenarios to draw failures from; nil means all.
	Scenarios []Scenario
	// Start is the start time of the first span; zero means 2026-11-02T10:00:00Z.
	Start time.Time
}

// DefaultOptions is the benchmark workload: 1000 spans, 30 % LLM call
// spans in every dialect, 10 % of them failed.
func DefaultOptions() Options {
	return Options{Spans: 1000, LLMFraction: 0.3, ErrorFraction: 0.1, UnpricedFraction: 0.05, EmbeddingFraction: 0.1, Seed: 1}
}

// refTime is the default start time.
var refTime = time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)

// Expected is what a correct enrichment writes on one LLM call span, with
// the processor configured with Prices (PricesConfig) as inline prices and
// classification on.
type Expected struct {
	TraceID pcommon.TraceID
	SpanID  pcommon.SpanID
	Dialect Dialect
	// Scenario is the failure scenario's name, "" for a successful call.
	Scenario string
	// Provider is gen_ai.provider.name after processing; WritesProvider is
	// true when the span lacked it.
	Provider       string
	WritesProvider bool
	// Usage is the span's token usage (HasUsage false when it has none).
	Usage    Usage
	HasUsage bool
	// PriceModel is the Prices row the span is priced with, "" when its
	// model has no price or it has no usage.
	PriceModel string
	// Cost is the cost under Prices (zero unless PriceModel is set).
	Cost Cost
	// ExistingCost is true when the span carries its own gen_ai.usage.cost
	// (OpenLIT), which the processor keeps unless override_existing_cost;
	// OwnCost is that cost.
	ExistingCost bool
	OwnCost      float64
	// Error is true for a failed call; Class, Limit and the rest are the
	// verdict on the evidence the span (and its child HTTP span) carries.
	Error                    bool
	Class                    mistralapi.Class
	Limit                    mistralapi.Limit
	Retryable, Fallback      bool
	MistralType, MistralCode string // mistral_ai.error.type/code after processing
	ErrorType                string // error.type after processing
}

// Priced reports whether the processor writes a cost on the span.
func (e Expected) Priced(override bool) bool {
	return e.PriceModel != "" && (!e.ExistingCost || override)
}

// PriceMissing reports whether the processor marks the span llm_enrich.price.missing.
func (e Expected) PriceMissing(override bool) bool {
	return e.HasUsage && e.PriceModel == "" && (!e.ExistingCost || override)
}

// Result is a generated batch and the expected enrichment of its LLM call
// spans, in the order they appear in the batch.
type Result struct {
	Traces   ptrace.Traces
	Expected []Expected
}

// Summary counts what the processor should do to a batch.
type Summary struct {
	Spans, Calls, PriceMissing, Errors int
	Classes                            map[mistralapi.Class]int
	// Priced counts the spans that carry a gen_ai.usage.cost after
	// processing (written by the processor, or their own kept), Cost sums
	// it; OwnCostSpans and OwnCost are the spans' own costs, what a batch
	// the processor did not touch carries.
	Priced, OwnCostSpans int
	Cost, OwnCost        float64
}

// Untouched is what a batch carries when no processor enriched it.
func (s Summary) Untouched() Summary {
	return Summary{Spans: s.Spans, Calls: s.Calls, Priced: s.OwnCostSpans, Cost: s.OwnCost,
		OwnCostSpans: s.OwnCostSpans, OwnCost: s.OwnCost}
}

// Summary counts the expected enrichment, for a processor whose
// override_existing_cost is override.
func (r Result) Summary(override bool) Summary {
	s := Summary{Spans: r.Traces.SpanCount(), Calls: len(r.Expected), Classes: map[mistralapi.Class]int{}}
	for _, e := range r.Expected {
		switch {
		case e.Priced(override):
			s.Priced++
			s.Cost += e.Cost.Total
		case e.ExistingCost:
			s.Priced++
			s.Cost += e.OwnCost
		}
		if e.ExistingCost {
			s.OwnCostSpans++
			s.OwnCost += e.OwnCost
		}
		if e.PriceMissing(override) {
			s.PriceMissing++
		}
		if e.Error {
			s.Errors++
			s.Classes[e.Class]++
		}
	}
	return s
}

// Batch generates a batch.
func Batch(o Options) ptrace.Traces { return Generate(o).Traces }

// Generate generates a batch and its expected enrichment.
func Generate(o Options) Result {
	b := newBuilder(o.Seed, o.Start)
	dialects := o.Dialects
	if len(dialects) == 0 {
		dialects = Dialects
	}
	scenarios := o.Scenarios
	if len(scenarios) == 0 {
		scenarios = Scenarios
	}
	total := max(o.Spans, 0)
	calls := min(int(math.Round(float64(total)*clamp01(o.LLMFraction))), total)
	errs := int(math.Round(float64(calls) * clamp01(o.ErrorFraction)))
	failed := make([]bool, calls)
	for _, i := range b.rng.Perm(calls)[:errs] {
		failed[i] = true
	}

	// Plan the calls, granting extra spans while the budget lasts.
	budget := total - calls
	var groups []group
	for i := 0; i < calls; i++ {
		c := Call{Dialect: dialects[b.rng.Intn(len(dialects))]}
		if failed[i] {
			sc := scenarios[b.rng.Intn(len(scenarios))]
			c.Scenario = &sc
		} else if b.rng.Float64() < o.UnpricedFraction {
			c.Unpriced = true
		}
		c.Embedding = b.rng.Float64() < o.EmbeddingFraction
		p := b.plan(c)
		want := p.extrasWanted()
		switch {
		case budget >= want+1:
			p.root, p.extras = true, true
			budget -= want + 1
		case budget >= want:
			p.extras = true
			budget -= want
		}
		groups = append(groups, group{call: p})
	}
	// The rest are ordinary spans, in traces of one to three spans.
	for budget > 0 {
		n := min(1+b.rng.Intn(3), budget)
		groups = append(groups, group{plain: n})
		budget -= n
	}
	b.rng.Shuffle(len(groups), func(i, j int) { groups[i], groups[j] = groups[j], groups[i] })
	for _, g := range groups {
		if g.call != nil {
			b.emitCall(g.call)
		} else {
			b.emitPlain(g.plain)
		}
	}
	return Result{Traces: b.td, Expected: b.exp}
}

type group struct {
	call  *plannedCall
	plain int
}

func clamp01(f float64) float64 {
	if !(f > 0) {
		return 0
	}
	return min(f, 1)
}

// Call describes one LLM call for Single.
type Call struct {
	Dialect Dialect
	// Scenario is the failure, nil for a successful call.
	Scenario *Scenario
	// Embedding makes an embeddings call (in the dialects that have them).
	Embedding bool
	// Unpriced makes the call name UnpricedModel.
	Unpriced bool
	// Usage overrides the generated token usage of a successful call.
	Usage *Usage
	// NoExtras leaves out the wrapper and child HTTP spans of the dialect.
	NoExtras bool
	// Root adds an HTTP server span as the trace's root.
	Root bool
	// Seed makes ids and generated values reproducible (0 is a valid seed).
	Seed int64
}

// Single builds one trace holding one LLM call, with its dialect's wrapper
// and child spans unless NoExtras.
func Single(c Call) Result {
	b := newBuilder(c.Seed, time.Time{})
	p := b.plan(c)
	p.extras, p.root = !c.NoExtras, c.Root
	if c.Usage != nil && c.Scenario == nil {
		p.usage = *c.Usage
	}
	b.emitCall(p)
	return Result{Traces: b.td, Expected: b.exp}
}
