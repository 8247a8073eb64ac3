package pricing

import (
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestPriceAt(t *testing.T) {
	p := Price{Input: 2, Output: 6, EffectiveFrom: day("2026-12-01"), Earlier: []Price{
		{Input: 3, Output: 9, EffectiveFrom: day("2026-06-01")},
	}}
	for _, tt := range []struct {
		at        string
		wantInput float64
		ok        bool
	}{
		{"2026-05-31T23:59:59Z", 0, false},
		{"2026-06-01T00:00:00Z", 3, true},
		{"2026-11-30T23:59:59Z", 3, true},
		{"2026-12-01T00:00:00Z", 2, true},
		{"2030-01-01T00:00:00Z", 2, true},
	} {
		at, _ := time.Parse(time.RFC3339, tt.at)
		got, ok := p.At(at)
		if ok != tt.ok || got.Input != tt.wantInput || got.Earlier != nil {
			t.Errorf("At(%s) = %+v, %v; want input %v, %v", tt.at, got, ok, tt.wantInput, tt.ok)
		}
	}
	undated := Price{Input: 1}
	if got, ok := undated.At(time.Unix(0, 0)); !ok || got.Input != 1 {
		t.Errorf("an undated row must be in force at any time, got %+v %v", got, ok)
	}
}

func TestPriceValidateDates(t *testing.T) {
	for _, tt := range []struct {
		name string
		p    Price
		want string
	}{
		{"undated", Price{Input: 1}, ""},
		{"dated alone", Price{Input: 1, EffectiveFrom: day("2026-01-01")}, ""},
		{"history", Price{Input: 1, EffectiveFrom: day("2026-02-01"), Earlier: []Price{{Input: 2, EffectiveFrom: day("2026-01-01")}}}, ""},
		{"history without date", Price{Input: 1, Earlier: []Price{{Input: 2, EffectiveFrom: day("2026-01-01")}}}, "effective_from: required when earlier prices are listed"},
		{"earlier without date", Price{Input: 1, EffectiveFrom: day("2026-02-01"), Earlier: []Price{{Input: 2}}}, "earlier[0].effective_from: required"},
		{"not older", Price{Input: 1, EffectiveFrom: day("2026-02-01"), Earlier: []Price{{Input: 2, EffectiveFrom: day("2026-02-01")}}}, "earlier[0].effective_from: 2026-02-01 is not before 2026-02-01 (list earlier prices newest first)"},
		{"bad earlier price", Price{Input: 1, EffectiveFrom: day("2026-02-01"), Earlier: []Price{{Input: -2, EffectiveFrom: day("2026-01-01")}}}, "earlier[0].input: must be a non-negative number, got -2"},
	} {
		err := tt.p.Validate()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: unexpected error %v", tt.name, err)
		case tt.want != "" && (err == nil || err.Error() != tt.want):
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
}
