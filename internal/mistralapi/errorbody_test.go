package mistralapi

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseErrorBody(t *testing.T) {
	tests := []struct {
		in   string
		want ErrorBody
		ok   bool
	}{
		{`{"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300","raw_status_code":429}`,
			ErrorBody{Message: "Rate limit exceeded", Type: "rate_limited", Code: "1300", RawStatusCode: 429}, true},
		{`{"message":"Requests rate limit exceeded"}`, ErrorBody{Message: "Requests rate limit exceeded"}, true},
		{`{"detail":"Unauthorized"}`, ErrorBody{Detail: "Unauthorized"}, true},
		{`{"detail":"Invalid API Key"}`, ErrorBody{Detail: "Invalid API Key"}, true},
		{`{"object":"error","message":{"detail":[{"type":"extra_forbidden","loc":["body","seed"],"msg":"Extra inputs are not permitted"}]},"type":"invalid_request_error","param":null,"code":null,"raw_status_code":422}`,
			ErrorBody{Type: "invalid_request_error", RawStatusCode: 422, Detail: "Extra inputs are not permitted", Validation: true}, true},
		{`{"detail":[{"type":"missing","loc":["body","model"],"msg":"Field required"}]}`, ErrorBody{Detail: "Field required", Validation: true}, true},
		{`{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}`,
			ErrorBody{Message: "Rate limit reached", Type: "requests", Code: "rate_limit_exceeded"}, true},
		{`{"code":null,"message":null}`, ErrorBody{}, false},
		{`{"raw_status_code":99999}`, ErrorBody{}, false},
		{`[1,2]`, ErrorBody{}, false},
		{`<html>`, ErrorBody{}, false},
		{``, ErrorBody{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseErrorBody([]byte(tt.in))
		assert.Equal(t, tt.ok, ok, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
}

func TestParseErrorMessage(t *testing.T) {
	tests := []struct {
		in     string
		status int
		body   string
	}{
		{`API error occurred: Status 429 Content-Type application/json Body {"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300"}`,
			429, `{"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300"}`},
		{`API error occurred: Status 503. Body: {"message":"x"}`, 503, `{"message":"x"}`},
		{`Error code: 429 - {'error': {'message': 'x'}}`, 429, ``},
		{`Error code: 401 - {"detail":"Unauthorized"}`, 401, `{"detail":"Unauthorized"}`},
		{`429 status code (no body)`, 429, ``},
		{`Request failed with status code 503`, 503, ``},
		{`Status 4290 is not a status`, 0, ``},
		{`status 99`, 0, ``},
		{`Rate limit exceeded`, 0, ``},
		{`{"detail":"Unauthorized"} }`, 0, ``},
		{``, 0, ``},
	}
	for _, tt := range tests {
		got := ParseErrorMessage(tt.in)
		assert.Equal(t, tt.status, got.StatusCode, tt.in)
		assert.Equal(t, tt.body, string(got.Body), tt.in)
	}
}

func FuzzParseErrorBody(f *testing.F) {
	for _, s := range []string{
		`{"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300"}`,
		`{"message":"Requests rate limit exceeded"}`, `{"detail":"Unauthorized"}`,
		`{"detail":[{"type":"extra_forbidden","loc":["body","seed"],"msg":"Extra inputs are not permitted"}]}`,
		`{"error":{"error":{"code":1300}}}`, `{"code":1e400}`, `{"raw_status_code":"429"}`,
		`{"object":"error","message":{"detail":[{"type":"extra_forbidden","loc":["body","seed"],"msg":"x"}]},"raw_status_code":422}`,
		`{"message":{"detail":"x"}}`, `{"message":{"detail":[1]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		e, ok := ParseErrorBody(b)
		if !ok && e != (ErrorBody{}) {
			t.Fatalf("not ok but %+v", e)
		}
		if e.RawStatusCode != 0 && (e.RawStatusCode < 100 || e.RawStatusCode > 599) {
			t.Fatalf("raw status %d", e.RawStatusCode)
		}
		c := Classify(Evidence{Body: e, HasBody: ok})
		if c.Class == ClassNone {
			t.Fatal("Classify returned no class")
		}
	})
}

func FuzzParseErrorMessage(f *testing.F) {
	for _, s := range []string{
		`API error occurred: Status 429 Content-Type application/json Body {"object":"error","code":"1300"}`,
		`429 status code (no body)`, `Error code: 503 - {"error":{}}`, `status: 4`, `http 5`, `{`, `}{`,
		"API error occurred: Status 429\n{\"type\":\"service_tier_capacity_exceeded\",\"code\":\"3505\"}",
		`API error occurred: Status 422. Body: {"object":"error","message":{"detail":[{"msg":"x"}]},"raw_status_code":422}`,
		"API error occurred: Status 404.\nBody: {\"message\":\"no Route matched with those values\"}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := ParseErrorMessage(s)
		if m.StatusCode != 0 && (m.StatusCode < 100 || m.StatusCode > 599) {
			t.Fatalf("status %d from %q", m.StatusCode, s)
		}
		if Classify(Evidence{StatusCode: m.StatusCode, Message: s}).Class == ClassNone {
			t.Fatal("Classify returned no class")
		}
	})
}

// jsonText reads plain strings and integers without decoding them; the
// result must be exactly what encoding/json gives.
func FuzzJSONText(f *testing.F) {
	for _, s := range []string{`"1300"`, `1300`, `"a\"b"`, `"\u00e9t\u00e9"`, "\"\xff\"", `-1`, `1e3`, `1.5`, `null`, `""`, `"`, `0`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if !json.Valid(b) {
			return
		}
		want := ""
		switch b[0] {
		case '"':
			var s string
			if json.Unmarshal(b, &s) == nil {
				want = s
			}
		case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			var n json.Number
			if json.Unmarshal(b, &n) == nil {
				want = n.String()
			}
		}
		if got := jsonText(b); got != want {
			t.Fatalf("jsonText(%q) = %q, encoding/json says %q", b, got, want)
		}
	})
}
