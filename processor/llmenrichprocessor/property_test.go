package llmenrichprocessor

import (
	"math"
	"math/rand"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// keyVocabulary are the keys random spans are built from: every key the
// processor reads or writes, and some it must leave alone.
var keyVocabulary = append(readKeys[:len(readKeys):len(readKeys)],
	attrCostInput, "http.response.header.x-ratelimit-limit-req-minute", "http.response.header.x-ratelimit-remaining-tokens-month",
	"http.response.header.retry-after", "http.request.method", "db.system.name", "url.full", "gen_ai.prompt.0.content",
	"ai.settings.maxRetries", "llm.is_streaming", "gen_ai.usage.reasoning.output_tokens", "a", "",
)

var stringVocabulary = []string{
	"", "mistral_ai", "MistralAI", "mistral.chat", "openai", "anthropic", "chat", "embeddings", "invoke_agent", "execute_tool",
	"mistral-small-latest", "mistral-small-2506", "mistral/mistral-large-2512", "claude-sonnet-4-5-20250929", "unknown-model",
	"api.mistral.ai", "api.mistral.ai:443", "ai.generateText", "ai.generateText.doGenerate", "1300", "rate_limited",
	"429", "0", "12", "-3", "NaN", "1e400", "12.5", " 42 ", "garbage", "Mon, 02 Nov 2026 10:00:00 GMT",
	"API error occurred: Status 429 Content-Type application/json Body " + body1300,
	"API error occurred: Status 503. Body: " + bodyCapacity, `{"detail":"Unauthorized"}`, "429 status code (no body)",
	"LLM", "EMBEDDING", "CHAIN", "mistralai", "google", "gcp.vertex_ai", "aws.bedrock", `{"model": "mistral-small-latest", "max_tokens": 16}`,
	`{"ls_provider":"mistral"}`, "0.0049", "API error occurred: Status 429. Body: " + body1300 + "\n\nSDKError: x\n    at f (a.js:1:1)",
}

var nameVocabulary = []string{"chat mistral-small-latest", "mistralai.chat", "ai.generateText.doGenerate", "ai.generateText", "step 1", "GET /", "invoke_agent", ""}

// randomValue is a value of a random type, often a troublesome one.
func randomValue(r *rand.Rand, v pcommon.Value) {
	switch r.Intn(9) {
	case 0, 1:
		v.SetStr(stringVocabulary[r.Intn(len(stringVocabulary))])
	case 2:
		v.SetInt([]int64{0, 1, 42, 429, 503, -1, math.MaxInt64, math.MinInt64, 1 << 41}[r.Intn(9)])
	case 3:
		v.SetDouble([]float64{0, 1.5, 1000, -2, math.NaN(), math.Inf(1), math.Inf(-1), 1e300, 429}[r.Intn(9)])
	case 4:
		v.SetBool(r.Intn(2) == 0)
	case 5:
		s := v.SetEmptySlice()
		for i := r.Intn(3); i > 0; i-- {
			randomValue(r, s.AppendEmpty())
		}
	case 6:
		v.SetEmptyMap().PutStr("k", "v")
	case 7:
		v.SetEmptyBytes().FromRaw([]byte{0, 1, 2})
	default:
		v.SetInt(int64(r.Intn(5000)))
	}
}

func randomSpan(r *rand.Rand, s ptrace.Span, traceIDs []pcommon.TraceID, spanIDs []pcommon.SpanID) {
	s.SetName(nameVocabulary[r.Intn(len(nameVocabulary))])
	s.SetTraceID(traceIDs[r.Intn(len(traceIDs))])
	s.SetSpanID(spanIDs[r.Intn(len(spanIDs))])
	if r.Intn(2) == 0 {
		s.SetParentSpanID(spanIDs[r.Intn(len(spanIDs))])
	}
	s.SetEndTimestamp(pcommon.Timestamp(r.Int63()))
	a := s.Attributes()
	for i := r.Intn(12); i > 0; i-- {
		randomValue(r, a.PutEmpty(keyVocabulary[r.Intn(len(keyVocabulary))]))
	}
	s.Status().SetCode(ptrace.StatusCode(r.Intn(3)))
	if r.Intn(3) == 0 {
		s.Status().SetMessage(stringVocabulary[r.Intn(len(stringVocabulary))])
	}
	for i := r.Intn(3); i > 0; i-- {
		ev := s.Events().AppendEmpty()
		ev.SetName([]string{"exception", "exception", "log"}[r.Intn(3)])
		if r.Intn(4) > 0 {
			randomValue(r, ev.Attributes().PutEmpty(keyExceptionMessage))
		}
		if r.Intn(2) == 0 {
			randomValue(r, ev.Attributes().PutEmpty(keyExceptionType))
		}
	}
}

func randomTraces(r *rand.Rand, spans int) ptrace.Traces {
	td := ptrace.NewTraces()
	traceIDs := []pcommon.TraceID{{1}, {2}, {3}}
	spanIDs := make([]pcommon.SpanID, 8)
	for i := range spanIDs {
		spanIDs[i] = pcommon.SpanID{byte(i + 1), byte(r.Intn(256))}
	}
	for n := 0; n < spans; {
		rs := td.ResourceSpans().AppendEmpty()
		if r.Intn(3) == 0 {
			rs.Resource().Attributes().PutStr("telemetry.sdk.name", "openlit")
		}
		if r.Intn(5) == 0 {
			rs.Resource().Attributes().PutStr(attrWorkspace, "res")
		}
		for j := 1 + r.Intn(3); j > 0 && n < spans; j-- {
			ss := rs.ScopeSpans().AppendEmpty()
			for k := 1 + r.Intn(10); k > 0 && n < spans; k-- {
				randomSpan(r, ss.Spans().AppendEmpty(), traceIDs, spanIDs)
				n++
			}
		}
	}
	return td
}

// writable are the keys the processor may change when they already exist:
// its own namespace (recomputed on every pass).
func writable(k string, override bool) bool {
	return strings.HasPrefix(k, "llm_enrich.") || (override && k == attrUsageCost)
}

// checkOnlyAdded asserts that out is in plus this processor's attributes:
// same resources, scopes, spans in the same order with the same ids, names,
// status and events; every input attribute kept (but the processor's own
// namespace); every new key one of writtenAttributes; costs finite and ≥ 0.
func checkOnlyAdded(t *testing.T, in, out ptrace.Traces, override bool) {
	t.Helper()
	require.Equal(t, in.ResourceSpans().Len(), out.ResourceSpans().Len())
	allowed := map[string]bool{}
	for _, k := range writtenAttributes {
		allowed[k] = true
	}
	for i := 0; i < in.ResourceSpans().Len(); i++ {
		ri, ro := in.ResourceSpans().At(i), out.ResourceSpans().At(i)
		require.Equal(t, ri.Resource().Attributes().AsRaw(), ro.Resource().Attributes().AsRaw())
		require.Equal(t, ri.ScopeSpans().Len(), ro.ScopeSpans().Len())
		for j := 0; j < ri.ScopeSpans().Len(); j++ {
			si, so := ri.ScopeSpans().At(j).Spans(), ro.ScopeSpans().At(j).Spans()
			require.Equal(t, si.Len(), so.Len())
			for k := 0; k < si.Len(); k++ {
				a, b := si.At(k), so.At(k)
				require.Equal(t, a.SpanID(), b.SpanID())
				require.Equal(t, a.TraceID(), b.TraceID())
				require.Equal(t, a.ParentSpanID(), b.ParentSpanID())
				require.Equal(t, a.Name(), b.Name())
				require.Equal(t, a.Status().Code(), b.Status().Code())
				require.Equal(t, a.Status().Message(), b.Status().Message())
				require.Equal(t, a.Events().Len(), b.Events().Len())
				before, after := a.Attributes().AsRaw(), b.Attributes().AsRaw()
				for key, v := range before {
					if writable(key, override) {
						continue
					}
					w, ok := after[key]
					require.True(t, ok, "attribute %q removed", key)
					require.True(t, equalAny(v, w), "attribute %q changed: %v → %v", key, v, w)
				}
				for key, v := range after {
					if _, ok := before[key]; ok {
						continue
					}
					require.True(t, allowed[key], "foreign attribute %q added", key)
					if f, isF := v.(float64); isF {
						assert.True(t, f >= 0 && !math.IsInf(f, 0), "%s = %v", key, f)
					}
				}
			}
		}
	}
}

func TestPropertyOnlyOwnAttributesAdded(t *testing.T) {
	for _, override := range []bool{false, true} {
		cfg := testConfig()
		cfg.Pricing.Builtin = true
		cfg.Workspace = "ws"
		cfg.Pricing.OverrideExistingCost = override
		e := newTestEnricher(t, cfg)
		r := rand.New(rand.NewSource(7))
		for iter := 0; iter < 200; iter++ {
			td := randomTraces(r, 1+r.Intn(40))
			in := ptrace.NewTraces()
			td.CopyTo(in)
			out := process(t, e, td)
			checkOnlyAdded(t, in, out, override)

			// A second pass changes nothing more: enrichment is idempotent.
			again := ptrace.NewTraces()
			out.CopyTo(again)
			again = process(t, e, again)
			checkOnlyAdded(t, out, again, false)
			if t.Failed() {
				t.Fatalf("iteration %d", iter)
			}
		}
	}
}
