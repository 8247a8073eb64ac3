package mistralapi // import "github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"

// Class is the kind of failure of a call to an LLM provider.
type Class string

// Classes shared by the processor (on spans) and the receiver (on probes).
const (
	// ClassNone: the call succeeded.
	ClassNone Class = ""
	// ClassRateLimit: the caller's transient rate limit (429 code 1300), for
	// a window of seconds or minutes.
	ClassRateLimit Class = "rate_limit"
	// ClassQuotaExhausted: the monthly budget is spent, the key has no
	// allowance at all for the model (a request limit of 0), or the billing
	// budget is exhausted (402). Not transient.
	ClassQuotaExhausted Class = "quota_exhausted"
	// ClassProviderCapacity: the provider is out of capacity, not the
	// caller's limit: Mistral's 429 service_tier_capacity_exceeded or
	// backend_out_of_capacity (code 3505), a 503.
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
	// ClassModelNotFound: an unknown or retired model (Mistral's 400
	// invalid_model, code 1500; another provider's 404 naming a model).
	ClassModelNotFound Class = "model_not_found"
	// ClassEndpointNotFound: 404 from the gateway ("no Route matched with
	// those values"): a wrong path or proxy prefix, not a model.
	ClassEndpointNotFound Class = "endpoint_not_found"
	// ClassInvalidRequest: 400 and 422, a request the API rejects.
	ClassInvalidRequest Class = "invalid_request"
	// ClassOther: an error that fits none of the above.
	ClassOther Class = "other"
)

// Classes lists every class but ClassNone, in a stable order.
var Classes = [...]Class{
	ClassRateLimit, ClassQuotaExhausted, ClassProviderCapacity, ClassServerError,
	ClassTimeout, ClassTransport, ClassAuthentication, ClassPermission,
	ClassModelNotFound, ClassEndpointNotFound, ClassInvalidRequest, ClassOther,
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

// Limits a 429 can name. La Plateforme's request and token windows vary
// (10 s, 60 s, a minute, 5 minutes): requests_per_minute and
// tokens_per_minute stand for any window shorter than a month.
const (
	LimitNone              Limit = ""
	LimitRequestsPerMinute Limit = "requests_per_minute"
	LimitTokensPerMinute   Limit = "tokens_per_minute"
	LimitTokensPerMonth    Limit = "tokens_per_month"
)

// Limits lists every limit but LimitNone.
var Limits = []Limit{LimitRequestsPerMinute, LimitTokensPerMinute, LimitTokensPerMonth}
