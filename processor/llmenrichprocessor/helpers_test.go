package llmenrichprocessor

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-mistral/otelcol-mistral/internal/genaispans"
)

// testConfig prices exactly genaispans.Prices, inline, without the built-in
// table, and writes the cost breakdown the generated expectations check.
func testConfig() *Config {
	cfg := createDefaultConfig().(*Config)
	cfg.Pricing.Builtin = false
	cfg.Pricing.Breakdown = true
	cfg.Pricing.Models = map[string]ModelPrice{}
	for name, p := range genaispans.Prices {
		m := ModelPrice{Input: p.Input, Output: p.Output}
		if p.HasCacheRead {
			m.CacheRead = ptr(p.CacheRead)
		}
		if p.HasCacheWrite {
			m.CacheWrite = ptr(p.CacheWrite)
		}
		if p.Embedding {
			m.Mode = "embedding"
		}
		cfg.Pricing.Models[name] = m
	}
	return cfg
}

func ptr[T any](v T) *T { return &v }

func newTestEnricher(t testing.TB, cfg *Config) *enricher {
	t.Helper()
	require.NoError(t, cfg.Validate())
	e, err := newEnricher(cfg)
	require.NoError(t, err)
	return e
}

func process(t testing.TB, e *enricher, td ptrace.Traces) ptrace.Traces {
	t.Helper()
	out, err := e.processTraces(context.Background(), td)
	require.NoError(t, err)
	return out
}

// findSpan returns the span with the given ids.
func findSpan(td ptrace.Traces, tid pcommon.TraceID, sid pcommon.SpanID) (ptrace.Span, bool) {
	var found ptrace.Span
	ok := false
	forEachSpan(td, func(_ pcommon.Resource, s ptrace.Span) {
		if s.TraceID() == tid && s.SpanID() == sid {
			found, ok = s, true
		}
	})
	return found, ok
}

func forEachSpan(td ptrace.Traces, f func(pcommon.Resource, ptrace.Span)) {
	rss := td.ResourceSpans()
	for i := 0; i < rss.Len(); i++ {
		sss := rss.At(i).ScopeSpans()
		for j := 0; j < sss.Len(); j++ {
			spans := sss.At(j).Spans()
			for k := 0; k < spans.Len(); k++ {
				f(rss.At(i).Resource(), spans.At(k))
			}
		}
	}
}

func str(a pcommon.Map, k string) (string, bool) {
	v, ok := a.Get(k)
	if !ok {
		return "", false
	}
	return v.AsString(), true
}

// checkExpected asserts a processed span carries exactly the enrichment the
// generator expects.
func checkExpected(t *testing.T, span ptrace.Span, x genaispans.Expected, override bool) {
	t.Helper()
	a := span.Attributes()
	name := string(x.Dialect) + "/" + x.Scenario + "/" + span.Name()
	p, _ := str(a, attrProviderName)
	assert.Equal(t, x.Provider, p, "%s: provider", name)

	if x.Priced(override) {
		assertDouble(t, a, attrUsageCost, x.Cost.Total, name)
		assertDouble(t, a, attrCostInput, x.Cost.Input, name)
		assertDouble(t, a, attrCostOutput, x.Cost.Output, name)
		if x.Usage.CacheRead > 0 {
			assertDouble(t, a, attrCostCacheRead, x.Cost.CacheRead, name)
		} else {
			assertAbsent(t, a, attrCostCacheRead, name)
		}
		if x.Usage.CacheWrite > 0 {
			assertDouble(t, a, attrCostCacheWrite, x.Cost.CacheWrite, name)
		} else {
			assertAbsent(t, a, attrCostCacheWrite, name)
		}
		m, _ := str(a, attrPriceModel)
		assert.Equal(t, x.PriceModel, m, "%s: price model", name)
		src, _ := str(a, attrPriceSource)
		assert.Equal(t, "inline", src, "%s: price source", name)
	} else {
		for _, k := range []string{attrCostInput, attrCostOutput, attrCostCacheRead, attrCostCacheWrite, attrPriceModel, attrPriceSource} {
			assertAbsent(t, a, k, name)
		}
		if !x.ExistingCost {
			assertAbsent(t, a, attrUsageCost, name)
		}
	}
	if x.PriceMissing(override) {
		v, ok := a.Get(attrPriceMissing)
		assert.True(t, ok && v.Type() == pcommon.ValueTypeBool && v.Bool(), "%s: price.missing", name)
	} else {
		assertAbsent(t, a, attrPriceMissing, name)
	}

	if !x.Error {
		for _, k := range []string{attrErrorClass, attrErrorLimit, attrErrorRetryable, attrErrorFallback} {
			assertAbsent(t, a, k, name)
		}
		return
	}
	class, _ := str(a, attrErrorClass)
	assert.Equal(t, string(x.Class), class, "%s: class", name)
	if x.Limit == "" {
		assertAbsent(t, a, attrErrorLimit, name)
	} else {
		limit, _ := str(a, attrErrorLimit)
		assert.Equal(t, string(x.Limit), limit, "%s: limit", name)
	}
	assertBool(t, a, attrErrorRetryable, x.Retryable, name)
	assertBool(t, a, attrErrorFallback, x.Fallback, name)
	mt, _ := str(a, attrMistralErrorType)
	assert.Equal(t, x.MistralType, mt, "%s: mistral_ai.error.type", name)
	mc, _ := str(a, attrMistralErrorCode)
	assert.Equal(t, x.MistralCode, mc, "%s: mistral_ai.error.code", name)
	et, _ := str(a, attrErrorType)
	assert.Equal(t, x.ErrorType, et, "%s: error.type", name)
}

func assertDouble(t *testing.T, a pcommon.Map, k string, want float64, name string) {
	t.Helper()
	v, ok := a.Get(k)
	if !assert.True(t, ok, "%s: %s missing", name, k) {
		return
	}
	require.Equal(t, pcommon.ValueTypeDouble, v.Type(), "%s: %s type", name, k)
	assert.InDelta(t, want, v.Double(), 1e-12+math.Abs(want)*1e-12, "%s: %s", name, k)
}

func assertBool(t *testing.T, a pcommon.Map, k string, want bool, name string) {
	t.Helper()
	v, ok := a.Get(k)
	if assert.True(t, ok, "%s: %s missing", name, k) {
		assert.Equal(t, pcommon.ValueTypeBool, v.Type(), "%s: %s type", name, k)
		assert.Equal(t, want, v.Bool(), "%s: %s", name, k)
	}
}

func assertAbsent(t *testing.T, a pcommon.Map, k, name string) {
	t.Helper()
	if v, ok := a.Get(k); ok {
		assert.Fail(t, "unexpected attribute", "%s: %s=%s", name, k, v.AsString())
	}
}
