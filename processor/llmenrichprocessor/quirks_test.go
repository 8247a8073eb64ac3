package llmenrichprocessor

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// Attributes of a failed Mistral chat call, before evidence.
var mistralChat = map[string]any{
	"gen_ai.provider.name":  "mistral_ai",
	"gen_ai.operation.name": "chat",
	"gen_ai.request.model":  "mistral-small-latest",
}

const (
	body1300      = `{"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300","raw_status_code":429}`
	bodyCapacity  = `{"object":"error","message":"Service tier capacity exceeded for this model.","type":"invalid_request_error","param":null,"code":null}`
	bodyInvalidMd = `{"object":"error","message":"Invalid model: mistral-small-2402","type":"invalid_model","param":null,"code":"1500"}`
	body422       = `{"detail":[{"type":"extra_forbidden","loc":["body","seed"],"msg":"Extra inputs are not permitted","input":42}]}`
)

// Each of Mistral's error quirks, as real clients record them, with the
// exact attributes the processor must add (hand-written, not derived).
func TestMistralErrorQuirks(t *testing.T) {
	tests := []struct {
		name string
		span testSpan
		want map[string]any
	}{
		{
			name: "Mistral SDK 2.x: rate_limited and code 1300 as attributes",
			span: testSpan{name: "chat mistral-small-latest", status: ptrace.StatusCodeError, statusMsg: "Rate limit exceeded",
				attrs: merge(mistralChat, map[string]any{"http.response.status_code": 429, "error.type": "rate_limited", "mistral_ai.error.code": "1300"})},
			want: map[string]any{"llm_enrich.error.class": "rate_limit", "llm_enrich.error.retryable": true, "llm_enrich.error.fallback": true},
		},
		{
			name: "OpenLLMetry: Python SDKError with the 1300 body in the exception message",
			span: testSpan{name: "mistralai.chat", status: ptrace.StatusCodeError,
				attrs:      map[string]any{"gen_ai.system": "MistralAI", "llm.request.type": "chat", "gen_ai.request.model": "mistral-large-latest", "error.type": "SDKError"},
				exceptions: [][2]string{{"mistralai.models.sdkerror.SDKError", "API error occurred: Status 429 Content-Type application/json Body " + body1300}}},
			want: map[string]any{"gen_ai.provider.name": "mistral_ai", "llm_enrich.error.class": "rate_limit", "llm_enrich.error.retryable": true,
				"llm_enrich.error.fallback": true, "mistral_ai.error.type": "rate_limited", "mistral_ai.error.code": "1300"},
		},
		{
			name: "OpenLIT: bare requests rate limit message in the status message",
			span: testSpan{name: "chat mistral-small-latest", status: ptrace.StatusCodeError,
				statusMsg: `API error occurred: Status 429 Content-Type application/json Body {"message":"Requests rate limit exceeded"}`,
				attrs:     merge(mistralChat, map[string]any{"error.type": "SDKError"})},
			want: map[string]any{"llm_enrich.error.class": "rate_limit", "llm_enrich.error.limit": "requests_per_minute",
				"llm_enrich.error.retryable": true, "llm_enrich.error.fallback": true},
		},
		{
			name: "zero allowance from captured header attributes (string arrays)",
			span: testSpan{name: "chat", status: ptrace.StatusCodeError, attrs: merge(mistralChat, map[string]any{
				"http.response.status_code":                             429,
				"http.response.header.x-ratelimit-limit-req-minute":     []any{"0"},
				"http.response.header.x-ratelimit-remaining-req-minute": []any{"0"},
			})},
			want: map[string]any{"llm_enrich.error.class": "quota_exhausted", "llm_enrich.error.limit": "requests_per_minute",
				"llm_enrich.error.retryable": false, "llm_enrich.error.fallback": true, "error.type": "quota_exhausted"},
		},
		{
			name: "monthly budget spent, header attribute as a plain string",
			span: testSpan{name: "chat", status: ptrace.StatusCodeError, attrs: merge(mistralChat, map[string]any{
				"http.response.status_code":                               "429",
				"http.response.header.x-ratelimit-remaining-tokens-month": "0",
			})},
			want: map[string]any{"llm_enrich.error.class": "quota_exhausted", "llm_enrich.error.limit": "tokens_per_month",
				"llm_enrich.error.retryable": false, "llm_enrich.error.fallback": true, "error.type": "quota_exhausted"},
		},
		{
			name: "503 service tier capacity exceeded",
			span: testSpan{name: "chat", status: ptrace.StatusCodeError, attrs: mistralChat,
				exceptions: [][2]string{{"SDKError", "API error occurred: Status 503. Body: " + bodyCapacity}}},
			want: map[string]any{"llm_enrich.error.class": "provider_capacity", "llm_enrich.error.retryable": true, "llm_enrich.error.fallback": true,
				"mistral_ai.error.type": "invalid_request_error", "error.type": "provider_capacity"},
		},
		{
			name: `401 {"detail":"Unauthorized"}`,
			span: testSpan{name: "chat", status: ptrace.StatusCodeError, attrs: merge(mistralChat, map[string]any{"error.type": "SDKError"}),
				exceptions: [][2]string{{"SDKError", `API error occurred: Status 401 Content-Type application/json Body {"detail":"Unauthorized"}`}}},
			want: map[string]any{"llm_enrich.error.class": "authentication", "llm_enrich.error.retryable": false, "llm_enrich.error.fallback": false},
		},
		{
			name: "404 invalid model",
			span: testSpan{name: "chat", status: ptrace.StatusCodeError, attrs: mistralChat,
				statusMsg: "API error occurred: Status 404. Body: " + bodyInvalidMd},
			want: map[string]any{"llm_enrich.error.class": "model_not_found", "llm_enrich.error.retryable": false, "llm_enrich.error.fallback": false,
				"mistral_ai.error.type": "invalid_model", "mistral_ai.error.code": "1500", "error.type": "model_not_found"},
		},
		{
			name: "invalid model, message only (Vercel AI SDK)",
			span: testSpan{name: "ai.generateText.doGenerate", status: ptrace.StatusCodeError, statusMsg: "Invalid model: mistral-small-2402",
				attrs:      map[string]any{"ai.operationId": "ai.generateText.doGenerate", "gen_ai.system": "mistral.chat", "gen_ai.request.model": "mistral-small-2402"},
				exceptions: [][2]string{{"AI_APICallError", "Invalid model: mistral-small-2402"}}},
			want: map[string]any{"gen_ai.provider.name": "mistral_ai", "llm_enrich.error.class": "model_not_found", "llm_enrich.error.retryable": false,
				"llm_enrich.error.fallback": false, "error.type": "model_not_found"},
		},
		{
			name: "422 validation (detail list)",
			span: testSpan{name: "chat", status: ptrace.StatusCodeError, attrs: merge(mistralChat, map[string]any{"error.type": "HTTPValidationError"}),
				exceptions: [][2]string{{"HTTPValidationError", "API error occurred: Status 422. Body: " + body422}}},
			want: map[string]any{"llm_enrich.error.class": "invalid_request", "llm_enrich.error.retryable": false, "llm_enrich.error.fallback": false},
		},
		{
			name: "timeout, no response",
			span: testSpan{name: "chat", status: ptrace.StatusCodeError, statusMsg: "The read operation timed out",
				attrs: merge(mistralChat, map[string]any{"error.type": "ReadTimeout"})},
			want: map[string]any{"llm_enrich.error.class": "timeout", "llm_enrich.error.retryable": true, "llm_enrich.error.fallback": true},
		},
		{
			name: "connection reset, exception event only, status unset",
			span: testSpan{name: "chat", attrs: mistralChat,
				exceptions: [][2]string{{"", "[Errno 104] Connection reset by peer"}}},
			want: map[string]any{"llm_enrich.error.class": "transport", "llm_enrich.error.retryable": true, "llm_enrich.error.fallback": true,
				"error.type": "transport"},
		},
		{
			name: "Vercel AI SDK 7: status code, no error.type",
			span: testSpan{name: "chat mistral-small-latest", status: ptrace.StatusCodeError, statusMsg: "Rate limit exceeded",
				attrs:      merge(mistralChat, map[string]any{"http.response.status_code": 429}),
				exceptions: [][2]string{{"AI_APICallError", "Rate limit exceeded"}}},
			want: map[string]any{"llm_enrich.error.class": "rate_limit", "llm_enrich.error.retryable": true, "llm_enrich.error.fallback": true,
				"error.type": "rate_limit"},
		},
		{
			name: "OpenAI client against Mistral: body lost",
			span: testSpan{name: "chat mistral-small-latest", status: ptrace.StatusCodeError, statusMsg: "429 status code (no body)",
				attrs: map[string]any{"gen_ai.system": "openai", "gen_ai.operation.name": "chat", "gen_ai.request.model": "mistral-small-latest",
					"server.address": "api.mistral.ai", "error.type": "RateLimitError"}},
			want: map[string]any{"gen_ai.provider.name": "mistral_ai", "llm_enrich.error.class": "rate_limit", "llm_enrich.error.retryable": true,
				"llm_enrich.error.fallback": true},
		},
		{
			name: "raw_status_code in a body without any status marker",
			span: testSpan{name: "chat", status: ptrace.StatusCodeError, attrs: mistralChat,
				statusMsg: `upstream said {"object":"error","message":"Service tier capacity exceeded for this model.","type":"invalid_request_error","raw_status_code":503}`},
			want: map[string]any{"llm_enrich.error.class": "provider_capacity", "llm_enrich.error.retryable": true, "llm_enrich.error.fallback": true,
				"mistral_ai.error.type": "invalid_request_error", "error.type": "provider_capacity"},
		},
		{
			name: "OpenAI's own quota error: classified, no Mistral limit and no mistral_ai.* on a non-Mistral span",
			span: testSpan{name: "chat gpt-4o-mini", status: ptrace.StatusCodeError,
				attrs: map[string]any{"gen_ai.provider.name": "openai", "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o-mini",
					"server.address": "api.openai.com", "error.type": "RateLimitError"},
				statusMsg: `Error code: 429 - {"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}`},
			want: map[string]any{"llm_enrich.error.class": "quota_exhausted",
				"llm_enrich.error.retryable": false, "llm_enrich.error.fallback": true},
		},
		{
			name: "Anthropic fallback overloaded (Python repr body)",
			span: testSpan{name: "chat claude-sonnet-4-5", status: ptrace.StatusCodeError, statusMsg: "Overloaded",
				attrs: map[string]any{"gen_ai.provider.name": "anthropic", "gen_ai.operation.name": "chat", "gen_ai.request.model": "claude-sonnet-4-5",
					"error.type": "overloaded_error"},
				exceptions: [][2]string{{"anthropic.OverloadedError", "Error code: 529 - {'type': 'error', 'error': {'type': 'overloaded_error', 'message': 'Overloaded'}}"}}},
			want: map[string]any{"llm_enrich.error.class": "provider_capacity", "llm_enrich.error.retryable": true, "llm_enrich.error.fallback": true},
		},
		{
			name: "exception recorded on a span that ended OK (a retried attempt): not an error",
			span: testSpan{name: "chat", status: ptrace.StatusCodeOk, attrs: mistralChat,
				exceptions: [][2]string{{"SDKError", "API error occurred: Status 429. Body: " + body1300}}},
			want: map[string]any{},
		},
		{
			name: "existing mistral_ai.error.type and error.type are kept",
			span: testSpan{name: "chat", status: ptrace.StatusCodeError, attrs: merge(mistralChat, map[string]any{
				"error.type": "MyError", "mistral_ai.error.type": "custom", "mistral_ai.error.code": 77}),
				statusMsg: "API error occurred: Status 429. Body: " + body1300},
			want: map[string]any{"llm_enrich.error.class": "rate_limit", "llm_enrich.error.retryable": true, "llm_enrich.error.fallback": true},
		},
	}
	e := newTestEnricher(t, testConfig())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			td := buildTraces(nil, tt.span)
			before := firstSpan(td).Attributes().AsRaw()
			process(t, e, td)
			assert.Equal(t, tt.want, added(before, firstSpan(td).Attributes().AsRaw()))
		})
	}
}
