package genaispans // import "github.com/otelcol-mistral/otelcol-mistral/internal/genaispans"

import "github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"

// Scenario is one way a call to La Plateforme fails, as the wire shows it.
type Scenario struct {
	Name string
	// Status is the HTTP status, 0 when no response came (timeout, reset).
	Status int
	// Body is the JSON error body, "" when none.
	Body string
	// Message is the error's human message: the body's message, or the
	// transport error's text.
	Message string
	// Headers are the rate-limit response headers (lower-case names).
	Headers map[string]string
	// TransportType is the client library's error class for failures
	// without a response, per runtime.
	PythonType, NodeType string

	// Class and Limit are the verdict on the full evidence (status, body,
	// headers); the verdict on a dialect's partial evidence may differ.
	Class mistralapi.Class
	Limit mistralapi.Limit
}

const body1300 = `{"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300","raw_status_code":429}`

// The failure scenarios, from Mistral's real responses (2026).
var (
	// ScenarioRateLimited: 429 code 1300, tokens-per-minute budget spent.
	ScenarioRateLimited = Scenario{
		Name: "rate_limited_1300", Status: 429, Body: body1300, Message: "Rate limit exceeded",
		Headers: map[string]string{
			mistralapi.HeaderLimitTokensMinute: "500000", mistralapi.HeaderRemainingTokensMinute: "0",
			mistralapi.HeaderQueryCost: "1834",
		},
		Class: mistralapi.ClassRateLimit, Limit: mistralapi.LimitTokensPerMinute,
	}
	// ScenarioBareRateLimit: the bare {"message":"Requests rate limit exceeded"}.
	ScenarioBareRateLimit = Scenario{
		Name: "bare_requests_rate_limit", Status: 429, Body: `{"message":"Requests rate limit exceeded"}`,
		Message: "Requests rate limit exceeded",
		Class:   mistralapi.ClassRateLimit, Limit: mistralapi.LimitRequestsPerMinute,
	}
	// ScenarioZeroAllowance: a 429 with x-ratelimit-limit-req-minute: 0, a key without allowance.
	ScenarioZeroAllowance = Scenario{
		Name: "zero_allowance", Status: 429, Body: body1300, Message: "Rate limit exceeded",
		Headers: map[string]string{mistralapi.HeaderLimitReqMinute: "0", mistralapi.HeaderRemainingReqMinute: "0"},
		Class:   mistralapi.ClassQuotaExhausted, Limit: mistralapi.LimitRequestsPerMinute,
	}
	// ScenarioMonthlyQuota: the monthly token budget is spent.
	ScenarioMonthlyQuota = Scenario{
		Name: "monthly_quota", Status: 429, Body: body1300, Message: "Rate limit exceeded",
		Headers: map[string]string{
			mistralapi.HeaderLimitTokensMonth: "1000000000", mistralapi.HeaderRemainingTokensMonth: "0",
		},
		Class: mistralapi.ClassQuotaExhausted, Limit: mistralapi.LimitTokensPerMonth,
	}
	// ScenarioCapacity: 503 "Service tier capacity exceeded for this model."
	ScenarioCapacity = Scenario{
		Name: "capacity_503", Status: 503,
		Body:    `{"object":"error","message":"Service tier capacity exceeded for this model.","type":"invalid_request_error","param":null,"code":null}`,
		Message: "Service tier capacity exceeded for this model.",
		Class:   mistralapi.ClassProviderCapacity,
	}
	// ScenarioUnauthorized: 401 {"detail":"Unauthorized"}.
	ScenarioUnauthorized = Scenario{
		Name: "unauthorized_401", Status: 401, Body: `{"detail":"Unauthorized"}`, Message: "Unauthorized",
		Class: mistralapi.ClassAuthentication,
	}
	// ScenarioInvalidModel: 404 invalid_model for a retired snapshot.
	ScenarioInvalidModel = Scenario{
		Name: "invalid_model_404", Status: 404,
		Body:    `{"object":"error","message":"Invalid model: mistral-small-2402","type":"invalid_model","param":null,"code":"1500"}`,
		Message: "Invalid model: mistral-small-2402",
		Class:   mistralapi.ClassModelNotFound,
	}
	// ScenarioValidation: 422 for a field Mistral's schema rejects (OpenAI's seed).
	ScenarioValidation = Scenario{
		Name: "validation_422", Status: 422,
		Body:    `{"detail":[{"type":"extra_forbidden","loc":["body","seed"],"msg":"Extra inputs are not permitted","input":42}]}`,
		Message: "Unprocessable Entity",
		Class:   mistralapi.ClassInvalidRequest,
	}
	// ScenarioBadRequest: 400 with Mistral's message-order error, code 3230.
	ScenarioBadRequest = Scenario{
		Name: "message_order_400", Status: 400,
		Body:    `{"object":"error","message":"Unexpected role 'tool' after role 'system'","type":"invalid_request_message_order","param":null,"code":"3230","raw_status_code":400}`,
		Message: "Unexpected role 'tool' after role 'system'",
		Class:   mistralapi.ClassInvalidRequest,
	}
	// ScenarioServerError: 500.
	ScenarioServerError = Scenario{
		Name: "server_error_500", Status: 500,
		Body:    `{"object":"error","message":"Internal server error","type":"server_error","param":null,"code":null}`,
		Message: "Internal server error",
		Class:   mistralapi.ClassServerError,
	}
	// ScenarioTimeout: the client gave up waiting (no response).
	ScenarioTimeout = Scenario{
		Name: "timeout", Message: "The read operation timed out",
		PythonType: "ReadTimeout", NodeType: "TimeoutError",
		Class: mistralapi.ClassTimeout,
	}
	// ScenarioConnectionReset: the connection broke (no response).
	ScenarioConnectionReset = Scenario{
		Name: "connection_reset", Message: "read ECONNRESET",
		PythonType: "RemoteProtocolError", NodeType: "ECONNRESET",
		Class: mistralapi.ClassTransport,
	}
)

// Scenarios lists every scenario, 429s first (they are the most frequent
// failures in the generated batches).
var Scenarios = []Scenario{
	ScenarioRateLimited, ScenarioBareRateLimit, ScenarioZeroAllowance, ScenarioMonthlyQuota,
	ScenarioCapacity, ScenarioUnauthorized, ScenarioInvalidModel, ScenarioValidation,
	ScenarioBadRequest, ScenarioServerError, ScenarioTimeout, ScenarioConnectionReset,
}

// FullEvidence is everything the wire showed for the scenario.
func (s Scenario) FullEvidence() mistralapi.Evidence {
	ev := mistralapi.Evidence{StatusCode: s.Status, Message: s.Message}
	if s.Body != "" {
		ev.Body, ev.HasBody = mistralapi.ParseErrorBody([]byte(s.Body))
	}
	if len(s.Headers) > 0 {
		ev.RateLimit = mistralapi.ParseRateLimit(s.header, refTime)
	}
	return ev
}

func (s Scenario) header(name string) (string, bool) {
	v, ok := s.Headers[name]
	return v, ok
}
