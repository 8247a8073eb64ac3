package llmenrichprocessor

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestJSONTopString(t *testing.T) {
	for in, want := range map[string]string{
		// OpenInference's Python instrumentations (json.dumps) and JavaScript ones (JSON.stringify).
		`{"model": "mistral-small-latest", "max_tokens": 16}`: "mistral-small-latest",
		`{"max_tokens":16,"model":"mistral-large-latest"}`:    "mistral-large-latest",
		`{"temperature": 0.2, "stop": ["\n", "}"], "response_format": {"type": "json_object", "model": "x"}, "model": "codestral-latest"}`: "codestral-latest",
		` { "model" : "ministral-8b-latest" } `: "ministral-8b-latest",
		`{"tools": [{"model": "nested"}]}`:      "",
		`{"model": 42}`:                         "",
		`{"model": "a\"b"}`:                     "",
		`["model", "x"]`:                        "",
		`{"model"`:                              "",
		`{"a": "unterminated}`:                  "",
		``:                                      "",
		`not json`:                              "",
	} {
		assert.Equal(t, want, jsonTopString(in, "model"), in)
	}
}

// FuzzJSONTopString: never a panic; a model found is the one encoding/json
// reads from the same object (when the object is valid JSON without
// duplicate "model" keys).
func FuzzJSONTopString(f *testing.F) {
	for _, s := range []string{`{"model": "mistral-small-latest", "max_tokens": 16}`, `{"a":[1,{"b":"}"}],"model":"m"}`, `{"model":"\u0041"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := jsonTopString(s, "model")
		if got == "" {
			return
		}
		if !strings.Contains(s, got) || strings.ContainsAny(got, "\"\\") {
			t.Fatalf("%q: %q is not a plain substring", s, got)
		}
		var m map[string]json.RawMessage
		// encoding/json replaces invalid UTF-8; the lookup uses the bytes as sent.
		if json.Unmarshal([]byte(s), &m) != nil || strings.Count(s, `"model"`) != 1 || !utf8.ValidString(got) {
			return
		}
		var want string
		if json.Unmarshal(m["model"], &want) == nil && want != got {
			t.Fatalf("%q: got %q, encoding/json reads %q", s, got, want)
		}
	})
}

func TestErrorTypeStatus(t *testing.T) {
	for in, want := range map[string]int{"429": 429, "503": 503, "401": 401, "200": 0, "4291": 0, "42a": 0, "": 0, "rate_limited": 0} {
		assert.Equal(t, want, errorTypeStatus(in), in)
	}
}
