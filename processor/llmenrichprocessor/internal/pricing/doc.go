// Package pricing holds the price tables of the llm_enrich processor: it loads
// prices from the built-in Mistral table, from price files (LiteLLM's
// model_prices_and_context_window.json or OpenLIT's pricing.json) and from
// inline configuration, resolves a span's model name to one price row, and
// computes the cost of a call from its token usage.
//
// # Units
//
// A [Price] is in USD per 1M tokens, whatever the source: LiteLLM files are
// in USD per token (multiplied by 1e6 on load), OpenLIT files in USD per 1K
// tokens (multiplied by 1e3). Converted prices are rounded to 12 significant
// digits so that 3e-07 per token reads 0.3, not 0.29999999999999993.
//
// # Precedence
//
// Highest first: inline models ([Options.Models]), user aliases
// ([Options.Aliases]), files ([Options.Files], a later file beats an earlier
// one), built-in aliases ([BuiltinAliases]), built-in rows. A row from a source
// of higher precedence wins even when it is less specific: an inline
// "gpt-4o" also prices "azure/gpt-4o" when the azure row comes from a file.
// Within one source, for a bare model name carried by several rows, a row
// without provider prefix beats a row with a first-party prefix ("mistral/",
// "openai/", "anthropic/", ...), which beats any other prefix; remaining ties
// go to the alphabetically first key, so the result never depends on map
// order.
//
// # Aliases
//
// An alias maps a name (typically a "-latest" name) to a concrete model row.
// It takes effect when no row for the alias name exists at the alias's level
// of precedence or above: the built-in aliases correct stale or missing rows
// of the built-in table but never override a user's file or inline row, and a
// user alias beats rows from files and the built-in table but not an inline
// model of the same name. A built-in alias's target must name a row; a user
// alias's target may name a row or a built-in alias, not another user alias.
// Targets are resolved with the full precedence, so overriding the target's
// price also changes the alias's price.
//
// # Lookup
//
// [Table.Lookup] tries the exact name, then the name lower-cased (ASCII), then
// the part after the last "/" (any provider prefix: "mistral/",
// "mistralai/", "azure/eu/", "openrouter/mistralai/", ...). Version or date
// suffixes are never guessed: "mistral-large-2411" does not fall back to
// "mistral-large". A name longer than 256 bytes that contains upper-case
// letters is only matched exactly (it is not lower-cased).
// Lookup does not allocate and a [Table] is safe for concurrent use.
//
// # Built-in table and its caveats
//
// The built-in table is LiteLLM's Mistral rows, copied in 2026-11 from
// BerriAI/litellm model_prices_and_context_window.json at commit
// 00035b69f416be24e2e323c13198d9b7d2d1bdf9 ([BuiltinSource]); it loads
// through [ParseLiteLLM] like any user file. Caveats, from the copy's _meta:
//   - codestral-latest is still priced 1/3 USD per 1M tokens there, stale next
//     to codestral-2508 (0.3/0.9): the built-in alias codestral-latest →
//     codestral-2508 replaces it;
//   - there are no ministral-3b-latest, voxtral or mistral-saba rows:
//     ministral-3b/14b names get aliases, voxtral and mistral-saba stay
//     unpriced (add them inline);
//   - OCR rows are priced per page, not per token: they carry no token price
//     and are not loaded;
//   - other public sources price mistral-small-latest differently (0.10/0.30,
//     0.15/0.60): prices and the targets of -latest aliases drift. Price the
//     concrete gen_ai.response.model first and override rows you depend on.
package pricing // import "github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor/internal/pricing"
