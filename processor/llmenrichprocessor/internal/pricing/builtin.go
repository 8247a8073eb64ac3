package pricing

import (
	_ "embed" // the built-in table
	"fmt"
	"sync"
)

// BuiltinDate is when the built-in table was copied (its _meta "copied").
const BuiltinDate = "2026-11"

// builtinSource is where the built-in table was copied from (its _meta "source").
const builtinSource = "BerriAI/litellm, model_prices_and_context_window.json at commit 00035b69f416be24e2e323c13198d9b7d2d1bdf9"

// builtinRowCount is the number of rows the built-in table loads: its 58 Mistral
// rows minus the 4 OCR rows priced per page.
const builtinRowCount = 54

// builtinJSON is a verbatim copy of the shared reference
// litellm-mistral-prices.json: LiteLLM's rows whose litellm_provider is
// "mistral", plus a "_meta" object (skipped by parseLiteLLM) with the source,
// the date and the caveats (README.md, "Built-in table").
//
//go:embed builtin_mistral.json
var builtinJSON []byte

var builtinRows = sync.OnceValues(func() (map[string]Price, error) {
	p, err := parseLiteLLM(builtinJSON)
	if err != nil {
		return nil, fmt.Errorf("built-in price table: %w", err)
	}
	return p, nil
})

// builtinAlias is a correction shipped with the built-in table: Alias is
// priced as Target.
type builtinAlias struct {
	Alias, Target string
	Reason        string
	Added         string // YYYY-MM
}

// builtinAliases are checked against the built-in rows by the tests (every
// target has a row). Mistral's API returns the concrete model in
// gen_ai.response.model, which the processor prices first; these matter for
// spans that only carry the request model, and for concrete names LiteLLM
// spells differently.
var builtinAliases = [...]builtinAlias{
	{"codestral-latest", "codestral-2508", "the table's codestral-latest row (1/3 USD per 1M) is stale next to codestral-2508 (0.3/0.9)", "2026-11"},
	{"ministral-3b-latest", "ministral-3-3b-2512", "no row; Ministral 3 3B, the current target of the alias", "2026-11"},
	{"ministral-3b-2512", "ministral-3-3b-2512", "the API's id for the model LiteLLM names ministral-3-3b-2512 (as ministral-8b-2512 is ministral-3-8b-2512)", "2026-11"},
	{"ministral-14b-latest", "ministral-3-14b-2512", "no row; Ministral 3 14B, the current target of the alias", "2026-11"},
	{"ministral-14b-2512", "ministral-3-14b-2512", "the API's id for the model LiteLLM names ministral-3-14b-2512", "2026-11"},
	{"mistral-small-2506", "mistral-small-3-2-2506", "the API's id for Mistral Small 3.2, named mistral-small-3-2-2506 by LiteLLM", "2026-11"},
	{"pixtral-12b-latest", "pixtral-12b-2409", "no row; the alias of pixtral-12b-2409", "2026-11"},
	{"mistral-embed-2312", "mistral-embed", "no row; the concrete id behind mistral-embed", "2026-11"},
}
