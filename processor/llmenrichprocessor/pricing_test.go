package llmenrichprocessor

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// call1k is a successful chat call of 1000 input and 1000 output tokens.
func call1k(resp, req string) map[string]any {
	m := map[string]any{"gen_ai.provider.name": "mistral_ai", "gen_ai.operation.name": "chat",
		"gen_ai.usage.input_tokens": 1000, "gen_ai.usage.output_tokens": 1000}
	if resp != "" {
		m["gen_ai.response.model"] = resp
	}
	if req != "" {
		m["gen_ai.request.model"] = req
	}
	return m
}

func TestPricePrecedence(t *testing.T) {
	litellm, openlit := "testdata/prices_litellm.json", "testdata/prices_openlit.json"
	tests := []struct {
		name      string
		pricing   PricingConfig
		attrs     map[string]any
		cost      float64 // USD; 0 with missing or unpriced
		model     string
		source    string
		missing   bool
		unchanged bool // no pricing attribute at all
	}{
		{name: "built-in table", pricing: PricingConfig{Builtin: true},
			attrs: call1k("mistral-large-2512", "mistral-large-latest"), cost: 0.0005 + 0.0015, model: "mistral-large-2512", source: "builtin"},
		{name: "a file beats the built-in table", pricing: PricingConfig{Builtin: true, Files: []string{litellm}},
			attrs: call1k("mistral-large-2512", ""), cost: 0.001 + 0.003, model: "mistral-large-2512", source: "file"},
		{name: "a later file beats an earlier one (OpenLIT per 1K)", pricing: PricingConfig{Files: []string{litellm, openlit}},
			attrs: call1k("mistral-small-2506", ""), cost: 0.0003 + 0.0009, model: "mistral-small-2506", source: "file"},
		{name: "inline beats files", pricing: PricingConfig{Files: []string{litellm, openlit},
			Models: map[string]ModelPrice{"mistral-small-2506": {Input: 1, Output: 2}}},
			attrs: call1k("mistral-small-2506", ""), cost: 0.001 + 0.002, model: "mistral-small-2506", source: "inline"},
		{name: "response model before request model", pricing: PricingConfig{Models: map[string]ModelPrice{
			"mistral-small-2506": {Input: 1, Output: 1}, "mistral-small-latest": {Input: 9, Output: 9}}},
			attrs: call1k("mistral-small-2506", "mistral-small-latest"), cost: 0.002, model: "mistral-small-2506", source: "inline"},
		{name: "request model when the response model has no price", pricing: PricingConfig{Models: map[string]ModelPrice{
			"mistral-small-latest": {Input: 9, Output: 9}}},
			attrs: call1k("mistral-small-2599", "mistral-small-latest"), cost: 0.018, model: "mistral-small-latest", source: "inline"},
		{name: "provider prefix stripped, case folded", pricing: PricingConfig{Models: map[string]ModelPrice{"mistral-small-2506": {Input: 1, Output: 1}}},
			attrs: call1k("mistral/Mistral-Small-2506", ""), cost: 0.002, model: "mistral-small-2506", source: "inline"},
		{name: "user alias", pricing: PricingConfig{Models: map[string]ModelPrice{"mistral-small-2506": {Input: 1, Output: 1}},
			Aliases: map[string]string{"my-small": "mistral-small-2506"}},
			attrs: call1k("", "my-small"), cost: 0.002, model: "mistral-small-2506", source: "inline"},
		{name: "Vercel ai.model.id", pricing: PricingConfig{Models: map[string]ModelPrice{"mistral-small-2506": {Input: 1, Output: 1}}},
			attrs: map[string]any{"ai.operationId": "ai.generateText.doGenerate", "ai.model.id": "mistral-small-2506", "ai.model.provider": "mistral.chat",
				"ai.usage.promptTokens": 1000, "ai.usage.completionTokens": 1000}, cost: 0.002, model: "mistral-small-2506", source: "inline"},
		{name: "embeddings priced on input", pricing: PricingConfig{Files: []string{openlit}},
			attrs: map[string]any{"gen_ai.provider.name": "mistral_ai", "gen_ai.operation.name": "embeddings", "gen_ai.request.model": "mistral-embed",
				"gen_ai.usage.input_tokens": 1000}, cost: 0.0001, model: "mistral-embed", source: "file"},
		{name: "a user price for the alias beats the built-in price of the model it points to", pricing: PricingConfig{Builtin: true,
			Models: map[string]ModelPrice{"mistral-large-latest": {Input: 9, Output: 9}}},
			attrs: call1k("mistral-large-2512", "mistral-large-latest"), cost: 0.018, model: "mistral-large-latest", source: "inline"},
		{name: "a user file price for the alias the API echoed beats the built-in row", pricing: PricingConfig{Builtin: true, Files: []string{openlit}},
			attrs: call1k("mistral-small-2506", "mistral-small-2506"), cost: 0.0003 + 0.0009, model: "mistral-small-2506", source: "file"},
		{name: "a Mistral model served by another provider: no La Plateforme price", pricing: PricingConfig{Builtin: true},
			attrs: merge(call1k("mistral-large-2512", ""), map[string]any{"gen_ai.provider.name": "aws.bedrock"}), missing: true},
		{name: "a Mistral model served by another provider, priced by the user", pricing: PricingConfig{Builtin: true,
			Models: map[string]ModelPrice{"mistral-large-2512": {Input: 3, Output: 3}}},
			attrs: merge(call1k("mistral-large-2512", ""), map[string]any{"gen_ai.provider.name": "azure.ai.inference"}), cost: 0.006, model: "mistral-large-2512", source: "inline"},
		{name: "an API shape is not a provider: llm.system openai alone keeps the built-in table", pricing: PricingConfig{Builtin: true},
			attrs: map[string]any{"openinference.span.kind": "LLM", "llm.system": "openai", "llm.model_name": "mistral-large-2512",
				"llm.token_count.prompt": 1000, "llm.token_count.completion": 1000}, cost: 0.0005 + 0.0015, model: "mistral-large-2512", source: "builtin"},
		{name: "unknown model: marker", pricing: PricingConfig{Builtin: true}, attrs: call1k("my-own-model", ""), missing: true},
		{name: "no model at all: marker", pricing: PricingConfig{Builtin: true}, attrs: call1k("", ""), missing: true},
		{name: "no price source configured: nothing", pricing: PricingConfig{}, attrs: call1k("mistral-large-2512", ""), unchanged: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := createDefaultConfig().(*Config)
			cfg.Pricing = tt.pricing
			cfg.Pricing.Breakdown = true
			e := newTestEnricher(t, cfg)
			td := buildTraces(nil, testSpan{name: "chat", attrs: tt.attrs})
			before := firstSpan(td).Attributes().AsRaw()
			process(t, e, td)
			a := firstSpan(td).Attributes()
			if tt.unchanged {
				assert.Equal(t, before, a.AsRaw())
				return
			}
			if tt.missing {
				assert.Equal(t, map[string]any{"llm_enrich.price.missing": true}, added(before, a.AsRaw()))
				return
			}
			assertDouble(t, a, attrUsageCost, tt.cost, tt.name)
			m, _ := str(a, attrPriceModel)
			s, _ := str(a, attrPriceSource)
			assert.Equal(t, tt.model, m)
			assert.Equal(t, tt.source, s)
		})
	}
}

func TestExistingCost(t *testing.T) {
	attrs := merge(call1k("mistral-small-2506", ""), map[string]any{"gen_ai.usage.cost": 0.5})
	for _, override := range []bool{false, true} {
		cfg := testConfig()
		cfg.Pricing.OverrideExistingCost = override
		td := buildTraces(nil, testSpan{name: "chat", attrs: attrs})
		process(t, newTestEnricher(t, cfg), td)
		a := firstSpan(td).Attributes()
		if override {
			assertDouble(t, a, attrUsageCost, 0.0001+0.0003, "override")
			assertDouble(t, a, attrCostInput, 0.0001, "override")
		} else {
			assertDouble(t, a, attrUsageCost, 0.5, "kept")
			_, ok := a.Get(attrCostInput)
			assert.False(t, ok, "no breakdown next to a kept cost")
		}
	}
}

func TestCacheBreakdown(t *testing.T) {
	cfg := testConfig()
	td := buildTraces(nil, testSpan{name: "chat claude", attrs: map[string]any{
		"gen_ai.provider.name": "anthropic", "gen_ai.operation.name": "chat", "gen_ai.response.model": "claude-sonnet-4-5-20250929",
		"gen_ai.usage.input_tokens": 10000, "gen_ai.usage.cache_read.input_tokens": 4000,
		"gen_ai.usage.cache_creation.input_tokens": 2000, "gen_ai.usage.output_tokens": 1000,
	}})
	process(t, newTestEnricher(t, cfg), td)
	a := firstSpan(td).Attributes()
	// 4000 uncached × 3 + 4000 read × 0.3 + 2000 written × 3.75 + 1000 out × 15, per 1M.
	assertDouble(t, a, attrCostInput, 0.012, "input")
	assertDouble(t, a, attrCostCacheRead, 0.0012, "cache_read")
	assertDouble(t, a, attrCostCacheWrite, 0.0075, "cache_write")
	assertDouble(t, a, attrCostOutput, 0.015, "output")
	assertDouble(t, a, attrUsageCost, 0.012+0.0012+0.0075+0.015, "total")
}

func TestBadPriceFileFailsCreation(t *testing.T) {
	for _, tt := range []struct {
		files []string
		want  []string
	}{
		{[]string{"testdata/prices_litellm.json", "testdata/prices_bad.json"}, []string{"pricing.files[1]", "prices_bad.json", "mistral/broken-model", "input_cost_per_token"}},
		{[]string{"testdata/does-not-exist.json"}, []string{"pricing.files[0]", "does-not-exist.json"}},
	} {
		cfg := createDefaultConfig().(*Config)
		cfg.Pricing.Files = tt.files
		_, err := newEnricher(cfg)
		require.Error(t, err)
		for _, w := range tt.want {
			assert.Contains(t, err.Error(), w)
		}
	}
}
