package pricing

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// Price is a model's price in USD per 1M tokens (the unit users write inline).
// A zero Input or Output means "no price for that kind" and costs nothing;
// CacheRead and CacheWrite only count when HasCacheRead/HasCacheWrite is set
// (or the value is non-zero), otherwise cached tokens are charged at Input.
type Price struct {
	Input, Output, CacheRead, CacheWrite float64 // USD per 1M tokens

	HasCacheRead, HasCacheWrite bool

	// Mode is the row's kind as the source names it: "chat", "embedding",
	// "completion", ... ("" when unknown). "embedding" rows are charged on
	// input tokens only. Rows priced per page (LiteLLM's "ocr") or per image
	// or second carry no token price and are never loaded.
	Mode string

	// EffectiveFrom and Earlier date a row (dated.go): zero EffectiveFrom means in force at any time.
	EffectiveFrom time.Time
	Earlier       []Price
}

// modeEmbedding is the Mode of embedding rows (LiteLLM's spelling; OpenLIT's
// "embeddings" section is normalised to it).
const modeEmbedding = "embedding"

// MaxPricePerMillion bounds every price: 1e9 USD per 1M tokens (1000 USD per
// token). A larger value is a unit mistake, rejected when the table is built.
const MaxPricePerMillion = 1e9

// MaxTokens bounds every token count accepted by [Price.Cost] and
// [TokenCount]: more than 1e12 tokens in one call is bogus input.
const MaxTokens = 1_000_000_000_000

// Validate reports the first field that is negative, NaN, infinite or above
// [MaxPricePerMillion], named by its configuration key (input, output,
// cache_read, cache_write).
func (p Price) Validate() error {
	for _, f := range [...]struct {
		name string
		v    float64
	}{{"input", p.Input}, {"output", p.Output}, {"cache_read", p.CacheRead}, {"cache_write", p.CacheWrite}} {
		if !validPrice(f.v) {
			rule := priceRule
			if f.v > MaxPricePerMillion && !math.IsInf(f.v, 1) {
				rule = priceRuleMax
			}
			return fmt.Errorf("%s: %s, got %s", f.name, rule, strconv.FormatFloat(f.v, 'g', -1, 64))
		}
	}
	return p.validateDates()
}

// priceRule and priceRuleMax are the wording of every price validation error.
const (
	priceRule    = "must be a non-negative number"
	priceRuleMax = priceRule + " no larger than 1e+09 USD per 1M tokens"
)

func validPrice(v float64) bool {
	return v >= 0 && v <= MaxPricePerMillion // false for NaN
}

func (p Price) valid() bool {
	return validPrice(p.Input) && validPrice(p.Output) && validPrice(p.CacheRead) && validPrice(p.CacheWrite)
}

// Usage is the token usage of one call. Input includes the cached tokens, as
// in the GenAI semantic conventions (gen_ai.usage.input_tokens);
// CacheRead and CacheWrite are gen_ai.usage.cache_read.input_tokens and
// gen_ai.usage.cache_creation.input_tokens.
type Usage struct {
	Input, Output, CacheRead, CacheWrite int64
}

func (u Usage) valid() bool {
	return validTokens(u.Input) && validTokens(u.Output) && validTokens(u.CacheRead) && validTokens(u.CacheWrite)
}

func validTokens(n int64) bool { return n >= 0 && n <= MaxTokens }

// Cost is a cost breakdown in USD. Input is the uncached input tokens only;
// Total is the sum of the four parts.
type Cost struct {
	Total, Input, Output, CacheRead, CacheWrite float64
}

// Cost computes the cost of u at price p:
//   - uncached input = Input - CacheRead - CacheWrite, at the input price
//     (Input includes the cached tokens, as in the GenAI semantic
//     conventions and OpenInference). When the cache counts exceed Input,
//     the instrumentation reported Input without them (as Anthropic's API
//     does): the whole Input is then charged as uncached, beside the cache
//     tokens;
//   - cache read and cache write tokens at their prices (LiteLLM's
//     cache_read_input_token_cost and cache_creation_input_token_cost), or
//     at the input price when the row has none;
//   - output tokens at the output price (reasoning tokens are part of them);
//   - embedding rows (Mode "embedding"): every input token at the input
//     price, nothing else.
//
// It returns ok=false, and no cost, when a token count is negative or above
// [MaxTokens] or a price is invalid (see [Price.Validate]): never a made-up
// cost. It does not allocate.
func (p Price) Cost(u Usage) (Cost, bool) {
	if !u.valid() || !p.valid() {
		return Cost{}, false
	}
	var c Cost
	if p.Mode == modeEmbedding {
		c.Input = perMillion(u.Input, p.Input)
		c.Total = c.Input
		return c, true
	}
	uncached := u.Input - u.CacheRead - u.CacheWrite // no overflow: each ≤ 1e12
	if uncached < 0 {
		uncached = u.Input
	}
	readPrice, writePrice := p.Input, p.Input
	if p.HasCacheRead || p.CacheRead != 0 {
		readPrice = p.CacheRead
	}
	if p.HasCacheWrite || p.CacheWrite != 0 {
		writePrice = p.CacheWrite
	}
	c.Input = perMillion(uncached, p.Input)
	c.CacheRead = perMillion(u.CacheRead, readPrice)
	c.CacheWrite = perMillion(u.CacheWrite, writePrice)
	c.Output = perMillion(u.Output, p.Output)
	c.Total = c.Input + c.CacheRead + c.CacheWrite + c.Output
	return c, true // finite: ≤ 4 × 1e12 × 1e9 / 1e6
}

func perMillion(tokens int64, price float64) float64 {
	return float64(tokens) * price / 1e6
}

// TokenCount converts a token count read from a double attribute: it
// returns false for NaN, ±Inf, negative, fractional or > [MaxTokens] values.
func TokenCount(f float64) (int64, bool) {
	if !(f >= 0 && f <= MaxTokens) || f != math.Trunc(f) {
		return 0, false
	}
	return int64(f), true
}
