package llmenrichprocessor

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// A semconv GenAI span says only error.type; its child HTTP client span has
// the status and the captured headers.
func TestChildHTTPSpanEvidence(t *testing.T) {
	genai := testSpan{name: "chat mistral-small-latest", id: 1, status: ptrace.StatusCodeError, statusMsg: "Rate limit exceeded",
		attrs: merge(mistralChat, map[string]any{"error.type": "SDKError"})}
	child := func(id byte, status int, end int64, headers map[string]any) testSpan {
		attrs := map[string]any{"http.request.method": "POST", "url.full": "https://api.mistral.ai/v1/chat/completions",
			"http.response.status_code": status}
		for k, v := range headers {
			attrs[k] = v
		}
		return testSpan{name: "POST", id: id, parent: 1, attrs: attrs, status: ptrace.StatusCodeError, end: end}
	}
	zero := map[string]any{"http.response.header.x-ratelimit-limit-req-minute": []any{"0"}}
	tests := []struct {
		name  string
		spans []testSpan
		class string
		limit string
	}{
		{"child after the parent", []testSpan{genai, child(2, 429, 0, zero)}, "quota_exhausted", "requests_per_minute"},
		{"child before the parent", []testSpan{child(2, 429, 0, zero), genai}, "quota_exhausted", "requests_per_minute"},
		{"child without headers", []testSpan{genai, child(2, 503, 0, nil)}, "provider_capacity", ""},
		{"retries: the last attempt decides", []testSpan{
			child(2, 429, 1_700_000_000_300_000_000, nil), genai,
			child(4, 503, 1_700_000_000_900_000_000, nil), child(3, 429, 1_700_000_000_600_000_000, nil),
		}, "provider_capacity", ""},
		{"a span of another trace with the same parent id is not a child", []testSpan{genai,
			{name: "POST", id: 2, parent: 1, trace: 0xb, attrs: map[string]any{"http.response.status_code": 401}}}, "rate_limit", ""},
		{"no child: the message alone", []testSpan{genai}, "rate_limit", ""},
	}
	e := newTestEnricher(t, testConfig())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			td := buildTraces(nil, tt.spans...)
			in := ptrace.NewTraces()
			td.CopyTo(in)
			process(t, e, td)
			var g ptrace.Span
			for i := range tt.spans {
				if s := spanAt(td, i); s.SpanID() == sid(1) {
					g = s
				} else {
					assert.Equal(t, spanAt(in, i).Attributes().AsRaw(), s.Attributes().AsRaw(), "child changed")
				}
			}
			class, _ := str(g.Attributes(), attrErrorClass)
			limit, _ := str(g.Attributes(), attrErrorLimit)
			assert.Equal(t, tt.class, class)
			assert.Equal(t, tt.limit, limit)
		})
	}
}

// The child of a successful LLM span, even a 429 one, changes nothing.
func TestChildOfSuccessfulSpanIgnored(t *testing.T) {
	td := buildTraces(nil,
		testSpan{name: "chat", id: 1, attrs: merge(mistralChat, map[string]any{"gen_ai.usage.input_tokens": 10, "gen_ai.usage.output_tokens": 5,
			"gen_ai.response.model": "mistral-small-2506"})},
		testSpan{name: "POST", id: 2, parent: 1, attrs: map[string]any{"http.response.status_code": 429}})
	process(t, newTestEnricher(t, testConfig()), td)
	_, ok := firstSpan(td).Attributes().Get(attrErrorClass)
	assert.False(t, ok)
}
