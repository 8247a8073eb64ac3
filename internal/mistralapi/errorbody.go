package mistralapi // import "github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ErrorBody is an error body of La Plateforme, in any of the shapes it returns:
// the documented {"object":"error","message","type","param","code"}, the bare
// {"message":"..."}, {"detail":"Unauthorized"}, 422's {"detail":[{...}]} and
// the current 422 that nests it: {"object":"error","message":{"detail":[...]},...}.
type ErrorBody struct {
	Message string
	Type    string
	// Code is Mistral's error code ("1300"), whether sent as a string or a number.
	Code string
	// RawStatusCode is "raw_status_code" when the body carries it.
	RawStatusCode int
	// Detail is "detail" when it is a string, or the first "msg" of a 422 list.
	Detail string
	// Validation is true for a 422 {"detail":[...]} list.
	Validation bool
}

type rawErrorBody struct {
	Object        string          `json:"object"`
	Message       json.RawMessage `json:"message"`
	Type          *string         `json:"type"`
	Code          json.RawMessage `json:"code"`
	RawStatusCode json.RawMessage `json:"raw_status_code"`
	Detail        json.RawMessage `json:"detail"`
	Error         json.RawMessage `json:"error"`
}

// ParseErrorBody reads an error body. ok is false when b is not a JSON object
// with at least one of the fields above.
func ParseErrorBody(b []byte) (ErrorBody, bool) {
	var raw rawErrorBody
	if err := json.Unmarshal(b, &raw); err != nil {
		return ErrorBody{}, false
	}
	// OpenAI-compatible servers nest the error: {"error":{...}}.
	if len(raw.Error) > 0 && raw.Error[0] == '{' {
		if inner, ok := ParseErrorBody(raw.Error); ok {
			return inner, true
		}
	}
	var e ErrorBody
	e.Message = jsonText(raw.Message)
	if len(raw.Message) > 0 && raw.Message[0] == '{' {
		// A 422 nests the validation list in "message".
		var inner struct {
			Detail json.RawMessage `json:"detail"`
		}
		if json.Unmarshal(raw.Message, &inner) == nil && len(raw.Detail) == 0 {
			raw.Detail = inner.Detail
		}
	}
	if raw.Type != nil {
		e.Type = *raw.Type
	}
	e.Code = jsonText(raw.Code)
	if n, err := strconv.Atoi(jsonText(raw.RawStatusCode)); err == nil && n >= 100 && n <= 599 {
		e.RawStatusCode = n
	}
	if len(raw.Detail) > 0 {
		switch raw.Detail[0] {
		case '"':
			e.Detail = jsonText(raw.Detail)
		case '[':
			e.Validation = true
			var list []struct {
				Msg string `json:"msg"`
			}
			if json.Unmarshal(raw.Detail, &list) == nil && len(list) > 0 {
				e.Detail = list[0].Msg
			}
		}
	}
	if e == (ErrorBody{}) {
		return ErrorBody{}, false
	}
	return e, true
}

// jsonText returns a JSON string's text, a number's digits, or "" for null,
// absent and anything else. A string without escapes and a plain integer,
// nearly every field of an error body, are read without decoding.
func jsonText(r json.RawMessage) string {
	if len(r) == 0 {
		return ""
	}
	switch r[0] {
	case '"':
		if len(r) >= 2 && r[len(r)-1] == '"' {
			if inner := r[1 : len(r)-1]; bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
				return string(inner)
			}
		}
		var s string
		if json.Unmarshal(r, &s) == nil {
			return s
		}
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		if isDigits(r) {
			return string(r)
		}
		var n json.Number
		if json.Unmarshal(r, &n) == nil {
			return n.String()
		}
	}
	return ""
}

func isDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// ErrorMessage is what an SDK's exception message or a span's status message
// says about the HTTP exchange behind it.
type ErrorMessage struct {
	// StatusCode is the HTTP status the message names, 0 when none.
	StatusCode int
	// Body is the JSON error body embedded in the message, nil when none.
	Body []byte
}

// ParseErrorMessage finds the HTTP status and the JSON body inside an SDK's
// error message, in the shapes SDKs write them:
//
//	API error occurred: Status 429 Content-Type application/json Body {"object":"error",...}   (TypeScript SDK <= 1.9)
//	API error occurred: Status 429\n{"object":"error",...}                                      (Python SDK 1.0-1.9.10)
//	API error occurred: Status 429. Body: {"message":"..."}                                     (Python >= 1.9.11, 2.x; TypeScript >= 1.10)
//	API error occurred: Status 429.\nBody: {...}                                                (TypeScript, long bodies)
//	API error occurred: Status 429 Content-Type "text/plain". Body: {...}                       (Python, other content types)
//	API error occurred: {"detail":[...]}                                                        (TypeScript HTTPValidationError)
//	{"detail":[...]}                                                                            (Python HTTPValidationError)
//	Error code: 429 - {"error":{...}}                                                           (openai Python)
//	429 status code (no body)                                                                   (openai Node)
//	Request failed with status code 503                                                         (axios)
func ParseErrorMessage(msg string) ErrorMessage {
	var m ErrorMessage
	m.StatusCode = findStatus(msg)
	if i := strings.IndexByte(msg, '{'); i >= 0 {
		if j := strings.LastIndexByte(msg, '}'); j > i {
			body := msg[i : j+1]
			if json.Valid([]byte(body)) {
				m.Body = []byte(body)
			}
		}
	}
	return m
}

// statusMarkers precede an HTTP status code in SDK messages, lower case.
var statusMarkers = [][]byte{[]byte("status code "), []byte("status code: "), []byte("status: "), []byte("status "), []byte("error code: "), []byte("http ")}

// lowerBufSize is the longest message findStatus lower-cases on the stack;
// longer ones (rare: error bodies are short) are lower-cased on the heap.
const lowerBufSize = 1024

func findStatus(msg string) int {
	var buf [lowerBufSize]byte
	var lower []byte
	if len(msg) <= len(buf) {
		lower = buf[:len(msg)]
		for i := 0; i < len(msg); i++ {
			c := msg[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			lower[i] = c
		}
	} else {
		lower = []byte(strings.ToLower(msg))
	}
	for _, mk := range statusMarkers {
		for off := 0; ; {
			i := bytes.Index(lower[off:], mk)
			if i < 0 {
				break
			}
			at := off + i + len(mk)
			if n := statusAt(lower, at); n != 0 {
				return n
			}
			off = at
		}
	}
	// "429 status code (no body)", "429 Too Many Requests" at the start.
	if n := statusAt(lower, 0); n != 0 && (len(lower) == 3 || lower[3] == ' ') {
		return n
	}
	return 0
}

// statusAt reads exactly three digits 100..599 at s[i:], not followed by a digit.
func statusAt(s []byte, i int) int {
	if i+3 > len(s) {
		return 0
	}
	n := 0
	for k := i; k < i+3; k++ {
		c := s[k]
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	if i+3 < len(s) && s[i+3] >= '0' && s[i+3] <= '9' {
		return 0
	}
	if n < 100 || n > 599 {
		return 0
	}
	return n
}
