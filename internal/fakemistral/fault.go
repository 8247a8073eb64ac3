package fakemistral

import (
	"encoding/json"
	"fmt"
	"time"
)

// FaultMode is a way the API can misbehave.
type FaultMode string

// Fault modes. Each applies to every /v1/* request on the API listener (or to
// every Every-th one) until the fault is changed, before authentication;
// Fault429ZeroAllowance spares the model catalogue.
const (
	// FaultNone answers normally (Fault.Latency still applies).
	FaultNone FaultMode = ""
	// Fault429Code1300: 429 with the code 1300 body (BodyRateLimit) and only
	// the request pair, x-ratelimit-remaining-req-*: 0 (the legacy names,
	// which have no request pair: ratelimitbysize-remaining: 0).
	Fault429Code1300 FaultMode = "rate_limit_1300"
	// Fault429Bare: 429 {"message":"Requests rate limit exceeded"} without rate-limit headers.
	Fault429Bare FaultMode = "rate_limit_bare"
	// Fault429ZeroAllowance: 429 (code 1300 body) with a request limit of 0
	// and remaining 0 for the model, whatever the header names in use, on
	// the calls that ask a model (chat, embeddings). GET /v1/models and
	// /v1/models/{id} answer normally: a key without allowance still lists
	// the catalogue (cmd/fakemistral/README.md gives the source).
	Fault429ZeroAllowance FaultMode = "zero_allowance"
	// Fault429TokensMonth: 429 (code 1300 body) with the remaining monthly tokens at 0.
	Fault429TokensMonth FaultMode = "tokens_month"
	// Fault429Capacity: 429 service_tier_capacity_exceeded, code 3505
	// (BodyCapacityTier), no rate-limit headers: the provider's capacity.
	Fault429Capacity FaultMode = "capacity_429"
	// Fault429CapacityBackend: 429 backend_out_of_capacity, code 3505 (BodyCapacityBackend).
	Fault429CapacityBackend FaultMode = "capacity_429_backend"
	// Fault503Capacity: 503 with the capacity message (BodyCapacity).
	Fault503Capacity FaultMode = "capacity_503"
	// Fault500: 500 internal_server_error, code 1000 (BodyServerError).
	Fault500 FaultMode = "server_error_500"
	// Fault401: 401 {"detail":"Unauthorized"}.
	Fault401 FaultMode = "unauthorized_401"
	// Fault401InvalidKey: 401 {"detail":"Invalid API Key"}.
	Fault401InvalidKey FaultMode = "invalid_key_401"
	// Fault402Budget: 402 billing_api_budget_exhausted, code 2303.
	Fault402Budget FaultMode = "budget_402"
	// Fault402SpendingLimit: 402 billing_customer_monthly_spending_limit_reached, code 2300.
	Fault402SpendingLimit FaultMode = "spending_limit_402"
	// Fault403: 403 {"detail":"Forbidden"}.
	Fault403 FaultMode = "forbidden_403"
	// Fault403Tier: 403 tier_not_allowed, code 1910.
	Fault403Tier FaultMode = "tier_not_allowed_403"
	// Fault403Guardrail: 403 guardrail_violation, code 1920.
	Fault403Guardrail FaultMode = "guardrail_403"
	// Fault403Labs: 403 for a Labs model the workspace has not enabled, code 1913.
	Fault403Labs FaultMode = "labs_model_403"
	// Fault400: 400 invalid_request_message_order, code 3230 (BodyMessageOrder).
	Fault400 FaultMode = "bad_request_400"
	// Fault400ContextOverflow: 400 "... too large for model with N maximum context length".
	Fault400ContextOverflow FaultMode = "context_overflow_400"
	// FaultInvalidModel: 400 invalid_model, code 1500, naming the requested
	// model: an unknown or retired model.
	FaultInvalidModel FaultMode = "invalid_model_400"
	// Fault404NoRoute: the gateway's 404 {"message":"no Route matched with
	// those values"}, what a wrong path or proxy prefix gets.
	Fault404NoRoute FaultMode = "no_route_404"
	// Fault422: 422 {"detail":[{"type":"extra_forbidden","loc":["body","seed"],"msg":"Extra inputs are not permitted"}]}.
	Fault422 FaultMode = "validation_422"
	// Fault422Nested: 422 with the validation list nested in "message" (BodyValidationNested).
	Fault422Nested FaultMode = "validation_422_nested"
	// FaultHang never answers until the client gives up or the Server is closed.
	FaultHang FaultMode = "hang"
	// FaultReset writes the headers and part of the body, then resets the
	// TCP connection (RST).
	FaultReset FaultMode = "reset"
	// FaultHugeBody answers 200 application/json with a valid 64 MiB JSON
	// body, streamed from a small buffer.
	FaultHugeBody FaultMode = "huge_body"
	// FaultInvalidJSON answers 200 application/json with truncated JSON.
	FaultInvalidJSON FaultMode = "invalid_json"
	// FaultHTML answers 200 text/html with an HTML page.
	FaultHTML FaultMode = "html"
	// FaultRedirectLoop answers 302 with Location set to the request's own URL.
	FaultRedirectLoop FaultMode = "redirect_loop"
)

// FaultModes lists every mode but FaultNone.
func FaultModes() []FaultMode {
	return []FaultMode{
		Fault429Code1300, Fault429Bare, Fault429ZeroAllowance, Fault429TokensMonth,
		Fault429Capacity, Fault429CapacityBackend, Fault503Capacity, Fault500,
		Fault401, Fault401InvalidKey, Fault402Budget, Fault402SpendingLimit, Fault403, Fault403Tier, Fault403Guardrail, Fault403Labs,
		Fault400, Fault400ContextOverflow, FaultInvalidModel, Fault404NoRoute, Fault422, Fault422Nested,
		FaultHang, FaultReset, FaultHugeBody, FaultInvalidJSON, FaultHTML, FaultRedirectLoop,
	}
}

// ParseFaultMode checks a mode name; "" and "none" are FaultNone.
func ParseFaultMode(s string) (FaultMode, error) {
	if s == "" || s == "none" {
		return FaultNone, nil
	}
	for _, m := range FaultModes() {
		if string(m) == s {
			return m, nil
		}
	}
	return "", fmt.Errorf("unknown fault mode %q", s)
}

// HugeBodySize is the size of the FaultHugeBody body.
const HugeBodySize = 64 << 20

// Fault is the API's current misbehaviour. Fault{} is healthy.
type Fault struct {
	Mode FaultMode
	// Latency is added before answering (any mode, FaultNone included).
	Latency time.Duration
	// RetryAfter, for the 429 modes, sends Retry-After: N when > 0
	// (real 429s usually carry none).
	RetryAfter int
	// Every: 0 or 1 makes every request fault; N > 1 makes only every Nth
	// request since SetFault fault (mode and latency), the others are
	// answered normally without added latency.
	Every int
}

// faultJSON is Fault's JSON form: {"mode":"rate_limit_1300","latency":"2s","retry_after":0,"every":2}.
type faultJSON struct {
	Mode       FaultMode `json:"mode"`
	Latency    string    `json:"latency,omitempty"`
	RetryAfter int       `json:"retry_after"`
	Every      int       `json:"every"`
}

// MarshalJSON writes the latency as a Go duration string.
func (f Fault) MarshalJSON() ([]byte, error) {
	j := faultJSON{Mode: f.Mode, RetryAfter: f.RetryAfter, Every: f.Every}
	if f.Latency != 0 {
		j.Latency = f.Latency.String()
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads the JSON form and validates every field.
func (f *Fault) UnmarshalJSON(b []byte) error {
	var j faultJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("fault: %w", err)
	}
	mode, err := ParseFaultMode(string(j.Mode))
	if err != nil {
		return fmt.Errorf("fault: mode: %w", err)
	}
	var lat time.Duration
	if j.Latency != "" {
		lat, err = time.ParseDuration(j.Latency)
		if err != nil || lat < 0 {
			return fmt.Errorf("fault: latency %q is not a non-negative duration such as \"2s\"", j.Latency)
		}
	}
	if j.RetryAfter < 0 {
		return fmt.Errorf("fault: retry_after %d is negative", j.RetryAfter)
	}
	if j.Every < 0 {
		return fmt.Errorf("fault: every %d is negative", j.Every)
	}
	*f = Fault{Mode: mode, Latency: lat, RetryAfter: j.RetryAfter, Every: j.Every}
	return nil
}

// SetFault sets the fault of /v1/* on the API listener until changed, and
// restarts the Every count. Requests already waiting are not affected.
func (s *Server) SetFault(f Fault) {
	s.mu.Lock()
	s.fault = f
	s.faultSeq = 0
	s.mu.Unlock()
}

// CurrentFault returns the fault in force.
func (s *Server) CurrentFault() Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fault
}

// nextFault counts a /v1 request and returns the fault that applies to it,
// Fault{} when the request is not one of the Every-th.
func (s *Server) nextFault() Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faultSeq++
	f := s.fault
	if f.Every > 1 && s.faultSeq%int64(f.Every) != 0 {
		return Fault{}
	}
	return f
}
