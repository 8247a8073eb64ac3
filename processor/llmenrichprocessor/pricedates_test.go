package llmenrichprocessor

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/confmap"
)

// The test spans start at 2023-11-14T22:13:20Z (spanbuilder_test.go).
func TestEffectiveFromPricesBySpanStart(t *testing.T) {
	for _, tt := range []struct {
		name     string
		price    ModelPrice
		cost     float64
		unpriced bool
	}{
		{"undated", ModelPrice{Input: 1, Output: 1}, 0.002, false},
		{"new price in force", ModelPrice{Input: 2, Output: 6, EffectiveFrom: "2023-11-14T22:00:00Z",
			Earlier: []EarlierPrice{{Input: 3, Output: 9, EffectiveFrom: "2023-01-01"}}}, 0.008, false},
		{"new price not yet in force: the earlier one", ModelPrice{Input: 2, Output: 6, EffectiveFrom: "2023-11-15",
			Earlier: []EarlierPrice{{Input: 3, Output: 9, EffectiveFrom: "2023-01-01"}}}, 0.012, false},
		{"no price in force yet", ModelPrice{Input: 2, Output: 6, EffectiveFrom: "2024-01-01"}, 0, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := createDefaultConfig().(*Config)
			cfg.Pricing = PricingConfig{Models: map[string]ModelPrice{"my-model": tt.price}}
			td := buildTraces(nil, testSpan{name: "chat", attrs: call1k("my-model", "")})
			process(t, newTestEnricher(t, cfg), td)
			a := firstSpan(td).Attributes()
			if tt.unpriced {
				v, ok := a.Get(attrPriceMissing)
				assert.True(t, ok && v.Bool(), "price.missing")
				_, has := a.Get(attrUsageCost)
				assert.False(t, has)
				return
			}
			assertDouble(t, a, attrUsageCost, tt.cost, tt.name)
		})
	}
}

func TestEffectiveFromConfig(t *testing.T) {
	// Unquoted YAML dates arrive as strings.
	cm := confmap.NewFromStringMap(map[string]any{"pricing": map[string]any{"models": map[string]any{
		"my-model": map[string]any{"input": 2, "output": 6, "effective_from": "2026-12-01",
			"earlier": []any{map[string]any{"input": 3, "output": 9, "effective_from": "2026-06-01T00:00:00Z"}}},
	}}})
	cfg := createDefaultConfig().(*Config)
	require.NoError(t, cm.Unmarshal(cfg))
	require.NoError(t, cfg.Validate())
	assert.Equal(t, "2026-12-01", cfg.Pricing.Models["my-model"].EffectiveFrom)

	for _, tt := range []struct {
		name string
		p    ModelPrice
		want string
	}{
		{"bad date", ModelPrice{Input: 1, EffectiveFrom: "2026-13-01"}, `pricing.models[m].effective_from: "2026-13-01" is not a date (YYYY-MM-DD) or an RFC 3339 instant`},
		{"bad earlier date", ModelPrice{Input: 1, EffectiveFrom: "2026-12-01", Earlier: []EarlierPrice{{Input: 2, EffectiveFrom: "june"}}}, `pricing.models[m].earlier[0].effective_from: "june" is not a date`},
		{"earlier not older", ModelPrice{Input: 1, EffectiveFrom: "2026-12-01", Earlier: []EarlierPrice{{Input: 2, EffectiveFrom: "2027-01-01"}}}, "pricing.models[m].earlier[0].effective_from: 2027-01-01 is not before 2026-12-01"},
		{"earlier without date", ModelPrice{Input: 1, EffectiveFrom: "2026-12-01", Earlier: []EarlierPrice{{Input: 2}}}, "pricing.models[m].earlier[0].effective_from: required"},
		{"history without own date", ModelPrice{Input: 1, Earlier: []EarlierPrice{{Input: 2, EffectiveFrom: "2026-01-01"}}}, "pricing.models[m].effective_from: required when earlier prices are listed"},
		{"bad earlier price", ModelPrice{Input: 1, EffectiveFrom: "2026-12-01", Earlier: []EarlierPrice{{Input: -2, EffectiveFrom: "2026-01-01"}}}, "pricing.models[m].earlier[0].input: must be a non-negative number, got -2"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := createDefaultConfig().(*Config)
			cfg.Pricing.Models = map[string]ModelPrice{"m": tt.p}
			err := cfg.Validate()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
