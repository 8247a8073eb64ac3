package llmenrichprocessor // import "github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor"

import (
	"strconv"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor/internal/pricing"
)

// usageState is what a span's token attributes amount to.
type usageState uint8

const (
	// usageNone: no token attribute at all (typically a failed call).
	usageNone usageState = iota
	// usageValid: every token attribute present is a usable count.
	usageValid
	// usageInvalid: some token attribute is present but unusable (negative,
	// NaN, fractional, above pricing.MaxTokens, not a number, wrong type).
	usageInvalid
)

// usage reads the span's token counts. A count that is present but
// unusable poisons the whole usage: pricing the other counts alone would
// report a cost that is wrong, and no cost is better than a wrong one.
func (f *fields) usage() (pricing.Usage, usageState) {
	if !f.hasUsage() {
		return pricing.Usage{}, usageNone
	}
	var u pricing.Usage
	for _, p := range [...]struct {
		t   *tokenField
		dst *int64
	}{{&f.input, &u.Input}, {&f.output, &u.Output}, {&f.cacheRead, &u.CacheRead}, {&f.cacheWrite, &u.CacheWrite}} {
		if p.t.state == fieldAbsent {
			continue
		}
		n, ok := tokenCount(p.t.v)
		if !ok {
			return pricing.Usage{}, usageInvalid
		}
		*p.dst = n
	}
	return u, usageValid
}

// tokenCount reads a token count from an int, a whole finite double, or a
// string holding either ("42", " 42 ", "42.0").
func tokenCount(v pcommon.Value) (int64, bool) {
	switch v.Type() {
	case pcommon.ValueTypeInt:
		n := v.Int()
		return n, n >= 0 && n <= pricing.MaxTokens
	case pcommon.ValueTypeDouble:
		return pricing.TokenCount(v.Double())
	case pcommon.ValueTypeStr:
		s := strings.TrimSpace(v.Str())
		if s == "" || len(s) > 32 {
			return 0, false
		}
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n, n >= 0 && n <= pricing.MaxTokens
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return pricing.TokenCount(f)
		}
	}
	return 0, false
}
