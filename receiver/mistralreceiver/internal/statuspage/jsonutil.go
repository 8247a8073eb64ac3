package statuspage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/otelcol-mistral/otelcol-mistral/internal/jsonraw"
)

// flexString decodes a JSON string, number or boolean as text; null and
// other kinds leave it empty. Pages disagree on whether identifiers are
// strings or numbers.
type flexString string

// UnmarshalJSON implements json.Unmarshaler.
func (s *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = flexString(v)
	case 't', 'f':
		*s = flexString(b)
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		if _, err := strconv.ParseFloat(string(b), 64); err != nil {
			return fmt.Errorf("invalid number %q", b)
		}
		*s = flexString(b)
	}
	return nil
}

// named decodes either a plain string or an object with a name (or title,
// slug) and an optional status, as pages list affected components both ways.
type named struct {
	Name      string
	Status    string
	OldStatus string
}

// UnmarshalJSON implements json.Unmarshaler.
func (n *named) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '"':
		return json.Unmarshal(b, &n.Name)
	case '{':
		var o struct {
			Name      flexString `json:"name"`
			Title     flexString `json:"title"`
			Slug      flexString `json:"slug"`
			Status    flexString `json:"status"`
			NewStatus flexString `json:"new_status"`
			OldStatus flexString `json:"old_status"`
		}
		if err := json.Unmarshal(b, &o); err != nil {
			return err
		}
		n.Name = firstNonEmpty(string(o.Name), string(o.Title), string(o.Slug))
		n.Status = firstNonEmpty(string(o.NewStatus), string(o.Status))
		n.OldStatus = strings.TrimSpace(string(o.OldStatus))
	}
	return nil
}

// firstNonEmpty returns the first argument that is not blank, trimmed.
func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

// errWrongShape is wrapped by parse errors for well-formed JSON that is not
// the document expected.
var errWrongShape = errors.New("wrong document shape")

// decodeJSON unmarshals b into v, rejecting an empty body. A UTF-8 byte
// order mark, which some servers prepend, is skipped.
func decodeJSON(b []byte, v any) error {
	b = jsonraw.TrimBOM(b)
	if len(bytes.TrimSpace(b)) == 0 {
		return errors.New("empty body")
	}
	if err := json.Unmarshal(b, v); err != nil {
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) {
			return fmt.Errorf("%w: %v", errWrongShape, err)
		}
		return fmt.Errorf("invalid JSON: %w", err)
	}
	return nil
}
