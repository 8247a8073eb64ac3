// Package jsonraw holds the checks on raw JSON that the status page parsers
// and the price file loader share.
package jsonraw // import "github.com/otelcol-mistral/otelcol-mistral/internal/jsonraw"

import (
	"bytes"
	"encoding/json"
)

// bom is the UTF-8 byte order mark some editors and servers prepend.
var bom = []byte("\xef\xbb\xbf")

// TrimBOM returns b without a leading UTF-8 byte order mark, which
// encoding/json rejects.
func TrimBOM(b []byte) []byte { return bytes.TrimPrefix(b, bom) }

// IsObject reports whether raw is a JSON object (it does not validate it).
func IsObject(raw json.RawMessage) bool {
	b := bytes.TrimSpace(raw)
	return len(b) > 0 && b[0] == '{'
}

// IsNull reports whether raw is JSON null: a member that is present but
// says "nothing here", which pages and price files use instead of leaving
// it out.
func IsNull(raw json.RawMessage) bool {
	return bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

// IsAbsent reports whether a member was left out or is null.
func IsAbsent(raw json.RawMessage) bool {
	return len(bytes.TrimSpace(raw)) == 0 || IsNull(raw)
}
