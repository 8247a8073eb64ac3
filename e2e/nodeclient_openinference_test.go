//go:build e2e

package e2e

import (
	"fmt"
	"math"
	"testing"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// TestNodeClientOpenInference runs LangChain's ChatMistralAI traced by
// OpenInference's LangChain instrumentation (e2e/node-client/openinference.mjs,
// pinned by package-lock.json) against the fake La Plateforme answering every
// third request with a 429 (code 1300). Its spans speak OpenInference only
// (openinference.span.kind, llm.model_name, llm.invocation_parameters,
// llm.token_count.*); out of the distribution, with llm_enrich's default
// configuration, the successes carry gen_ai.usage.cost = tokens × the built-in
// price and the provider, and the 429s the full classification.
func TestNodeClientOpenInference(t *testing.T) {
	const chats = 6
	run := runNodeE2E(t, "openinference.mjs", "", fmt.Sprintf("NODE_CLIENT_CHATS=%d", chats))
	summary, tracesFile := run.summary, run.tracesFile
	// Requests 3 and 6 get the 429.
	if summary.OK != 4 || len(summary.Errors) != 2 {
		t.Fatalf("openinference client: %+v, want 4 calls ok, 2 errors", summary)
	}

	spans, resources := awaitSpans(t, tracesFile, llmSpans, chats)
	var limited, priced int
	for _, s := range spans {
		a := s.Attributes()
		str := func(k string) string {
			if v, ok := a.Get(k); ok {
				return v.AsString()
			}
			return ""
		}
		if str("openinference.span.kind") != "LLM" {
			continue
		}
		// LangChain's OpenInference spans name no provider but in their metadata (ls_provider).
		if got := str("gen_ai.provider.name"); got != "mistral_ai" {
			t.Errorf("span %q: gen_ai.provider.name = %q, want mistral_ai (%v)", s.Name(), got, a.AsRaw())
		}
		if s.Status().Code() == ptrace.StatusCodeError {
			limited++
			for k, want := range map[string]string{"llm_enrich.error.class": "rate_limit", "llm_enrich.error.retryable": "true",
				"llm_enrich.error.fallback": "true", "mistral_ai.error.code": "1300"} {
				if got := str(k); got != want {
					t.Errorf("failed call: %s = %q, want %q", k, got, want)
				}
			}
			if _, ok := a.Get("gen_ai.usage.cost"); ok {
				t.Error("failed call has a cost")
			}
			continue
		}
		in, _ := a.Get("llm.token_count.prompt")
		out, _ := a.Get("llm.token_count.completion")
		if in.Int() <= 0 || out.Int() <= 0 {
			t.Errorf("span without token counts: %v", a.AsRaw())
			continue
		}
		want := float64(in.Int())*nodeInputUSDPerToken + float64(out.Int())*nodeOutputUSDPerTok
		cost, ok := a.Get("gen_ai.usage.cost")
		if !ok || cost.Type() != pcommon.ValueTypeDouble || math.Abs(cost.Double()-want) > 1e-12 {
			t.Errorf("gen_ai.usage.cost = %v for %d input and %d output tokens, want %.10g", cost.AsRaw(), in.Int(), out.Int(), want)
		}
		if _, ok := a.Get("llm_enrich.price.missing"); ok {
			t.Error("priced span marked price.missing")
		}
		priced++
	}
	if limited != 2 || priced != 4 {
		t.Errorf("%d failed and %d priced LLM spans, want 2 and 4", limited, priced)
	}
	assertNoSecret(t, "test-key", spans, resources)
}

func llmSpans(spans []ptrace.Span) int {
	n := 0
	for _, s := range spans {
		if v, ok := s.Attributes().Get("openinference.span.kind"); ok && v.Str() == "LLM" {
			n++
		}
	}
	return n
}
