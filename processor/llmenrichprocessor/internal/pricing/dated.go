package pricing

import (
	"fmt"
	"time"
)

// A row can change price on a date without rewriting the past: Price.EffectiveFrom is the first instant (UTC)
// the row is in force, and Price.Earlier lists the prices it replaced, newest first, each with its own
// EffectiveFrom. The price in force at an instant (a span's start time) is the newest row whose EffectiveFrom is
// not after it; before the oldest dated row no price is in force, and the span is unpriced rather than priced at
// a price that did not exist yet. Rows of price files carry no date: they are in force at any time.

// At returns the price in force at t, without its history.
func (p Price) At(t time.Time) (Price, bool) {
	if p.EffectiveFrom.IsZero() && len(p.Earlier) == 0 {
		return p, true
	}
	for _, r := range append([]Price{p}, p.Earlier...) {
		if !r.EffectiveFrom.After(t) {
			r.Earlier = nil
			return r, true
		}
	}
	return Price{}, false
}

// validateDates checks that every earlier row has a date, older than the row it precedes, and a valid price.
func (p Price) validateDates() error {
	newer := p
	for i, e := range p.Earlier {
		switch {
		case newer.EffectiveFrom.IsZero():
			return fmt.Errorf("effective_from: required when earlier prices are listed")
		case e.EffectiveFrom.IsZero():
			return fmt.Errorf("earlier[%d].effective_from: required", i)
		case !e.EffectiveFrom.Before(newer.EffectiveFrom):
			return fmt.Errorf("earlier[%d].effective_from: %s is not before %s (list earlier prices newest first)",
				i, e.EffectiveFrom.Format(time.DateOnly), newer.EffectiveFrom.Format(time.DateOnly))
		case len(e.Earlier) > 0:
			return fmt.Errorf("earlier[%d].earlier: list every earlier price in the one list", i)
		}
		if err := e.Validate(); err != nil {
			return fmt.Errorf("earlier[%d].%w", i, err)
		}
		newer = e
	}
	return nil
}
