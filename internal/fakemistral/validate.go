package fakemistral

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// validationError is one entry of a 422 {"detail":[...]} list.
type validationError struct {
	Type string `json:"type"`
	Loc  []any  `json:"loc"`
	Msg  string `json:"msg"`
}

type validationBody struct {
	Detail []validationError `json:"detail"`
}

// field is a top-level member of a JSON request body, in document order.
type field struct {
	name  string
	value json.RawMessage
}

// maxBody bounds a request body.
const maxBody = 10 << 20

// readObject reads a request body that must be one JSON object and returns
// its members in order, or the 422 entry describing why it is not one.
func readObject(body io.Reader) ([]field, *validationError) {
	b, err := io.ReadAll(io.LimitReader(body, maxBody+1))
	if err != nil || len(b) > maxBody {
		return nil, &validationError{Type: "json_invalid", Loc: []any{"body", 0}, Msg: "JSON decode error"}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, &validationError{Type: "json_invalid", Loc: []any{"body", 0}, Msg: "JSON decode error"}
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, &validationError{Type: "model_attributes_type", Loc: []any{"body"},
			Msg: "Input should be a valid dictionary or object to extract fields from"}
	}
	var out []field
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, jsonInvalid(dec)
		}
		name, _ := kt.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, jsonInvalid(dec)
		}
		out = append(out, field{name: name, value: v})
	}
	if _, err := dec.Token(); err != nil {
		return nil, jsonInvalid(dec)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, jsonInvalid(dec)
	}
	return out, nil
}

func jsonInvalid(dec *json.Decoder) *validationError {
	return &validationError{Type: "json_invalid", Loc: []any{"body", dec.InputOffset()}, Msg: "JSON decode error"}
}

// checker accumulates 422 entries for one request body.
type checker struct {
	errs []validationError
}

func (c *checker) add(typ, msg string, loc ...any) {
	c.errs = append(c.errs, validationError{Type: typ, Loc: append([]any{"body"}, loc...), Msg: msg})
}

// fields indexes the members by name, reporting unknown ones as extra_forbidden.
func (c *checker) fields(fs []field, allowed map[string]bool) map[string]json.RawMessage {
	m := map[string]json.RawMessage{}
	for _, f := range fs {
		if !allowed[f.name] {
			c.add("extra_forbidden", "Extra inputs are not permitted", f.name)
			continue
		}
		m[f.name] = f.value
	}
	return m
}

func isNull(v json.RawMessage) bool { return len(v) == 0 || string(v) == "null" }

func (c *checker) str(m map[string]json.RawMessage, name string, required bool) string {
	v, ok := m[name]
	if !ok || (required && isNull(v)) {
		if required {
			c.add("missing", "Field required", name)
		}
		return ""
	}
	if isNull(v) {
		return ""
	}
	var s string
	if json.Unmarshal(v, &s) != nil {
		c.add("string_type", "Input should be a valid string", name)
	}
	return s
}

func (c *checker) boolean(m map[string]json.RawMessage, name string) bool {
	v, ok := m[name]
	if !ok || isNull(v) {
		return false
	}
	var b bool
	if json.Unmarshal(v, &b) != nil {
		c.add("bool_type", "Input should be a valid boolean", name)
	}
	return b
}

// integer returns -1 when the member is absent or null.
func (c *checker) integer(m map[string]json.RawMessage, name string) int64 {
	v, ok := m[name]
	if !ok || isNull(v) {
		return -1
	}
	var n int64
	if json.Unmarshal(v, &n) != nil {
		c.add("int_type", "Input should be a valid integer", name)
		return -1
	}
	if n < 0 {
		c.add("greater_than_equal", "Input should be greater than or equal to 0", name)
		return -1
	}
	return n
}

func (c *checker) body() []byte {
	b, _ := json.Marshal(validationBody{Detail: c.errs})
	return b
}

// textLen counts the characters of a message content: a string, or an array
// of chunks whose "text" members count.
func textLen(content json.RawMessage) (int, error) {
	if isNull(content) {
		return 0, nil
	}
	var s string
	if err := json.Unmarshal(content, &s); err == nil {
		return len([]rune(s)), nil
	}
	var chunks []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if err := json.Unmarshal(content, &chunks); err != nil {
		return 0, fmt.Errorf("content is neither a string nor a list of chunks")
	}
	n := 0
	for _, ch := range chunks {
		n += len([]rune(ch.Text))
	}
	return n, nil
}
