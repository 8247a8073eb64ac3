package llmenrichprocessor // import "github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor"

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"go.opentelemetry.io/collector/component"

	"github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor/internal/pricing"
)

// Config is the configuration of the llm_enrich processor.
type Config struct {
	// Workspace, when set, is written as mistral.workspace on Mistral spans
	// whose span and resource lack it.
	Workspace string `mapstructure:"workspace"`
	// Pricing configures the price tables.
	Pricing PricingConfig `mapstructure:"pricing"`
	// Classification configures the error classification.
	Classification ClassificationConfig `mapstructure:"classification"`
	// State names a mistral_state extension shared with a mistral receiver
	// (join.go); unset, the processor works alone.
	State *component.ID `mapstructure:"state"`
	// Attribution copies attribution keys (team, tenant, user, ...) onto LLM call spans (attribution.go).
	Attribution AttributionConfig `mapstructure:"attribution"`
}

// PricingConfig lists the price sources, highest precedence first: Models,
// then Files (a later file beats an earlier one), then the built-in table.
type PricingConfig struct {
	// Builtin enables the built-in Mistral price table.
	Builtin bool `mapstructure:"builtin"`
	// Files are price files in LiteLLM's model_prices_and_context_window.json
	// or OpenLIT's pricing.json format, loaded when the processor is created.
	Files []string `mapstructure:"files"`
	// Models are inline prices in USD per 1M tokens, by model name.
	Models map[string]ModelPrice `mapstructure:"models"`
	// Aliases map a model name (e.g. "mistral-small-latest") to a priced row.
	Aliases map[string]string `mapstructure:"aliases"`
	// OverrideExistingCost replaces a cost the span already has
	// (gen_ai.usage.cost, gen_ai.usage.cost.amount or llm.cost.total).
	OverrideExistingCost bool `mapstructure:"override_existing_cost"`
	// Breakdown also writes the cost per token type and the price row used
	// (llm_enrich.cost.*, llm_enrich.price.model, llm_enrich.price.source).
	Breakdown bool `mapstructure:"breakdown"`
	// CostProposal also writes the cost as proposed in
	// semantic-conventions-genai #443, not accepted yet:
	// gen_ai.usage.cost.amount, .currency ("USD") and .source ("local").
	CostProposal bool `mapstructure:"cost_proposal"`
}

// ModelPrice is an inline price, USD per 1M tokens. CacheRead and CacheWrite
// are optional: cached tokens are charged at Input when they are unset.
type ModelPrice struct {
	Input      float64  `mapstructure:"input"`
	Output     float64  `mapstructure:"output"`
	CacheRead  *float64 `mapstructure:"cache_read"`
	CacheWrite *float64 `mapstructure:"cache_write"`
	// Mode is "embedding" for embedding models (charged on input only), else empty or "chat".
	Mode string `mapstructure:"mode"`
	// EffectiveFrom and Earlier date the price (pricedates.go).
	EffectiveFrom string         `mapstructure:"effective_from"`
	Earlier       []EarlierPrice `mapstructure:"earlier"`
}

// ClassificationConfig configures the error classification.
type ClassificationConfig struct {
	// Enabled turns the classification of failed LLM calls on.
	Enabled bool `mapstructure:"enabled"`
}

// Validate checks the configuration; every error names the field and the value.
func (cfg *Config) Validate() error {
	var errs []error
	if strings.TrimSpace(cfg.Workspace) != cfg.Workspace {
		errs = append(errs, fmt.Errorf("workspace: %q has leading or trailing spaces", cfg.Workspace))
	}
	seen := map[string]int{}
	for i, f := range cfg.Pricing.Files {
		switch {
		case strings.TrimSpace(f) == "":
			errs = append(errs, fmt.Errorf("pricing.files[%d]: empty path", i))
		default:
			if j, dup := seen[f]; dup {
				errs = append(errs, fmt.Errorf("pricing.files[%d]: %q is already pricing.files[%d]", i, f, j))
			}
			seen[f] = i
		}
	}
	for _, name := range slices.Sorted(maps.Keys(cfg.Pricing.Models)) {
		errs = append(errs, cfg.Pricing.Models[name].validate(name)...)
	}
	for _, alias := range slices.Sorted(maps.Keys(cfg.Pricing.Aliases)) {
		target := cfg.Pricing.Aliases[alias]
		switch {
		case strings.TrimSpace(alias) == "":
			errs = append(errs, fmt.Errorf("pricing.aliases: empty alias name (target %q)", target))
		case strings.TrimSpace(target) == "":
			errs = append(errs, fmt.Errorf("pricing.aliases[%s]: empty target", alias))
		case strings.EqualFold(alias, target):
			errs = append(errs, fmt.Errorf("pricing.aliases[%s]: %q points to itself", alias, target))
		}
	}
	errs = append(errs, cfg.Attribution.validate()...)
	return errors.Join(errs...)
}

func (m ModelPrice) validate(name string) []error {
	var errs []error
	if strings.TrimSpace(name) == "" {
		errs = append(errs, errors.New("pricing.models: empty model name"))
	}
	if err := m.parseDates(); err != nil {
		return append(errs, fmt.Errorf("pricing.models[%s].%w", name, err))
	}
	if err := m.price().Validate(); err != nil {
		errs = append(errs, fmt.Errorf("pricing.models[%s].%w", name, err))
	}
	switch m.Mode {
	case "", "chat", "completion", "embedding":
	default:
		errs = append(errs, fmt.Errorf("pricing.models[%s].mode: must be chat, completion or embedding, got %q", name, m.Mode))
	}
	return errs
}

// price converts an inline price to the pricing package's.
func (m ModelPrice) price() pricing.Price {
	p := pricing.Price{Input: m.Input, Output: m.Output, Mode: m.Mode}
	if m.CacheRead != nil {
		p.CacheRead, p.HasCacheRead = *m.CacheRead, true
	}
	if m.CacheWrite != nil {
		p.CacheWrite, p.HasCacheWrite = *m.CacheWrite, true
	}
	p.EffectiveFrom, p.Earlier = m.dates()
	return p
}
