package llmenrichprocessor

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// Token counts in every shape: usable ones are priced, anything else gives
// no cost at all (never a partial or made-up one).
func TestTokenValues(t *testing.T) {
	const price = 1.0 // USD per 1M, input and output
	tests := []struct {
		name   string
		input  any // nil: absent
		output any
		cost   float64 // -1: no cost attributes
	}{
		{"ints", 1000, 500, 0.0015},
		{"numeric strings", "1000", " 500 ", 0.0015},
		{"whole doubles", 1000.0, 500.0, 0.0015},
		{"string of a whole double", "1000.0", "5e2", 0.0015},
		{"explicit zeros: a call that cost nothing", 0, 0, 0},
		{"input only (embeddings-like)", 1000, nil, 0.001},
		{"output only", nil, 500, 0.0005},
		{"negative", -5, 500, -1},
		{"fractional double", 1000.5, 500, -1},
		{"NaN", math.NaN(), 500, -1},
		{"infinite", math.Inf(1), 500, -1},
		{"huge", int64(1) << 60, 500, -1},
		{"huge double", 1e300, 500, -1},
		{"garbage string", "lots", 500, -1},
		{"empty string", "", 500, -1},
		{"negative string", "-1", 500, -1},
		{"bool", true, 500, -1},
		{"slice", []any{1000}, 500, -1},
		{"map", map[string]any{"n": 1000}, 500, -1},
		{"bytes", []byte("1000"), 500, -1},
		{"no tokens at all: nothing", nil, nil, -1},
	}
	cfg := createDefaultConfig().(*Config)
	cfg.Pricing.Builtin = false
	cfg.Pricing.Models = map[string]ModelPrice{"m": {Input: price, Output: price}}
	e := newTestEnricher(t, cfg)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			td := buildTraces(nil, testSpan{name: "chat m", attrs: map[string]any{"gen_ai.provider.name": "mistral_ai", "gen_ai.operation.name": "chat", "gen_ai.request.model": "m"}})
			a := firstSpan(td).Attributes()
			putAny(a, "gen_ai.usage.input_tokens", tt.input)
			putAny(a, "gen_ai.usage.output_tokens", tt.output)
			before := a.AsRaw()
			assert.NotPanics(t, func() { process(t, e, td) })
			got := added(before, a.AsRaw())
			if tt.cost < 0 {
				assert.Empty(t, got, "no cost, no marker")
				return
			}
			assertDouble(t, a, attrUsageCost, tt.cost, tt.name)
		})
	}
}

// Malformed error messages and wrong-typed attributes never panic and never
// produce a cost.
func TestMalformedErrors(t *testing.T) {
	messages := []string{
		"API error occurred: Status 42", "Status 4299 Body {", "{{{{", "}{", "Body: {\"message\": unterminated",
		"API error occurred: Status 429 Content-Type application/json Body {\"code\": {\"nested\": [1,2,3]}}",
		"status code 999", "\x00\xff\xfe", "Status -429", string(make([]byte, 100000)),
	}
	e := newTestEnricher(t, testConfig())
	for _, m := range messages {
		td := buildTraces(nil, testSpan{name: "chat", status: ptrace.StatusCodeError, statusMsg: m,
			attrs:      merge(mistralChat, map[string]any{"http.response.status_code": "not a number", "mistral_ai.error.code": 1.5, "error.type": 7}),
			exceptions: [][2]string{{m, m}}})
		assert.NotPanics(t, func() { process(t, e, td) })
		a := firstSpan(td).Attributes()
		_, hasCost := a.Get(attrUsageCost)
		assert.False(t, hasCost)
		class, _ := str(a, attrErrorClass)
		assert.NotEmpty(t, class, "an error span always gets a class")
	}
}

func TestWorkspace(t *testing.T) {
	cfg := testConfig()
	cfg.Workspace = "acme-prod"
	e := newTestEnricher(t, cfg)
	tests := []struct {
		name  string
		res   map[string]any
		attrs map[string]any
		want  any
	}{
		{"written on a Mistral span", nil, mistralChat, "acme-prod"},
		{"written on an OpenAI-client span at Mistral", nil, map[string]any{"gen_ai.system": "openai", "gen_ai.operation.name": "chat", "server.address": "api.mistral.ai"}, "acme-prod"},
		{"kept when the span has one", nil, merge(mistralChat, map[string]any{"mistral.workspace": "other"}), "other"},
		{"not added when the resource has one", map[string]any{"mistral.workspace": "res"}, mistralChat, nil},
		{"not on an Anthropic span", nil, map[string]any{"gen_ai.provider.name": "anthropic", "gen_ai.operation.name": "chat"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			td := buildTraces(tt.res, testSpan{name: "chat", attrs: tt.attrs})
			process(t, e, td)
			assert.Equal(t, tt.want, firstSpan(td).Attributes().AsRaw()["mistral.workspace"])
		})
	}
}

func TestClassificationDisabled(t *testing.T) {
	cfg := testConfig()
	cfg.Classification.Enabled = false
	td := buildTraces(nil, testSpan{name: "chat", status: ptrace.StatusCodeError, attrs: merge(mistralChat, map[string]any{"http.response.status_code": 429})})
	process(t, newTestEnricher(t, cfg), td)
	_, ok := firstSpan(td).Attributes().Get(attrErrorClass)
	assert.False(t, ok)
}
