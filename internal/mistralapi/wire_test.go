package mistralapi

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// wireCase is one answer of La Plateforme as recorded (or as its SDKs and
// the clients that special-case it show it), with the verdict expected.
type wireCase struct {
	name   string
	source string
	status int
	header []string // name, value pairs
	body   string
	class  Class
	limit  Limit
	// msgClass and msgLimit are the verdict from a message alone, when the
	// headers decide (a message carries the body, never the headers).
	msgClass Class
	msgLimit Limit
}

var wireCases = []wireCase{
	{name: "429 rate limit code 1300", source: "reference mistral-api.md; mistralai/client-python errors",
		status: 429, header: []string{HeaderLimitReq60Second, "360", HeaderRemainingReq60Second, "0"},
		body:  `{"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300","raw_status_code":429}`,
		class: ClassRateLimit, limit: LimitRequestsPerMinute, msgClass: ClassRateLimit},
	{name: "429 bare requests message", source: "reference mistral-api.md",
		status: 429, body: `{"message":"Requests rate limit exceeded"}`,
		class: ClassRateLimit, limit: LimitRequestsPerMinute},
	{name: "429 ten-second window spent", source: "maruel/genai 2025 cassettes (req-10-second)",
		status: 429, header: []string{"x-ratelimit-limit-req-10-second", "10", "x-ratelimit-remaining-req-10-second", "0"},
		body:  `{"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300"}`,
		class: ClassRateLimit, limit: LimitRequestsPerMinute, msgClass: ClassRateLimit},
	{name: "429 five-minute tokens spent", source: "reference mistral-api.md (tokens-5-minute)",
		status: 429, header: []string{"x-ratelimit-limit-tokens-5-minute", "250000", "x-ratelimit-remaining-tokens-5-minute", "0"},
		body:  `{"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300"}`,
		class: ClassRateLimit, limit: LimitTokensPerMinute, msgClass: ClassRateLimit},
	{name: "429 zero allowance for the model", source: "reference mistral-api.md",
		status: 429, header: []string{HeaderLimitReqMinute, "0", HeaderRemainingReqMinute, "0"},
		body:  `{"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300"}`,
		class: ClassQuotaExhausted, limit: LimitRequestsPerMinute, msgClass: ClassRateLimit},
	{name: "429 monthly budget spent", source: "reference mistral-api.md",
		status: 429, header: []string{HeaderLimitTokensMonth, "4000000", HeaderRemainingTokensMonth, "0"},
		body:  `{"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300"}`,
		class: ClassQuotaExhausted, limit: LimitTokensPerMonth, msgClass: ClassRateLimit},
	{name: "429 legacy names", source: "reference mistral-api.md (May 2025)",
		status: 429, header: []string{LegacyHeaderLimit, "500000", LegacyHeaderRemaining, "0", LegacyHeaderReset, "12"},
		body:  `{"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300"}`,
		class: ClassRateLimit, limit: LimitTokensPerMinute, msgClass: ClassRateLimit},
	{name: "429 service tier capacity", source: "clients special-casing code 3505 (find_string service_tier_capacity_exceeded)",
		status: 429, body: `{"object":"error","message":"Service tier capacity exceeded for this model.","type":"service_tier_capacity_exceeded","param":null,"code":"3505"}`,
		class: ClassProviderCapacity},
	{name: "429 backend out of capacity", source: "clients special-casing backend_out_of_capacity, 2026",
		status: 429, body: `{"object":"error","message":"Not enough capacity available for this request, please retry later.","type":"backend_out_of_capacity","param":null,"code":"3505"}`,
		class: ClassProviderCapacity},
	{name: "503 capacity message", source: "reference mistral-api.md",
		status: 503, body: `{"object":"error","message":"Service tier capacity exceeded for this model.","type":"invalid_request_error","param":null,"code":null}`,
		class: ClassProviderCapacity},
	{name: "500 code 1000", source: "reference mistral-api.md",
		status: 500, body: `{"object":"error","message":"Service unavailable.","type":"internal_server_error","param":null,"code":"1000","raw_status_code":500}`,
		class: ClassServerError},
	{name: "401 unauthorized", source: "reference mistral-api.md",
		status: 401, body: `{"detail":"Unauthorized"}`, class: ClassAuthentication},
	{name: "401 invalid api key", source: "0xPlaygrounds/rig tests/cassettes/mistral/models/list_models_rejected_key_reports_api_error_with_context.yaml",
		status: 401, body: `{"detail":"Invalid API Key"}`, class: ClassAuthentication},
	{name: "402 api budget exhausted", source: "Mistral error glossary (2303)",
		status: 402, body: `{"object":"error","message":"API budget exhausted.","type":"billing_api_budget_exhausted","param":null,"code":"2303","raw_status_code":402}`,
		class: ClassQuotaExhausted},
	{name: "402 monthly spending limit", source: "Mistral error glossary (2300)",
		status: 402, body: `{"object":"error","message":"Monthly spending limit reached.","type":"billing_customer_monthly_spending_limit_reached","param":null,"code":"2300","raw_status_code":402}`,
		class: ClassQuotaExhausted},
	{name: "403 tier not allowed", source: "Mistral error glossary (1910)",
		status: 403, body: `{"object":"error","message":"Your current tier does not allow this model.","type":"tier_not_allowed","param":null,"code":"1910","raw_status_code":403}`,
		class: ClassPermission},
	{name: "403 guardrail", source: "Mistral error glossary (1920)",
		status: 403, body: `{"object":"error","message":"The request was blocked by a guardrail.","type":"guardrail_violation","param":null,"code":"1920","raw_status_code":403}`,
		class: ClassPermission},
	{name: "403 labs model", source: "maruel/genai labs-devstral-small-2512 (1913)",
		status: 403, body: `{"object":"error","message":"This model is a Labs model; enable Labs models for the workspace.","type":"invalid_request_error","param":null,"code":"1913","raw_status_code":403}`,
		class: ClassPermission},
	{name: "400 invalid model", source: "reference mistral-api.md (code 1500, raw_status_code 400)",
		status: 400, body: `{"object":"error","message":"Invalid model: mistral-small-2402","type":"invalid_model","param":null,"code":"1500","raw_status_code":400}`,
		class: ClassModelNotFound},
	{name: "400 message order 3230", source: "reference mistral-api.md",
		status: 400, body: `{"object":"error","message":"Unexpected role 'tool' after role 'system'","type":"invalid_request_message_order","param":null,"code":"3230","raw_status_code":400}`,
		class: ClassInvalidRequest},
	{name: "400 feature not enabled 3051", source: "Mistral error glossary",
		status: 400, body: `{"object":"error","message":"Feature not enabled for this model.","type":"invalid_request_error","param":null,"code":"3051","raw_status_code":400}`,
		class: ClassInvalidRequest},
	{name: "400 too many inputs 3210", source: "Mistral error glossary",
		status: 400, body: `{"object":"error","message":"Too many inputs.","type":"invalid_request_error","param":null,"code":"3210","raw_status_code":400}`,
		class: ClassInvalidRequest},
	{name: "400 invalid function call 3280", source: "Mistral error glossary",
		status: 400, body: `{"object":"error","message":"Invalid function call.","type":"invalid_request_error","param":null,"code":"3280","raw_status_code":400}`,
		class: ClassInvalidRequest},
	{name: "400 audio 3291", source: "maruel/genai GenSyncMultiModal-Audio cassettes",
		status: 400, body: `{"object":"error","message":"Audio input is not supported by this model.","type":"invalid_request_error","param":null,"code":"3291","raw_status_code":400}`,
		class: ClassInvalidRequest},
	{name: "400 file 3310", source: "Mistral error glossary",
		status: 400, body: `{"object":"error","message":"Invalid file.","type":"invalid_request_error","param":null,"code":"3310","raw_status_code":400}`,
		class: ClassInvalidRequest},
	{name: "400 context overflow", source: "reference mistral-api.md",
		status: 400, body: `{"object":"error","message":"Prompt contains 140000 tokens and 0 draft tokens, too large for model with 131072 maximum context length","type":"invalid_request_error","param":null,"code":null,"raw_status_code":400}`,
		class: ClassInvalidRequest},
	{name: "404 no route", source: "Kong gateway 404 (x-kong-* headers on every answer)",
		status: 404, body: `{"message":"no Route matched with those values"}`, class: ClassEndpointNotFound},
	{name: "422 validation list", source: "reference mistral-api.md",
		status: 422, body: `{"detail":[{"type":"extra_forbidden","loc":["body","seed"],"msg":"Extra inputs are not permitted"}]}`,
		class: ClassInvalidRequest},
	{name: "422 nested in message", source: "reference mistral-api.md (current 422s)",
		status: 422, body: `{"object":"error","message":{"detail":[{"type":"extra_forbidden","loc":["body","seed"],"msg":"Extra inputs are not permitted","input":1}]},"type":"invalid_request_error","param":null,"code":null,"raw_status_code":422}`,
		class: ClassInvalidRequest},
}

// sdkMessages are the exception messages the SDK versions write for a
// status and body (mistralai/client-python, mistralai/client-ts).
var sdkMessages = []struct {
	name   string
	format func(status int, body string) string
}{
	{"typescript <= 1.9", func(s int, b string) string {
		return fmt.Sprintf("API error occurred: Status %d Content-Type application/json Body %s", s, b)
	}},
	{"python 1.0-1.9.10", func(s int, b string) string { return fmt.Sprintf("API error occurred: Status %d\n%s", s, b) }},
	{"python >= 1.9.11, 2.x, typescript >= 1.10", func(s int, b string) string {
		return fmt.Sprintf("API error occurred: Status %d. Body: %s", s, b)
	}},
	{"typescript long body", func(s int, b string) string { return fmt.Sprintf("API error occurred: Status %d.\nBody: %s", s, b) }},
	{"python other content type", func(s int, b string) string {
		return fmt.Sprintf("API error occurred: Status %d Content-Type \"application/json; charset=utf-8\". Body: %s", s, b)
	}},
}

// fromMessage is what a span's status or exception message gives the
// classifier: the status and body the message names, and the message.
func fromMessage(msg string) Evidence {
	pm := ParseErrorMessage(msg)
	ev := Evidence{StatusCode: pm.StatusCode, Message: msg}
	if pm.Body != nil {
		ev.Body, ev.HasBody = ParseErrorBody(pm.Body)
	}
	return ev
}

// TestWireCases classifies every recorded answer in each form it reaches
// the classifier: the probe's response, a span's status or exception
// message in every SDK format, error.type, and a child HTTP span's status
// and headers beside the parent's message.
func TestWireCases(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 30, 0, time.UTC)
	for _, wc := range wireCases {
		t.Run(wc.name, func(t *testing.T) {
			h := http.Header{}
			for i := 0; i < len(wc.header); i += 2 {
				h.Set(wc.header[i], wc.header[i+1])
			}
			rl := ParseRateLimitHTTP(h, now)
			b, ok := ParseErrorBody([]byte(wc.body))
			assert.True(t, ok, "body parses")
			msgClass, msgLimit := wc.class, wc.limit
			if wc.msgClass != "" {
				msgClass, msgLimit = wc.msgClass, wc.msgLimit
			}

			// The probe's response: status, headers, body.
			c := Classify(Evidence{StatusCode: wc.status, Body: b, HasBody: ok, RateLimit: rl})
			assert.Equal(t, wc.class, c.Class, "probe response")
			assert.Equal(t, wc.limit, c.Limit, "probe response limit")

			// A span's status message or exception message, each SDK version.
			for _, f := range sdkMessages {
				c = Classify(fromMessage(f.format(wc.status, wc.body)))
				assert.Equal(t, msgClass, c.Class, "message %s", f.name)
				assert.Equal(t, msgLimit, c.Limit, "message limit %s", f.name)
			}
			if wc.status == 422 {
				// Python's HTTPValidationError is the raw body; TypeScript's "API error occurred: {json}".
				for _, m := range []string{wc.body, "API error occurred: " + wc.body} {
					assert.Equal(t, wc.class, Classify(fromMessage(m)).Class, "422 message %q", m)
				}
			}

			// error.type: the class written by an earlier llm_enrich or a
			// client, and Mistral's own type when it is specific.
			assert.Equal(t, wc.class, Classify(Evidence{ErrorType: string(wc.class)}).Class, "error.type = class")
			if b.Type != "" && b.Type != "invalid_request_error" && b.Type != "rate_limited" {
				assert.Equal(t, wc.class, Classify(Evidence{ErrorType: b.Type}).Class, "error.type = %s", b.Type)
			}

			// A child HTTP span: its status code and captured headers, the
			// body in the parent's exception message.
			ev := fromMessage(sdkMessages[2].format(wc.status, wc.body))
			ev.StatusCode, ev.RateLimit = wc.status, rl
			c = Classify(ev)
			assert.Equal(t, wc.class, c.Class, "child span")
			assert.Equal(t, wc.limit, c.Limit, "child span limit")
		})
	}
}

// TestWireCaseClassesCovered: every class La Plateforme can answer with has a
// recorded case.
func TestWireCaseClassesCovered(t *testing.T) {
	seen := map[Class]bool{}
	for _, wc := range wireCases {
		seen[wc.class] = true
		assert.NotEmpty(t, wc.source, wc.name)
	}
	for _, c := range Classes {
		switch c {
		case ClassTimeout, ClassTransport, ClassOther: // no HTTP answer
			continue
		}
		assert.True(t, seen[c], "no wire case for %s", c)
	}
	for _, wc := range wireCases {
		assert.False(t, strings.Contains(wc.body, "\n"), "bodies are one line: %s", wc.name)
	}
}
