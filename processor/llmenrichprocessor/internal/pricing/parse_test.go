package pricing

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	require.NoError(t, err)
	return data
}

// TestParseLiteLLMSample loads a file shaped like LiteLLM's
// model_prices_and_context_window.json, unmodified: sample_spec, rows of
// several providers with and without prefix, tiered and per-query fields,
// image, audio and OCR rows, and rows with null prices.
func TestParseLiteLLMSample(t *testing.T) {
	got, err := parseLiteLLM(readTestdata(t, "testdata/litellm_sample.json"))
	require.NoError(t, err)
	want := map[string]Price{
		"gpt-4o":                     {Input: 2.5, Output: 10, CacheRead: 1.25, HasCacheRead: true, Mode: "chat"},
		"openai/gpt-4o":              {Input: 2.5, Output: 10, CacheRead: 1.25, HasCacheRead: true, Mode: "chat"},
		"azure/gpt-4o":               {Input: 2.75, Output: 11, CacheRead: 1.375, HasCacheRead: true, Mode: "chat"},
		"openai/gpt-4o-mini":         {Input: 0.15, Output: 0.6, CacheRead: 0.075, HasCacheRead: true, Mode: "chat"},
		"azure/gpt-4o-mini":          {Input: 0.165, Output: 0.66, CacheRead: 0.083, HasCacheRead: true, Mode: "chat"},
		"text-embedding-3-small":     {Input: 0.02, Mode: modeEmbedding},
		"claude-sonnet-4-5-20250929": {Input: 3, Output: 15, CacheRead: 0.3, CacheWrite: 3.75, HasCacheRead: true, HasCacheWrite: true, Mode: "chat"},
		"anthropic/claude-3-haiku-20240307": {
			Input: 0.25, Output: 1.25, CacheRead: 0.03, CacheWrite: 0.3, HasCacheRead: true, HasCacheWrite: true, Mode: "chat",
		},
		"mistral/mistral-large-latest":                         {Input: 2, Output: 6, Mode: "chat"},
		"openrouter/mistralai/mistral-7b-instruct":             {Input: 0.13, Output: 0.13, Mode: "chat"},
		"bedrock/us-west-2/mistral.mixtral-8x7b-instruct-v0:1": {Input: 0.45, Output: 0.7, Mode: "chat"},
		"example/output-only":                                  {Output: 1, Mode: "chat"},
	}
	// Exact equality: the per-token → per-1M conversion is rounded, so
	// 1.5e-07 reads 0.15 and not 0.15000000000000002.
	assert.Equal(t, want, got)
	for _, skipped := range []string{"sample_spec", "1024-x-1024/dall-e-2", "mistral/mistral-ocr-latest", "example/null-prices", "whisper-1"} {
		assert.NotContains(t, got, skipped)
	}
}

func TestParseOpenLITSample(t *testing.T) {
	got, err := parseOpenLIT(readTestdata(t, "testdata/openlit_pricing.json"))
	require.NoError(t, err)
	// USD per 1K tokens × 1000 = USD per 1M tokens.
	want := map[string]Price{
		"text-embedding-3-small": {Input: 0.02, Mode: modeEmbedding},
		"mistral-embed":          {Input: 0.1, Mode: modeEmbedding},
		"ada":                    {Input: 0.4, Output: 0.4, Mode: "chat"}, // listed in both: the chat row is kept
		"gpt-4o":                 {Input: 5, Output: 15, Mode: "chat"},
		"mistral-small-latest":   {Input: 0.1, Output: 0.3, Mode: "chat"},
		"mistral-large-latest":   {Input: 3, Output: 9, Mode: "chat"},
		"prompt-only":            {Input: 1, Mode: "chat"},
	}
	assert.Equal(t, want, got)
}

func TestDetectFormat(t *testing.T) {
	tests := []struct {
		name, data string
		want       format
	}{
		{"litellm sample", string(readTestdata(t, "testdata/litellm_sample.json")), formatLiteLLM},
		{"built-in table", string(builtinJSON), formatLiteLLM},
		{"openlit sample", string(readTestdata(t, "testdata/openlit_pricing.json")), formatOpenLIT},
		{"openlit embeddings only", `{"embeddings":{"e":0.0001}}`, formatOpenLIT},
		{"litellm row named chat", `{"chat":{"input_cost_per_token":1e-06,"mode":"chat"}}`, formatLiteLLM},
		{"empty object", `{}`, formatLiteLLM},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := detectFormat([]byte(tt.data))
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
	_, err := detectFormat([]byte(`[1]`))
	assert.EqualError(t, err, "top level must be a JSON object, got an array")
}

func TestParseLiteLLMErrors(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"empty", "  \n", "empty file: expected a JSON object"},
		{"syntax error", "{\n  \"a\": {\n    \"input_cost_per_token\": 1e-06,,\n  }\n}",
			"invalid JSON at line 3, column 35: invalid character ',' looking for beginning of object key string"},
		{"line numbers count leading blank lines", "\n\n{\"a\": x}", "invalid JSON at line 3, column 7: invalid character 'x' looking for beginning of value"},
		{"truncated", `{"mistral/foo": {"input_cost_per_token": 1e-06`, "invalid JSON at line 1, column 46: unexpected end of JSON input"},
		{"array", `[{"input_cost_per_token": 1}]`, "top level must be a JSON object, got an array"},
		{"string", `"prices"`, "top level must be a JSON object, got a string"},
		{"null", `null`, "top level must be a JSON object, got null"},
		{"string price", `{"mistral/foo": {"input_cost_per_token": "abc"}}`,
			`entry "mistral/foo": input_cost_per_token: must be a non-negative number, got "abc"`},
		{"numeric string price", `{"mistral/foo": {"output_cost_per_token": "1e-06"}}`,
			`entry "mistral/foo": output_cost_per_token: must be a non-negative number, got "1e-06"`},
		{"negative price", `{"mistral/foo": {"input_cost_per_token": -1e-06}}`,
			`entry "mistral/foo": input_cost_per_token: must be a non-negative number, got -1e-06`},
		{"bool price", `{"x": {"input_cost_per_token": 1e-06, "cache_read_input_token_cost": true}}`,
			`entry "x": cache_read_input_token_cost: must be a non-negative number, got true`},
		{"object price", `{"x": {"cache_creation_input_token_cost": {"a": 1}, "input_cost_per_token": 1e-06}}`,
			`entry "x": cache_creation_input_token_cost: must be a non-negative number, got {"a": 1}`},
		{"out of range", `{"x": {"input_cost_per_token": 1e400}}`,
			`entry "x": input_cost_per_token: must be a non-negative number, got 1e400 (out of range)`},
		{"absurd", `{"x": {"input_cost_per_token": 2000}}`,
			`entry "x": input_cost_per_token: must be a non-negative number no larger than 1e+09 USD per 1M tokens, got 2000`},
		{"long value shortened", `{"x": {"input_cost_per_token": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}}`,
			`entry "x": input_cost_per_token: must be a non-negative number, got "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…`},
		{"prefix without model", `{"mistral/": {"input_cost_per_token": 1e-06}}`, `entry "mistral/": empty model name`},
		{"blank model", `{" ": {"input_cost_per_token": 1e-06}}`, `entry " ": empty model name`},
		{"first error in key order", `{"b": {"input_cost_per_token": -1}, "a": {"input_cost_per_token": -2}}`,
			`entry "a": input_cost_per_token: must be a non-negative number, got -2`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseLiteLLM([]byte(tt.data))
			assert.EqualError(t, err, tt.want)
			assert.Nil(t, got)
		})
	}
}

func TestParseLiteLLMTolerates(t *testing.T) {
	got, err := parseLiteLLM([]byte("\xef\xbb\xbf" + `{
		"note": "not a row",
		"list": [1, 2],
		"sample_spec": {"input_cost_per_token": "documentation, not a price"},
		"_meta": {"copied": "2026-11"},
		"free": {"input_cost_per_token": 0, "output_cost_per_token": -0, "mode": 3},
		"tiers": {"input_cost_per_token": 1e-06, "input_cost_per_token_above_128k_tokens": "ignored", "search_context_cost_per_query": {"low": 1}}
	}`))
	require.NoError(t, err)
	assert.Equal(t, map[string]Price{
		"free":  {},
		"tiers": {Input: 1},
	}, got)
}

func TestParseOpenLITErrors(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"chat not an object", `{"chat": [1]}`, "chat: must be an object, got an array"},
		{"embeddings not an object", `{"embeddings": "x"}`, "embeddings: must be an object, got a string"},
		{"chat row not an object", `{"chat": {"gpt-4": 0.03}}`,
			`chat "gpt-4": must be an object with promptPrice and completionPrice, got a number`},
		{"string prompt price", `{"chat": {"gpt-4": {"promptPrice": "abc", "completionPrice": 0.06}}}`,
			`chat "gpt-4": promptPrice: must be a non-negative number, got "abc"`},
		{"negative completion price", `{"chat": {"gpt-4": {"promptPrice": 0.03, "completionPrice": -0.06}}}`,
			`chat "gpt-4": completionPrice: must be a non-negative number, got -0.06`},
		{"string embedding price", `{"embeddings": {"ada": "0.0001"}}`,
			`embeddings "ada": must be a non-negative number, got "0.0001"`},
		{"empty model", `{"embeddings": {"": 0.0001}}`, `embeddings "": empty model name`},
		{"absurd", `{"embeddings": {"e": 1e7}}`,
			`embeddings "e": must be a non-negative number no larger than 1e+09 USD per 1M tokens, got 1e7`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseOpenLIT([]byte(tt.data))
			assert.EqualError(t, err, tt.want)
			assert.Nil(t, got)
		})
	}
}
