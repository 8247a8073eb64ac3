package mistralapi

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func body(t *testing.T, s string) ErrorBody {
	t.Helper()
	b, ok := ParseErrorBody([]byte(s))
	if !ok {
		t.Fatalf("body %q not parsed", s)
	}
	return b
}

func TestClassify(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 30, 0, time.UTC)
	hdr := func(kv ...string) RateLimit {
		h := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return ParseRateLimit(HTTPHeader(h), now)
	}
	tests := []struct {
		name  string
		ev    Evidence
		class Class
		limit Limit
		typ   string
		code  string
	}{
		{"429 code 1300", Evidence{StatusCode: 429, HasBody: true, Body: body(t, `{"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300"}`)},
			ClassRateLimit, LimitNone, "rate_limited", "1300"},
		{"429 numeric code and raw status, no status known", Evidence{HasBody: true, Body: body(t, `{"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":1300,"raw_status_code":429}`)},
			ClassRateLimit, LimitNone, "rate_limited", "1300"},
		{"429 bare message", Evidence{StatusCode: 429, HasBody: true, Body: body(t, `{"message":"Requests rate limit exceeded"}`)},
			ClassRateLimit, LimitRequestsPerMinute, "", ""},
		{"429 zero allowance", Evidence{StatusCode: 429, RateLimit: hdr(HeaderLimitReqMinute, "0", HeaderRemainingReqMinute, "0")},
			ClassQuotaExhausted, LimitRequestsPerMinute, "", ""},
		{"429 monthly tokens spent", Evidence{StatusCode: 429, RateLimit: hdr(HeaderLimitTokensMonth, "1000", HeaderRemainingTokensMonth, "0")},
			ClassQuotaExhausted, LimitTokensPerMonth, "", ""},
		{"429 tokens per minute by query cost", Evidence{StatusCode: 429, RateLimit: hdr(HeaderRemainingTokensMinute, "10", HeaderQueryCost, "50")},
			ClassRateLimit, LimitTokensPerMinute, "", ""},
		{"429 requests per minute spent", Evidence{StatusCode: 429, RateLimit: hdr(HeaderLimitReqMinute, "60", HeaderRemainingReqMinute, "0")},
			ClassRateLimit, LimitRequestsPerMinute, "", ""},
		{"503 capacity", Evidence{StatusCode: 503, HasBody: true, Body: body(t, `{"object":"error","message":"Service tier capacity exceeded for this model.","type":"invalid_request_error","param":null,"code":null}`)},
			ClassProviderCapacity, LimitNone, "invalid_request_error", ""},
		{"400 Anthropic credit balance", Evidence{StatusCode: 400, HasBody: true, Body: body(t, `{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."}}`)},
			ClassQuotaExhausted, LimitNone, "invalid_request_error", ""},
		{"Anthropic credit balance in a message", Evidence{Message: "BadRequestError: Your credit balance is too low to access the Anthropic API."}, ClassQuotaExhausted, LimitNone, "", ""},
		{"529 Anthropic overloaded", Evidence{StatusCode: 529, ErrorType: "overloaded_error"}, ClassProviderCapacity, LimitNone, "", ""},
		{"429 billing quota names no limit", Evidence{StatusCode: 429, Message: "You exceeded your current quota"}, ClassQuotaExhausted, LimitNone, "", ""},
		{"429 monthly limit by message", Evidence{StatusCode: 429, Message: "Monthly token limit reached"}, ClassQuotaExhausted, LimitTokensPerMonth, "", ""},
		{"500", Evidence{StatusCode: 500}, ClassServerError, LimitNone, "", ""},
		{"502", Evidence{StatusCode: 502}, ClassServerError, LimitNone, "", ""},
		{"504", Evidence{StatusCode: 504}, ClassTimeout, LimitNone, "", ""},
		{"401 detail", Evidence{StatusCode: 401, HasBody: true, Body: body(t, `{"detail":"Unauthorized"}`)}, ClassAuthentication, LimitNone, "", ""},
		{"403", Evidence{StatusCode: 403}, ClassPermission, LimitNone, "", ""},
		{"404 invalid model", Evidence{StatusCode: 404, HasBody: true, Body: body(t, `{"object":"error","message":"Invalid model: mistral-tiny-2312","type":"invalid_model","param":null,"code":"1500"}`)},
			ClassModelNotFound, LimitNone, "invalid_model", "1500"},
		{"400 invalid_model type", Evidence{StatusCode: 400, HasBody: true, Body: body(t, `{"object":"error","message":"Invalid model: foo","type":"invalid_model","param":null,"code":"1500"}`)},
			ClassModelNotFound, LimitNone, "invalid_model", "1500"},
		{"400 message order", Evidence{StatusCode: 400, HasBody: true, Body: body(t, `{"object":"error","message":"Unexpected role 'tool' after role 'system'","type":"invalid_request_message_order","param":null,"code":"3230","raw_status_code":400}`)},
			ClassInvalidRequest, LimitNone, "invalid_request_message_order", "3230"},
		{"422 validation", Evidence{StatusCode: 422, HasBody: true, Body: body(t, `{"detail":[{"type":"extra_forbidden","loc":["body","seed"],"msg":"Extra inputs are not permitted"}]}`)},
			ClassInvalidRequest, LimitNone, "", ""},
		{"418 other", Evidence{StatusCode: 418}, ClassOther, LimitNone, "", ""},
		{"openlit rate_limited", Evidence{ErrorType: "rate_limited"}, ClassRateLimit, LimitNone, "", ""},
		{"openai RateLimitError", Evidence{ErrorType: "RateLimitError", Message: "429 status code (no body)"}, ClassRateLimit, LimitNone, "", ""},
		{"timeout by type", Evidence{ErrorType: "APITimeoutError"}, ClassTimeout, LimitNone, "", ""},
		{"python read timeout", Evidence{ErrorType: "ReadTimeout", Message: "The read operation timed out"}, ClassTimeout, LimitNone, "", ""},
		{"connection reset", Evidence{ErrorType: "APIConnectionError", Message: "read ECONNRESET"}, ClassTransport, LimitNone, "", ""},
		{"fetch failed", Evidence{ErrorType: "TypeError", Message: "fetch failed"}, ClassTransport, LimitNone, "", ""},
		{"openlit unavailable", Evidence{ErrorType: "unavailable"}, ClassProviderCapacity, LimitNone, "", ""},
		{"nothing known", Evidence{ErrorType: "SDKError", Message: "something odd"}, ClassOther, LimitNone, "", ""},
		{"code 1300 in a message without status", Evidence{ErrorType: "SDKError", Message: "error code 1300"}, ClassRateLimit, LimitNone, "", ""},
		{"1300 inside a number is not the code", Evidence{ErrorType: "SDKError", Message: "request 13000 failed"}, ClassOther, LimitNone, "", ""},
		{"1300 with a unit is not the code", Evidence{ErrorType: "ReadTimeout", Message: "no answer after 1300ms"}, ClassTimeout, LimitNone, "", ""},
		{"empty", Evidence{}, ClassOther, LimitNone, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Classify(tt.ev)
			assert.Equal(t, tt.class, c.Class)
			assert.Equal(t, tt.limit, c.Limit)
			assert.Equal(t, tt.typ, c.Type)
			assert.Equal(t, tt.code, c.Code)
		})
	}
}

func TestRetryableAndFallback(t *testing.T) {
	// The monitoring guide: 429/500/503 fall back, 400/401/403 (and 404/422) don't.
	fallback := map[Class]bool{
		ClassRateLimit: true, ClassQuotaExhausted: true, ClassProviderCapacity: true, ClassServerError: true,
		ClassTimeout: true, ClassTransport: true,
		ClassAuthentication: false, ClassPermission: false, ClassModelNotFound: false, ClassEndpointNotFound: false,
		ClassInvalidRequest: false, ClassOther: false,
	}
	for _, c := range Classes {
		want, ok := fallback[c]
		assert.True(t, ok, "class %s missing from the table", c)
		assert.Equal(t, want, c.Fallback(), "fallback %s", c)
	}
	assert.False(t, ClassQuotaExhausted.Retryable(), "an exhausted quota does not come back in a minute")
	assert.True(t, ClassRateLimit.Retryable())
	assert.False(t, ClassAuthentication.Retryable())
}
