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
	case status == 403:
		c.Class = ClassPermission
	case status == 404 || e.Body.Type == "invalid_model":
		c.Class = ClassModelNotFound
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
	{[]string{"insufficient_quota", "quota"}, ClassQuotaExhausted},
	{[]string{"capacity", "overloaded", "unavailable"}, ClassProviderCapacity},
	{[]string{"timeout", "timed out", "deadline exceeded", "deadline_exceeded"}, ClassTimeout},
	{[]string{"authentication", "unauthorized", "invalid api key", "unauthenticated"}, ClassAuthentication},
	{[]string{"permission", "forbidden"}, ClassPermission},
	{[]string{"not_found", "notfound", "not found", "invalid_model", "invalid model", "no such model"}, ClassModelNotFound},
	{[]string{"invalid_request", "badrequest", "bad request", "unprocessable", "validation"}, ClassInvalidRequest},
	{[]string{"server_error", "internalserver", "internal server", "internal_error"}, ClassServerError},
	{[]string{"connection", "connect", "econnreset", "econnrefused", "enotfound", "eai_again", "socket", "network",
		"fetch failed", "tls", "certificate", "eof", "broken pipe", "no such host", "dns"}, ClassTransport},
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
