package pricing

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"

	"github.com/otelcol-mistral/otelcol-mistral/internal/jsonraw"
)

// parseTop decodes a price file's top level, which must be a JSON object,
// into its raw members. Errors say where the JSON breaks (line and column).
func parseTop(data []byte) (map[string]json.RawMessage, error) {
	data = jsonraw.TrimBOM(data)
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, errors.New("empty file: expected a JSON object")
	}
	if !json.Valid(data) {
		var v any
		err := json.Unmarshal(data, &v)
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line, col := lineCol(data, se.Offset)
			return nil, fmt.Errorf("invalid JSON at line %d, column %d: %v", line, col, se)
		}
		return nil, fmt.Errorf("invalid JSON: %v", err)
	}
	if trimmed[0] != '{' {
		return nil, fmt.Errorf("top level must be a JSON object, got %s", jsonKind(trimmed))
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("invalid JSON: %v", err)
	}
	return top, nil
}

// lineCol turns a byte offset (1-based position after the offending byte, as
// json.SyntaxError reports it) into a 1-based line and column.
func lineCol(data []byte, offset int64) (line, col int) {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	line, col = 1, 1
	for _, c := range data[:max(offset-1, 0)] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// jsonKind names the kind of a valid raw JSON value for error messages.
func jsonKind(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		return "a number"
	}
}

// isObject is jsonraw.IsObject under this package's name for it.
func isObject(raw json.RawMessage) bool { return jsonraw.IsObject(raw) }

// isNull is jsonraw.IsNull under this package's name for it.
func isNull(raw json.RawMessage) bool { return jsonraw.IsNull(raw) }

// parseObject decodes a raw JSON object into its members.
func parseObject(raw json.RawMessage) (map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// sortedKeys returns m's keys in order, so that the first error reported for
// a file is always the same one.
func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// parsePrice reads one price field: a JSON number, non-negative, finite.
// null counts as absent (present=false). scale converts the source unit to
// USD per 1M tokens; the result is rounded to 12 significant digits and must
// not exceed MaxPricePerMillion.
func parsePrice(raw json.RawMessage, scale float64) (v float64, present bool, err error) {
	raw = bytes.TrimSpace(raw)
	if isNull(raw) {
		return 0, false, nil
	}
	if len(raw) == 0 || raw[0] == '"' || raw[0] == '{' || raw[0] == '[' || raw[0] == 't' || raw[0] == 'f' {
		return 0, false, fmt.Errorf("%s, got %s", priceRule, quoteRaw(raw))
	}
	f, perr := strconv.ParseFloat(string(raw), 64)
	if perr != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false, fmt.Errorf("%s, got %s (out of range)", priceRule, quoteRaw(raw))
	}
	if f < 0 {
		return 0, false, fmt.Errorf("%s, got %s", priceRule, quoteRaw(raw))
	}
	v = round12(f * scale)
	if !validPrice(v) {
		return 0, false, fmt.Errorf("%s, got %s", priceRuleMax, quoteRaw(raw))
	}
	return v, true, nil
}

// round12 rounds to 12 significant digits, removing the binary noise of a
// unit conversion (3e-07 × 1e6 = 0.29999999999999993 → 0.3). It maps -0 to 0.
func round12(f float64) float64 {
	if f == 0 || math.IsInf(f, 0) || math.IsNaN(f) {
		return math.Abs(f)
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 12, 64), 64)
	if err != nil {
		return f
	}
	return r
}

// quoteRaw shows a raw JSON value in an error, shortened to 40 bytes.
func quoteRaw(raw []byte) string {
	const limit = 40
	if len(raw) > limit {
		return string(raw[:limit]) + "…"
	}
	return string(raw)
}
