// Package pricing holds the price tables of the llm_enrich processor. [Build]
// merges the built-in Mistral table (builtin.go), price files in LiteLLM's
// model_prices_and_context_window.json (litellm.go) or OpenLIT's pricing.json
// (openlit.go) format (load.go) and inline prices into one [Table];
// [Table.Lookup] resolves a span's model name to one row; [Price.Cost]
// prices a call's token usage. Every [Price] is in USD per 1M tokens,
// whatever its source's unit. Each rule (precedence, aliases, lookup, cost)
// is stated once, on the function that implements it.
package pricing // import "github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor/internal/pricing"
