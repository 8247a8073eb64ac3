package pricing

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// approxCost compares costs to 1e-12 USD relative.
func approxCost(t *testing.T, want, got Cost) {
	t.Helper()
	for _, f := range []struct {
		name      string
		want, got float64
	}{
		{"Total", want.Total, got.Total}, {"Input", want.Input, got.Input}, {"Output", want.Output, got.Output},
		{"CacheRead", want.CacheRead, got.CacheRead}, {"CacheWrite", want.CacheWrite, got.CacheWrite},
	} {
		assert.InDelta(t, f.want, f.got, 1e-12*math.Max(1, math.Abs(f.want)), f.name)
	}
}

func TestPriceCost(t *testing.T) {
	claude := Price{Input: 3, Output: 15, CacheRead: 0.3, CacheWrite: 3.75, HasCacheRead: true, HasCacheWrite: true, Mode: "chat"}
	tests := []struct {
		name  string
		price Price
		usage Usage
		want  Cost
	}{
		{
			name:  "chat without cache",
			price: Price{Input: 0.3, Output: 0.9, Mode: "chat"},
			usage: Usage{Input: 1000, Output: 500},
			want:  Cost{Total: 0.00075, Input: 0.0003, Output: 0.00045},
		},
		{
			name:  "input includes cache read and write, each at its price",
			price: claude,
			usage: Usage{Input: 10000, CacheRead: 6000, CacheWrite: 2000, Output: 1000},
			want:  Cost{Total: 0.0303, Input: 0.006, CacheRead: 0.0018, CacheWrite: 0.0075, Output: 0.015},
		},
		{
			name:  "cache tokens without a cache price are charged at the input price",
			price: Price{Input: 2, Output: 6},
			usage: Usage{Input: 1000, CacheRead: 400, CacheWrite: 100, Output: 10},
			want:  Cost{Total: 0.00206, Input: 0.001, CacheRead: 0.0008, CacheWrite: 0.0002, Output: 0.00006},
		},
		{
			name:  "a free cache (HasCacheRead with price 0) costs nothing",
			price: Price{Input: 2, Output: 6, HasCacheRead: true},
			usage: Usage{Input: 1000, CacheRead: 400},
			want:  Cost{Total: 0.0012, Input: 0.0012},
		},
		{
			name:  "a non-zero cache price counts even without its Has flag",
			price: Price{Input: 2, CacheRead: 0.2, CacheWrite: 2.5},
			usage: Usage{Input: 1000, CacheRead: 500, CacheWrite: 100},
			want:  Cost{Total: 0.00115, Input: 0.0008, CacheRead: 0.0001, CacheWrite: 0.00025},
		},
		{
			name:  "cache counts above input: input reported without the cache, charged whole beside it",
			price: claude,
			usage: Usage{Input: 100, CacheRead: 150, CacheWrite: 20, Output: 10},
			want:  Cost{Total: 0.0003 + 0.000045 + 0.000075 + 0.00015, Input: 0.0003, CacheRead: 0.000045, CacheWrite: 0.000075, Output: 0.00015},
		},
		{
			name:  "embeddings: input only, every input token at the input price",
			price: Price{Input: 0.1, Output: 5, CacheRead: 0.01, Mode: modeEmbedding},
			usage: Usage{Input: 1000, Output: 7, CacheRead: 10},
			want:  Cost{Total: 0.0001, Input: 0.0001},
		},
		{
			name:  "no tokens, no cost",
			price: claude,
			usage: Usage{},
			want:  Cost{},
		},
		{
			name:  "largest accepted usage and price stay finite",
			price: Price{Input: MaxPricePerMillion, Output: MaxPricePerMillion, CacheRead: MaxPricePerMillion, CacheWrite: MaxPricePerMillion},
			usage: Usage{Input: MaxTokens, Output: MaxTokens, CacheRead: MaxTokens, CacheWrite: MaxTokens},
			want:  Cost{Total: 4e15, Input: 1e15, CacheRead: 1e15, CacheWrite: 1e15, Output: 1e15},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.price.Cost(tt.usage)
			require.True(t, ok)
			approxCost(t, tt.want, got)
		})
	}
}

func TestPriceCostRejectsBadInput(t *testing.T) {
	good := Price{Input: 1, Output: 2}
	tests := []struct {
		name  string
		price Price
		usage Usage
	}{
		{"negative input tokens", good, Usage{Input: -1}},
		{"negative output tokens", good, Usage{Input: 10, Output: -5}},
		{"negative cache read", good, Usage{Input: 10, CacheRead: -1}},
		{"negative cache write", good, Usage{Input: 10, CacheWrite: -1}},
		{"absurd input", good, Usage{Input: MaxTokens + 1}},
		{"absurd output", good, Usage{Output: math.MaxInt64}},
		{"most negative", good, Usage{Input: math.MinInt64}},
		{"negative price", Price{Input: -1}, Usage{Input: 10}},
		{"NaN price", Price{Output: math.NaN()}, Usage{Input: 10}},
		{"infinite price", Price{CacheRead: math.Inf(1)}, Usage{Input: 10}},
		{"absurd price", Price{CacheWrite: 2 * MaxPricePerMillion}, Usage{Input: 10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.price.Cost(tt.usage)
			assert.False(t, ok)
			assert.Equal(t, Cost{}, got)
		})
	}
}

func TestPriceValidate(t *testing.T) {
	tests := []struct {
		price Price
		want  string
	}{
		{Price{Input: 1, Output: 2, CacheRead: 0.1, CacheWrite: 1.25}, ""},
		{Price{Input: -1}, "input: must be a non-negative number, got -1"},
		{Price{Output: math.NaN()}, "output: must be a non-negative number, got NaN"},
		{Price{CacheRead: math.Inf(1)}, "cache_read: must be a non-negative number, got +Inf"},
		{Price{CacheWrite: 2e9}, "cache_write: must be a non-negative number no larger than 1e+09 USD per 1M tokens, got 2e+09"},
	}
	for _, tt := range tests {
		err := tt.price.Validate()
		if tt.want == "" {
			assert.NoError(t, err)
			continue
		}
		assert.EqualError(t, err, tt.want)
	}
}

func TestTokenCount(t *testing.T) {
	tests := []struct {
		in   float64
		want int64
		ok   bool
	}{
		{0, 0, true},
		{1234, 1234, true},
		{MaxTokens, MaxTokens, true},
		{MaxTokens + 1, 0, false},
		{12.5, 0, false},
		{-1, 0, false},
		{math.Copysign(0, -1), 0, true},
		{math.NaN(), 0, false},
		{math.Inf(1), 0, false},
		{math.Inf(-1), 0, false},
		{1e300, 0, false},
	}
	for _, tt := range tests {
		got, ok := TokenCount(tt.in)
		assert.Equal(t, tt.ok, ok, "%v", tt.in)
		assert.Equal(t, tt.want, got, "%v", tt.in)
	}
}

func TestPriceCostDoesNotAllocate(t *testing.T) {
	p := Price{Input: 3, Output: 15, CacheRead: 0.3, HasCacheRead: true}
	u := Usage{Input: 1000, CacheRead: 200, Output: 100}
	allocs := testing.AllocsPerRun(100, func() {
		if _, ok := p.Cost(u); !ok {
			t.Fatal("no cost")
		}
	})
	assert.Zero(t, allocs)
}
