package mistralapi // import "github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"

// Class is the kind of failure of a call to an LLM provider.
type Class string

// Classes shared by the processor (on spans) and the receiver (on probes).
const (
	// ClassNone: the call succeeded.
	ClassNone Class = ""
	// ClassRateLimit: a transient rate limit (429), per minute or per second.
	ClassRateLimit Class = "rate_limit"
	// ClassQuotaExhausted: the monthly budget is spent, or the key has no
	// allowance at all (x-ratelimit-limit-req-minute: 0). Not transient.
	ClassQuotaExhausted Class = "quota_exhausted"
	// ClassProviderCapacity: the provider is out of capacity (Mistral's 503
	// "Service tier capacity exceeded"), not the caller's limit.
	ClassProviderCapacity Class = "provider_capacity"
	// ClassServerError: 500, 502, 504 and other 5xx.
	ClassServerError Class = "server_error"
	// ClassTimeout: the call timed out.
	ClassTimeout Class = "timeout"
	// ClassTransport: the connection failed or broke (DNS, connect, reset, TLS).
	ClassTransport Class = "transport"
	// ClassAuthentication: 401, a bad or missing key.
	ClassAuthentication Class = "authentication"
	// ClassPermission: 403.
	ClassPermission Class = "permission"
	// ClassModelNotFound: 404 or an invalid_model error: an unknown or retired model.
	ClassModelNotFound Class = "model_not_found"
	// ClassInvalidRequest: 400 and 422, a request the API rejects.
	ClassInvalidRequest Class = "invalid_request"
	// ClassOther: an error that fits none of the above.
	ClassOther Class = "other"
)

// Classes lists every class but ClassNone, in a stable order.
var Classes = []Class{
	ClassRateLimit, ClassQuotaExhausted, ClassProviderCapacity, ClassServerError,
	ClassTimeout, ClassTransport, ClassAuthentication, ClassPermission,
	ClassModelNotFound, ClassInvalidRequest, ClassOther,
}

// Retryable reports whether the same call may succeed if retried later.
func (c Class) Retryable() bool {
	switch c {
	case ClassRateLimit, ClassProviderCapacity, ClassServerError, ClassTimeout, ClassTransport:
		return true
	}
	return false
}

// Fallback reports whether the failure is worth falling back to another
// provider or model: capacity and infrastructure errors (429, 500, 503,
// timeouts, broken connections, an exhausted quota) are; configuration
// errors (400, 401, 403, 404, 422) are not, they need the request fixed.
func (c Class) Fallback() bool {
	switch c {
	case ClassRateLimit, ClassQuotaExhausted, ClassProviderCapacity, ClassServerError, ClassTimeout, ClassTransport:
		return true
	}
	return false
}

// Limit names the rate limit a 429 hit.
type Limit string

// Limits of a Mistral workspace.
const (
	LimitNone              Limit = ""
	LimitRequestsPerMinute Limit = "requests_per_minute"
	LimitTokensPerMinute   Limit = "tokens_per_minute"
	LimitTokensPerMonth    Limit = "tokens_per_month"
)

// Limits lists every limit but LimitNone.
var Limits = []Limit{LimitRequestsPerMinute, LimitTokensPerMinute, LimitTokensPerMonth}
