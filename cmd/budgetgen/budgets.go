package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// File is deploy/budgets.yaml: every LLM spend budget, in USD.
type File struct {
	Budgets []Budget `yaml:"budgets"`
	Pricing Pricing  `yaml:"pricing"`
}

// Pricing sets the alerts on llm_enrich's price table (its internal telemetry, which Prometheus must scrape: the
// collector's own metrics endpoint, :8888 by default). A zero value means no alert.
type Pricing struct {
	// MaxUnpricedShare: alert when the calls on one model without a price exceed this share of all LLM calls.
	MaxUnpricedShare float64 `yaml:"max_unpriced_share"`
	// MaxTableAgeDays: alert when the built-in price table was copied from its source longer ago than this.
	MaxTableAgeDays float64 `yaml:"max_table_age_days"`
}

// Budget is one spend budget: the spend it covers (Match) and its limits per calendar day and per calendar month
// (UTC), in USD. A zero limit means no budget for that period; at least one is set.
type Budget struct {
	// Match selects the spend: `workspace` is the Mistral workspace (label mistral_workspace), any other key is an
	// attribution key configured in llm_enrich (label llm_enrich_attribution_<key>). All entries must match.
	Match   map[string]string `yaml:"match"`
	Daily   float64           `yaml:"daily_usd"`
	Monthly float64           `yaml:"monthly_usd"`
}

// workspaceKey is the Match key for the Mistral workspace; every other key names an llm_enrich attribution key.
const workspaceKey = "workspace"

var attributionKeyRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.\-]*$`)

// LabelName is the Prometheus label that carries a Match key on llm_enrich_cost_usd_total: llm_enrich writes attribution
// key K as the span attribute llm_enrich.attribution.K, which the prometheus exporter turns into
// llm_enrich_attribution_K (dots and dashes become underscores).
func LabelName(key string) string {
	if key == workspaceKey {
		return "mistral_workspace"
	}
	return "llm_enrich_attribution_" + strings.NewReplacer(".", "_", "-", "_").Replace(key)
}

// Parse reads and validates a budgets file. Unknown fields are errors, so a misspelt limit is not silently ignored.
func Parse(data []byte) (*File, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f File
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("budgets file: %w", err)
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return &f, nil
}

// Validate names the budget (by index and match) and the field of every error.
func (f *File) Validate() error {
	if len(f.Budgets) == 0 {
		return errors.New("budgets: at least one budget is required")
	}
	var errs []error
	seen := map[string]int{}
	for i, b := range f.Budgets {
		where := fmt.Sprintf("budgets[%d]", i)
		if len(b.Match) == 0 {
			errs = append(errs, fmt.Errorf("%s.match: at least one key is required (workspace or an attribution key, e.g. team: search)", where))
			continue
		}
		where = fmt.Sprintf("budgets[%d] (%s)", i, b.ID())
		labels := map[string]string{}
		for _, k := range b.keys() {
			v := b.Match[k]
			switch {
			case !attributionKeyRE.MatchString(k):
				errs = append(errs, fmt.Errorf("%s.match: key %q is not an attribution key (letters, digits, '_', '.', '-')", where, k))
			case v == "":
				errs = append(errs, fmt.Errorf("%s.match.%s: value is empty", where, k))
			case v == "other":
				errs = append(errs, fmt.Errorf("%s.match.%s: %q is the overflow value llm_enrich writes past max_values_per_key, not a budget owner", where, k, v))
			}
			if prev, dup := labels[LabelName(k)]; dup {
				errs = append(errs, fmt.Errorf("%s.match: keys %q and %q map to the same label %s", where, prev, k, LabelName(k)))
			}
			labels[LabelName(k)] = k
		}
		for _, l := range []struct {
			field string
			v     float64
		}{{"daily_usd", b.Daily}, {"monthly_usd", b.Monthly}} {
			if l.v < 0 || math.IsNaN(l.v) || math.IsInf(l.v, 0) {
				errs = append(errs, fmt.Errorf("%s.%s: %v is not a positive amount of USD", where, l.field, l.v))
			}
		}
		if b.Daily == 0 && b.Monthly == 0 {
			errs = append(errs, fmt.Errorf("%s: set daily_usd, monthly_usd or both", where))
		}
		if j, dup := seen[b.ID()]; dup {
			errs = append(errs, fmt.Errorf("%s: same match as budgets[%d]", where, j))
		}
		seen[b.ID()] = i
	}
	if s := f.Pricing.MaxUnpricedShare; s < 0 || s > 1 || math.IsNaN(s) {
		errs = append(errs, fmt.Errorf("pricing.max_unpriced_share: %v is not a share between 0 and 1 (0.05 is 5%%)", s))
	}
	if d := f.Pricing.MaxTableAgeDays; d < 0 || math.IsNaN(d) || math.IsInf(d, 0) {
		errs = append(errs, fmt.Errorf("pricing.max_table_age_days: %v is not a positive number of days", d))
	}
	return errors.Join(errs...)
}

func (b Budget) keys() []string {
	keys := make([]string, 0, len(b.Match))
	for k := range b.Match {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ID is the budget's `budget` label: its match as key=value pairs in key order, e.g. "team=search".
func (b Budget) ID() string {
	parts := make([]string, 0, len(b.Match))
	for _, k := range b.keys() {
		parts = append(parts, k+"="+b.Match[k])
	}
	return strings.Join(parts, ",")
}

// Selector is the PromQL label matcher list for the budget's spend.
func (b Budget) Selector() string {
	parts := make([]string, 0, len(b.Match))
	for _, k := range b.keys() {
		parts = append(parts, fmt.Sprintf("%s=%q", LabelName(k), b.Match[k]))
	}
	return strings.Join(parts, ",")
}
