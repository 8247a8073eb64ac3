package llmenrichprocessor // import "github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor"

import (
	"fmt"
	"time"

	"github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor/internal/pricing"
)

// An inline price can carry the date it takes effect, and the prices it replaced:
//
//	models:
//	  my-finetune:
//	    input: 2.0
//	    output: 6.0
//	    effective_from: 2026-12-01          # UTC midnight; or an RFC 3339 instant
//	    earlier:
//	      - {input: 3.0, output: 9.0, effective_from: 2026-06-01}
//
// The price in force at a span's start time prices it (pricing.Price.At): a span replayed or delayed across the
// change keeps the price of its time, and a span from before the oldest dated price is unpriced
// (llm_enrich.price.missing) rather than priced at a price that did not exist yet.

// EarlierPrice is a price a ModelPrice replaced, in force from EffectiveFrom (required) until the next one.
type EarlierPrice struct {
	Input         float64  `mapstructure:"input"`
	Output        float64  `mapstructure:"output"`
	CacheRead     *float64 `mapstructure:"cache_read"`
	CacheWrite    *float64 `mapstructure:"cache_write"`
	EffectiveFrom string   `mapstructure:"effective_from"`
}

// parseEffectiveFrom reads a date (YYYY-MM-DD, UTC midnight) or an RFC 3339 instant; "" is no date.
func parseEffectiveFrom(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date (YYYY-MM-DD) or an RFC 3339 instant", s)
	}
	return t, nil
}

// parseDates reports the first unreadable effective_from, named by its path under the model.
func (m ModelPrice) parseDates() error {
	if _, err := parseEffectiveFrom(m.EffectiveFrom); err != nil {
		return fmt.Errorf("effective_from: %w", err)
	}
	for i, e := range m.Earlier {
		if _, err := parseEffectiveFrom(e.EffectiveFrom); err != nil {
			return fmt.Errorf("earlier[%d].effective_from: %w", i, err)
		}
	}
	return nil
}

// dates converts the dates (validated by parseDates) for pricing.Price.
func (m ModelPrice) dates() (time.Time, []pricing.Price) {
	from, _ := parseEffectiveFrom(m.EffectiveFrom)
	var earlier []pricing.Price
	for _, e := range m.Earlier {
		// The model's mode holds for its earlier prices.
		em := ModelPrice{Input: e.Input, Output: e.Output, CacheRead: e.CacheRead, CacheWrite: e.CacheWrite, Mode: m.Mode, EffectiveFrom: e.EffectiveFrom}
		earlier = append(earlier, em.price())
	}
	return from, earlier
}
