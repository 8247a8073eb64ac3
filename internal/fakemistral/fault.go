package fakemistral

import (
	"encoding/json"
	"fmt"
	"time"
)

// FaultMode is a way the API can misbehave.
type FaultMode string

// Fault modes. Each applies to every /v1/* request on the API listener (or to
// every Every-th one) until the fault is changed, before authentication.
const (
	// FaultNone answers normally (Fault.Latency still applies).
	FaultNone FaultMode = ""
	// Fault429Code1300: 429 {"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300"}
	// with the rate-limit headers and x-ratelimit-remaining-req-minute: 0.
	Fault429Code1300 FaultMode = "rate_limit_1300"
	// Fault429Bare: 429 {"message":"Requests rate limit exceeded"} without rate-limit headers.
	Fault429Bare FaultMode = "rate_limit_bare"
	// Fault429ZeroAllowance: 429 (code 1300 body) with x-ratelimit-limit-req-minute: 0
	// and x-ratelimit-remaining-req-minute: 0, whatever the header names in use.
	Fault429ZeroAllowance FaultMode = "zero_allowance"
	// Fault429TokensMonth: 429 (code 1300 body) with the remaining monthly tokens at 0.
	Fault429TokensMonth FaultMode = "tokens_month"
	// Fault503Capacity: 503 {"object":"error","message":"Service tier capacity exceeded for this model.","type":"invalid_request_error","param":null,"code":null}.
	Fault503Capacity FaultMode = "capacity_503"
	// Fault500: 500 {"object":"error","message":"Internal server error","type":"server_error","param":null,"code":null}.
	Fault500 FaultMode = "server_error_500"
	// Fault401: 401 {"detail":"Unauthorized"}.
	Fault401 FaultMode = "unauthorized_401"
	// Fault403: 403 {"detail":"Forbidden"}.
	Fault403 FaultMode = "forbidden_403"
	// Fault400: 400 {"object":"error","message":"Unexpected role 'tool' after role 'system'","type":"invalid_request_message_order","param":null,"code":"3230","raw_status_code":400}.
	Fault400 FaultMode = "bad_request_400"
	// Fault404Model: 404 {"object":"error","message":"Invalid model: <model>","type":"invalid_model","param":null,"code":"1500"}.
	Fault404Model FaultMode = "model_not_found_404"
	// Fault422: 422 {"detail":[{"type":"extra_forbidden","loc":["body","seed"],"msg":"Extra inputs are not permitted"}]}.
	Fault422 FaultMode = "validation_422"
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
		Fault503Capacity, Fault500, Fault401, Fault403, Fault400, Fault404Model, Fault422,
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
