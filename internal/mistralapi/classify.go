package mistralapi // import "github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"

import "strings"

// Evidence is what is known about a failed call. Every field is optional.
type Evidence struct {
	// StatusCode is the HTTP status, 0 when unknown.
	StatusCode int
	// Body is the parsed error body, HasBody false when there was none.
	Body    ErrorBody
	HasBody bool
	// RateLimit holds the rate-limit headers when they are known.
	RateLimit RateLimit
	// ErrorType is error.type, or the exception class, as the client wrote it.
	ErrorType string
	// Message is a free-text error message (span status message, exception message).
	Message string
}

// Classification is the verdict on a failed call.
type Classification struct {
	Class Class
	// Limit is the limit hit, when the evidence tells.
	Limit Limit
	// Type and Code are Mistral's error type and code, when a body carries them.
	Type string
	Code string
}

// Retryable and Fallback mirror the class's.
func (c Classification) Retryable() bool { return c.Class.Retryable() }

// Fallback reports whether the failure is worth a fallback.
func (c Classification) Fallback() bool { return c.Class.Fallback() }

// Classify decides what kind of failure the evidence shows. It returns
// ClassOther when nothing in it is recognised, never ClassNone.
func Classify(e Evidence) Classification {
	c := Classification{Type: e.Body.Type, Code: e.Body.Code}
	status := e.StatusCode
	if status == 0 && e.Body.RawStatusCode != 0 {
		status = e.Body.RawStatusCode
	}
	text := lowerText{e: &e}

	switch {
	case isCapacity(&e, status, &text):
		c.Class = ClassProviderCapacity
	case status == 429 || e.Body.Code == "1300" || e.Body.Type == "rate_limited" || e.Body.Type == "rate_limit_error":
		c.Class, c.Limit = classify429(e.RateLimit, &text)
	case status == 503 || status == 529: // 529: Anthropic's "overloaded", for a fallback provider
		c.Class = ClassProviderCapacity
	case status == 408 || status == 504:
		c.Class = ClassTimeout
	case status >= 500 && status <= 599:
		c.Class = ClassServerError
	case status == 401:
		c.Class = ClassAuthentication
	case status == 402 || strings.HasPrefix(e.Body.Type, "billing_"):
		// billing_api_budget_exhausted (2303), billing_customer_monthly_spending_limit_reached (2300).
		c.Class = ClassQuotaExhausted
	case status == 403:
		c.Class = ClassPermission
	case e.Body.Type == "invalid_model" || e.Body.Code == "1500":
		c.Class = ClassModelNotFound
	case status == 404:
		c.Class = ClassEndpointNotFound
		if namesModel(&e.Body, &text) {
			c.Class = ClassModelNotFound
		}
	case status == 400 && strings.Contains(text.get(), "credit balance"):
		// Anthropic answers a spent prepaid balance with a 400 invalid_request_error
		// ("Your credit balance is too low ..."): a quota to top up, not a request to fix.
		c.Class = ClassQuotaExhausted
	case status == 400 || status == 413 || status == 422 || e.Body.Validation:
		c.Class = ClassInvalidRequest
	case status >= 400 && status <= 499:
		c.Class = ClassOther
	default:
		c.Class = classifyText(strings.ToLower(e.ErrorType), text.get())
		if c.Class == ClassRateLimit {
			c.Class, c.Limit = classify429(e.RateLimit, &text)
		}
	}
	if c.Class == ClassInvalidRequest && strings.Contains(text.get(), "invalid model") {
		c.Class = ClassModelNotFound
	}
	return c
}

// capacityTypes are the error types of Mistral's capacity 429s (code 3505).
var capacityTypes = map[string]bool{"service_tier_capacity_exceeded": true, "backend_out_of_capacity": true}

// capacityWords say "the provider is out of capacity" in a message.
var capacityWords = []string{"capacity exceeded", "out of capacity", "not enough capacity",
	"service_tier_capacity_exceeded", "backend_out_of_capacity"}

// isCapacity reports a provider capacity shortage: Mistral answers it with a
// 429 (code 3505) that is not the caller's rate limit, and sometimes with a
// 503 carrying the same message. A body that says rate limit (code 1300)
// wins over words in a message.
func isCapacity(e *Evidence, status int, t *lowerText) bool {
	if capacityTypes[e.Body.Type] || e.Body.Code == "3505" {
		return true
	}
	if e.Body.Code == "1300" || e.Body.Type == "rate_limited" || e.Body.Type == "rate_limit_error" {
		return false
	}
	if status != 0 && status != 429 && status < 500 {
		return false
	}
	for _, src := range []string{t.get(), strings.ToLower(e.ErrorType)} {
		for _, w := range capacityWords {
			if strings.Contains(src, w) {
				return true
			}
		}
		if containsWord(src, "3505") {
			return true
		}
	}
	return false
}

// namesModel reports whether a 404 is about a model (another provider's
// model_not_found, Anthropic's not_found_error "model: ..."), not the
// gateway's "no Route matched with those values" for a wrong path.
func namesModel(b *ErrorBody, t *lowerText) bool {
	return b.Code == "model_not_found" || strings.Contains(t.get(), "model")
}

// lowerText is the evidence's messages, lower-cased, built on first use:
// most statuses decide the class without reading them.
type lowerText struct {
	e    *Evidence
	text string
	done bool
}

func (t *lowerText) get() string {
	if !t.done {
		t.text = strings.ToLower(t.e.Body.Message + " " + t.e.Body.Detail + " " + t.e.Message)
		t.done = true
	}
	return t.text
}

// classify429 tells a transient rate limit from an exhausted quota, and which
// limit was hit.
func classify429(rl RateLimit, lt *lowerText) (Class, Limit) {
	if rl.ZeroAllowance() {
		return ClassQuotaExhausted, LimitRequestsPerMinute
	}
	switch lim := rl.Exhausted(); lim {
	case LimitTokensPerMonth:
		return ClassQuotaExhausted, lim
	case LimitNone:
	default:
		return ClassRateLimit, lim
	}
	switch text := lt.get(); {
	case strings.Contains(text, "month"):
		return ClassQuotaExhausted, LimitTokensPerMonth
	case strings.Contains(text, "quota"):
		// A quota without a period (OpenAI's insufficient_quota is a billing
		// balance) names none of Mistral's limits.
		return ClassQuotaExhausted, LimitNone
	case strings.Contains(text, "token"):
		return ClassRateLimit, LimitTokensPerMinute
	case strings.Contains(text, "requests rate limit"):
		return ClassRateLimit, LimitRequestsPerMinute
	}
	return ClassRateLimit, LimitNone
}

// textRules map words in error.type or a message to a class, first match
// wins. They cover the vocabularies of the Mistral SDKs, OpenLIT, the OpenAI
// and Anthropic clients, the Vercel AI SDK and Go/Node/Python transports.
var textRules = []struct {
	words []string
	class Class
}{
	{[]string{"rate_limit", "ratelimit", "rate limit", "too many requests", "1300"}, ClassRateLimit},
	{[]string{"insufficient_quota", "quota", "billing_", "budget exhausted", "spending limit", "credit balance"}, ClassQuotaExhausted},
	{[]string{"capacity", "overloaded", "unavailable"}, ClassProviderCapacity},
	{[]string{"timeout", "timed out", "deadline exceeded", "deadline_exceeded"}, ClassTimeout},
	{[]string{"authentication", "unauthorized", "invalid api key", "unauthenticated"}, ClassAuthentication},
	{[]string{"permission", "forbidden", "not_allowed", "guardrail"}, ClassPermission},
	{[]string{"no route matched", "endpoint_not_found"}, ClassEndpointNotFound},
	{[]string{"not_found", "notfound", "not found", "invalid_model", "invalid model", "no such model"}, ClassModelNotFound},
	{[]string{"invalid_request", "badrequest", "bad request", "unprocessable", "validation"}, ClassInvalidRequest},
	{[]string{"server_error", "internalserver", "internal server", "internal_error"}, ClassServerError},
	{[]string{"connection", "connect", "econnreset", "econnrefused", "enotfound", "eai_again", "socket", "network",
		"fetch failed", "tls", "certificate", "eof", "broken pipe", "no such host", "dns", "transport"}, ClassTransport},
}

func classifyText(errorType, text string) Class {
	for _, src := range []string{errorType, text} {
		if src == "" || src == " " {
			continue
		}
		for _, r := range textRules {
			for _, w := range r.words {
				if containsWord(src, w) {
					return r.class
				}
			}
		}
	}
	return ClassOther
}

// containsWord reports whether src contains w. A number ("1300", Mistral's
// rate-limit code) only counts on its own, not inside "13000" or "1300ms".
func containsWord(src, w string) bool {
	if w == "" || w[0] < '0' || w[0] > '9' {
		return strings.Contains(src, w)
	}
	for off := 0; ; {
		i := strings.Index(src[off:], w)
		if i < 0 {
			return false
		}
		start, end := off+i, off+i+len(w)
		if (start == 0 || !isAlnum(src[start-1])) && (end == len(src) || !isAlnum(src[end])) {
			return true
		}
		off = start + 1
	}
}

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}
