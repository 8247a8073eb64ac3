package bench // import "github.com/otelcol-mistral/otelcol-mistral/bench"

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/otelcol-mistral/otelcol-mistral/internal/genaispans"
)

// f formats a float as an OTTL float literal.
func f(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if strings.Contains(s, ".") {
		return s
	}
	return s + ".0"
}

// TransformStatements are the OTTL span statements that do what llm_enrich
// does on the workload, the way a user would write them: normalise the
// token counts of every dialect into the statement cache, skip wrapper
// spans and spans that already carry a cost, write the cost and its
// breakdown with one group of statements per priced model, mark unpriced
// spans, and classify failed calls by HTTP status (from the attribute or
// the status message) and error.type.
func TransformStatements() []string {
	st := []string{
		// Is it one call to a model? (not an agent, step or Vercel wrapper span)
		`set(cache["call"], true) where (attributes["gen_ai.operation.name"] != nil or attributes["gen_ai.system"] != nil or attributes["gen_ai.provider.name"] != nil or attributes["llm.request.type"] != nil or attributes["ai.model.provider"] != nil) and attributes["gen_ai.operation.name"] != "invoke_agent" and attributes["gen_ai.operation.name"] != "execute_tool" and not IsMatch(name, "^step [0-9]+$")`,
		`delete_key(cache, "call") where attributes["ai.operationId"] != nil and not IsMatch(attributes["ai.operationId"], "\\.do(Generate|Stream|Embed)$")`,

		// Provider.
		`set(attributes["gen_ai.provider.name"], "mistral_ai") where cache["call"] == true and attributes["gen_ai.provider.name"] == nil and (attributes["gen_ai.system"] == "MistralAI" or attributes["gen_ai.system"] == "mistral_ai" or attributes["gen_ai.system"] == "mistral.chat" or attributes["ai.model.provider"] == "mistral.embedding" or attributes["server.address"] == "api.mistral.ai")`,

		// Token counts of every dialect.
		`set(cache["in"], attributes["gen_ai.usage.input_tokens"]) where cache["call"] == true`,
		`set(cache["in"], attributes["gen_ai.usage.prompt_tokens"]) where cache["call"] == true and cache["in"] == nil`,
		`set(cache["in"], attributes["llm.usage.prompt_tokens"]) where cache["call"] == true and cache["in"] == nil`,
		`set(cache["in"], attributes["ai.usage.promptTokens"]) where cache["call"] == true and cache["in"] == nil`,
		`set(cache["in"], attributes["ai.usage.tokens"]) where cache["call"] == true and cache["in"] == nil`,
		`set(cache["out"], attributes["gen_ai.usage.output_tokens"]) where cache["call"] == true`,
		`set(cache["out"], attributes["gen_ai.usage.completion_tokens"]) where cache["call"] == true and cache["out"] == nil`,
		`set(cache["out"], attributes["llm.usage.completion_tokens"]) where cache["call"] == true and cache["out"] == nil`,
		`set(cache["out"], attributes["ai.usage.completionTokens"]) where cache["call"] == true and cache["out"] == nil`,
		`set(cache["cr"], attributes["gen_ai.usage.cache_read.input_tokens"]) where cache["call"] == true`,
		`set(cache["cr"], attributes["gen_ai.usage.cache_read_input_tokens"]) where cache["call"] == true and cache["cr"] == nil`,
		`set(cache["cw"], attributes["gen_ai.usage.cache_creation.input_tokens"]) where cache["call"] == true`,
		`set(cache["usage"], true) where cache["in"] != nil or cache["out"] != nil`,
		`set(cache["in"], 0) where cache["usage"] == true and cache["in"] == nil`,
		`set(cache["out"], 0) where cache["usage"] == true and cache["out"] == nil`,
		`set(cache["cr"], 0) where cache["usage"] == true and cache["cr"] == nil`,
		`set(cache["cw"], 0) where cache["usage"] == true and cache["cw"] == nil`,
		`set(cache["price"], true) where cache["usage"] == true and attributes["gen_ai.usage.cost"] == nil`,

		// Model: the concrete response model, else the request model, else ai.model.id.
		`set(cache["model"], attributes["gen_ai.response.model"]) where cache["price"] == true`,
		`set(cache["model"], attributes["gen_ai.request.model"]) where cache["price"] == true and cache["model"] == nil`,
		`set(cache["model"], attributes["ai.model.id"]) where cache["price"] == true and cache["model"] == nil`,
	}
	for _, model := range genaispans.PricedModels() {
		p := genaispans.Prices[model]
		when := fmt.Sprintf(`where cache["price"] == true and cache["model"] == %q`, model)
		if p.Embedding {
			st = append(st,
				fmt.Sprintf(`set(attributes["llm_enrich.cost.input"], Double(cache["in"]) * %s) %s`, f(p.Input/1e6), when),
				fmt.Sprintf(`set(attributes["llm_enrich.cost.output"], 0.0) %s`, when),
			)
		} else {
			read, write := p.Input, p.Input
			if p.HasCacheRead {
				read = p.CacheRead
			}
			if p.HasCacheWrite {
				write = p.CacheWrite
			}
			st = append(st,
				fmt.Sprintf(`set(attributes["llm_enrich.cost.input"], (Double(cache["in"]) - Double(cache["cr"]) - Double(cache["cw"])) * %s) %s`, f(p.Input/1e6), when),
				fmt.Sprintf(`set(attributes["llm_enrich.cost.output"], Double(cache["out"]) * %s) %s`, f(p.Output/1e6), when),
				fmt.Sprintf(`set(attributes["llm_enrich.cost.cache_read"], Double(cache["cr"]) * %s) %s and cache["cr"] > 0`, f(read/1e6), when),
				fmt.Sprintf(`set(attributes["llm_enrich.cost.cache_write"], Double(cache["cw"]) * %s) %s and cache["cw"] > 0`, f(write/1e6), when),
			)
		}
		st = append(st,
			fmt.Sprintf(`set(attributes["llm_enrich.price.model"], %q) %s`, model, when),
			fmt.Sprintf(`set(attributes["llm_enrich.price.source"], "inline") %s`, when),
		)
	}
	st = append(st,
		`set(attributes["gen_ai.usage.cost"], attributes["llm_enrich.cost.input"] + attributes["llm_enrich.cost.output"]) where cache["price"] == true and attributes["llm_enrich.price.source"] != nil`,
		`set(attributes["gen_ai.usage.cost"], attributes["gen_ai.usage.cost"] + attributes["llm_enrich.cost.cache_read"]) where cache["price"] == true and attributes["llm_enrich.cost.cache_read"] != nil`,
		`set(attributes["gen_ai.usage.cost"], attributes["gen_ai.usage.cost"] + attributes["llm_enrich.cost.cache_write"]) where cache["price"] == true and attributes["llm_enrich.cost.cache_write"] != nil`,
		`set(attributes["llm_enrich.price.missing"], true) where cache["price"] == true and attributes["llm_enrich.price.source"] == nil`,

		// Classification of failed calls: HTTP status from the attribute or
		// the status message, then error.type words.
		`set(cache["err"], true) where cache["call"] == true and (status.code == STATUS_CODE_ERROR or attributes["error.type"] != nil)`,
		`set(cache["sc"], attributes["http.response.status_code"]) where cache["err"] == true`,
		`set(cache["sc"], Int(ExtractPatterns(status.message, "(?i)(status|error code:) (?P<sc>[1-5][0-9][0-9])")["sc"])) where cache["err"] == true and cache["sc"] == nil and IsMatch(status.message, "(?i)(status|error code:) [1-5][0-9][0-9]")`,
		`set(cache["sc"], Int(ExtractPatterns(status.message, "^(?P<sc>[1-5][0-9][0-9]) status code")["sc"])) where cache["err"] == true and cache["sc"] == nil and IsMatch(status.message, "^[1-5][0-9][0-9] status code")`,
		`set(attributes["llm_enrich.error.class"], "rate_limit") where cache["err"] == true and cache["sc"] == 429`,
		`set(attributes["llm_enrich.error.class"], "provider_capacity") where cache["err"] == true and cache["sc"] == 503`,
		`set(attributes["llm_enrich.error.class"], "timeout") where cache["err"] == true and (cache["sc"] == 408 or cache["sc"] == 504)`,
		`set(attributes["llm_enrich.error.class"], "server_error") where cache["err"] == true and attributes["llm_enrich.error.class"] == nil and cache["sc"] != nil and cache["sc"] >= 500`,
		`set(attributes["llm_enrich.error.class"], "authentication") where cache["err"] == true and cache["sc"] == 401`,
		`set(attributes["llm_enrich.error.class"], "permission") where cache["err"] == true and cache["sc"] == 403`,
		`set(attributes["llm_enrich.error.class"], "model_not_found") where cache["err"] == true and cache["sc"] == 404`,
		`set(attributes["llm_enrich.error.class"], "invalid_request") where cache["err"] == true and (cache["sc"] == 400 or cache["sc"] == 422)`,
		`set(attributes["llm_enrich.error.class"], "rate_limit") where cache["err"] == true and attributes["llm_enrich.error.class"] == nil and IsMatch(attributes["error.type"], "(?i)rate.?limit")`,
		`set(attributes["llm_enrich.error.class"], "timeout") where cache["err"] == true and attributes["llm_enrich.error.class"] == nil and (IsMatch(attributes["error.type"], "(?i)timeout") or IsMatch(status.message, "(?i)timed? ?out"))`,
		`set(attributes["llm_enrich.error.class"], "transport") where cache["err"] == true and attributes["llm_enrich.error.class"] == nil and (IsMatch(attributes["error.type"], "(?i)connect|reset|protocol") or IsMatch(status.message, "(?i)connect|reset"))`,
		`set(attributes["llm_enrich.error.class"], "other") where cache["err"] == true and attributes["llm_enrich.error.class"] == nil`,
		`set(attributes["llm_enrich.error.retryable"], IsMatch(attributes["llm_enrich.error.class"], "^(rate_limit|provider_capacity|server_error|timeout|transport)$")) where cache["err"] == true`,
		`set(attributes["llm_enrich.error.fallback"], IsMatch(attributes["llm_enrich.error.class"], "^(rate_limit|quota_exhausted|provider_capacity|server_error|timeout|transport)$")) where cache["err"] == true`,
		`set(attributes["error.type"], attributes["llm_enrich.error.class"]) where cache["err"] == true and attributes["error.type"] == nil`,
	)
	return st
}

// TransformConfig is the transform processor's configuration, as a map to
// unmarshal into its Config.
func TransformConfig() map[string]any {
	st := TransformStatements()
	anyst := make([]any, len(st))
	for i, s := range st {
		anyst[i] = s
	}
	return map[string]any{
		"error_mode": "ignore",
		"trace_statements": []any{
			map[string]any{"context": "span", "statements": anyst},
		},
	}
}

// LLMEnrichConfig is the llm_enrich configuration of the comparison: the
// built-in table with the workload's prices inline on top.
func LLMEnrichConfig() map[string]any {
	return map[string]any{
		"pricing": map[string]any{"builtin": true, "models": genaispans.PricesConfig()},
	}
}
