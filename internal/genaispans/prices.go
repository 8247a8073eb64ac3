package genaispans // import "github.com/otelcol-mistral/otelcol-mistral/internal/genaispans"

import "sort"

// ModelPrice is a price in USD per 1M tokens, the unit of the processor's
// inline pricing.models.
type ModelPrice struct {
	Input, Output, CacheRead, CacheWrite float64
	HasCacheRead, HasCacheWrite          bool
	// Embedding rows are charged on input tokens only.
	Embedding bool
}

// Prices are the prices every Expected cost assumes, keyed by the concrete
// model (gen_ai.response.model) the generated spans name. They are made up
// for tests (close to the 2026 list prices) so that expected costs do not
// drift with the built-in table.
var Prices = map[string]ModelPrice{
	"mistral-small-2506":         {Input: 0.1, Output: 0.3},
	"mistral-medium-2508":        {Input: 0.4, Output: 2},
	"mistral-large-2512":         {Input: 0.5, Output: 1.5},
	"codestral-2508":             {Input: 0.3, Output: 0.9},
	"mistral-embed":              {Input: 0.1, Embedding: true},
	"claude-sonnet-4-5-20250929": {Input: 3, Output: 15, CacheRead: 0.3, CacheWrite: 3.75, HasCacheRead: true, HasCacheWrite: true},
}

// UnpricedModel is a fine-tuned model absent from Prices (and from any
// public table): spans naming it expect llm_enrich.price.missing.
const UnpricedModel = "ft:open-mistral-nemo:8a3f1b2c:20261015:c0ffee12"

// PricesConfig returns Prices in the shape of the processor's
// pricing.models configuration (input, output, cache_read, cache_write, mode).
func PricesConfig() map[string]any {
	out := make(map[string]any, len(Prices))
	for name, p := range Prices {
		m := map[string]any{"input": p.Input, "output": p.Output}
		if p.HasCacheRead {
			m["cache_read"] = p.CacheRead
		}
		if p.HasCacheWrite {
			m["cache_write"] = p.CacheWrite
		}
		if p.Embedding {
			m["mode"] = "embedding"
		}
		out[name] = m
	}
	return out
}

// PricedModels lists the keys of Prices, sorted.
func PricedModels() []string {
	names := make([]string, 0, len(Prices))
	for n := range Prices {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Usage is the token usage of a call; Input includes the cached tokens.
type Usage struct {
	Input, Output, CacheRead, CacheWrite int64
}

// Cost is a cost breakdown in USD.
type Cost struct {
	Total, Input, Output, CacheRead, CacheWrite float64
}

// CostOf computes the cost of u at p the way the processor's price tables
// do: uncached input = Input - CacheRead - CacheWrite at the input price,
// cache tokens at their price (the input price when the row has none),
// output at the output price; embeddings on input only.
func CostOf(p ModelPrice, u Usage) Cost {
	var c Cost
	if p.Embedding {
		c.Input = float64(u.Input) * p.Input / 1e6
		c.Total = c.Input
		return c
	}
	uncached := u.Input - u.CacheRead - u.CacheWrite
	if uncached < 0 {
		uncached = 0
	}
	read, write := p.Input, p.Input
	if p.HasCacheRead {
		read = p.CacheRead
	}
	if p.HasCacheWrite {
		write = p.CacheWrite
	}
	c.Input = float64(uncached) * p.Input / 1e6
	c.CacheRead = float64(u.CacheRead) * read / 1e6
	c.CacheWrite = float64(u.CacheWrite) * write / 1e6
	c.Output = float64(u.Output) * p.Output / 1e6
	c.Total = c.Input + c.CacheRead + c.CacheWrite + c.Output
	return c
}
