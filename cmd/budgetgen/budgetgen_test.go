package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated files from their budgets files")

// TestGeneratedFilesMatchSource regenerates the committed rules and dashboards from their budgets files: the
// deployed ones (`make budgets`) and the promtool tests' fixture.
func TestGeneratedFilesMatchSource(t *testing.T) {
	root := filepath.Join("..", "..")
	for _, c := range []struct{ budgets, rules, dashboard string }{
		{"deploy/budgets.yaml", "deploy/prometheus/budgets.rules.yaml", "deploy/grafana/budgets.json"},
		{"cmd/budgetgen/testdata/budgets.yaml", "cmd/budgetgen/testdata/budgets.rules.yaml", "cmd/budgetgen/testdata/budgets.json"},
	} {
		t.Run(c.budgets, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(root, c.budgets))
			if err != nil {
				t.Fatal(err)
			}
			rules, dash, err := Generate(c.budgets, src)
			if err != nil {
				t.Fatal(err)
			}
			for path, want := range map[string][]byte{c.rules: rules, c.dashboard: dash} {
				full := filepath.Join(root, path)
				if *update {
					if err := os.WriteFile(full, want, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				got, err := os.ReadFile(full)
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != string(want) {
					t.Errorf("%s is stale: run `make budgets` (or go test ./cmd/budgetgen -update for the test fixture) and commit", path)
				}
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		name, yaml string
		want       []string // substrings of the error; none: valid
	}{
		{"valid", "budgets:\n- match: {team: search}\n  monthly_usd: 2000\n  daily_usd: 100\n", nil},
		{"valid workspace and two keys", "budgets:\n- match: {workspace: prod, service.name: api}\n  daily_usd: 5\n", nil},
		{"empty file", "", []string{"budgets: at least one budget is required"}},
		{"no budgets", "budgets: []\n", []string{"budgets: at least one budget is required"}},
		{"unknown field", "budgets:\n- match: {team: a}\n  monthly: 20\n", []string{"field monthly not found"}},
		{"no match", "budgets:\n- monthly_usd: 20\n", []string{"budgets[0].match: at least one key is required"}},
		{"empty value", "budgets:\n- match: {team: \"\"}\n  monthly_usd: 20\n", []string{"budgets[0] (team=).match.team: value is empty"}},
		{"overflow value", "budgets:\n- match: {team: other}\n  monthly_usd: 20\n", []string{`match.team: "other" is the overflow value`}},
		{"bad key", "budgets:\n- match: {\"team name\": a}\n  monthly_usd: 20\n", []string{`key "team name" is not an attribution key`}},
		{"same label", "budgets:\n- match: {tenant.id: a, tenant_id: a}\n  monthly_usd: 20\n", []string{`map to the same label llm_enrich_attribution_tenant_id`}},
		{"no limit", "budgets:\n- match: {team: a}\n", []string{"budgets[0] (team=a): set daily_usd, monthly_usd or both"}},
		{"negative", "budgets:\n- match: {team: a}\n  monthly_usd: -3\n", []string{"budgets[0] (team=a).monthly_usd: -3 is not a positive amount of USD"}},
		{"not a number", "budgets:\n- match: {team: a}\n  daily_usd: .nan\n", []string{"budgets[0] (team=a).daily_usd: NaN is not a positive amount"}},
		{"text amount", "budgets:\n- match: {team: a}\n  daily_usd: lots\n", []string{"cannot unmarshal !!str `lots` into float64"}},
		{"duplicate", "budgets:\n- match: {team: a}\n  daily_usd: 1\n- match: {team: a}\n  monthly_usd: 9\n", []string{"budgets[1] (team=a): same match as budgets[0]"}},
		{"pricing alerts", "budgets:\n- match: {team: a}\n  daily_usd: 1\npricing: {max_unpriced_share: 0.05, max_table_age_days: 120}\n", nil},
		{"share above 1", "budgets:\n- match: {team: a}\n  daily_usd: 1\npricing: {max_unpriced_share: 5}\n", []string{"pricing.max_unpriced_share: 5 is not a share between 0 and 1 (0.05 is 5%)"}},
		{"negative age", "budgets:\n- match: {team: a}\n  daily_usd: 1\npricing: {max_table_age_days: -1}\n", []string{"pricing.max_table_age_days: -1 is not a positive number of days"}},
		{"unknown pricing field", "budgets:\n- match: {team: a}\n  daily_usd: 1\npricing: {max_age: 3}\n", []string{"field max_age not found"}},
		{"two errors", "budgets:\n- match: {team: a}\n  daily_usd: -1\n- match: {team: \"\"}\n  daily_usd: 1\n",
			[]string{"budgets[0] (team=a).daily_usd: -1", "budgets[1] (team=).match.team: value is empty"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.yaml))
			if len(c.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", c.want)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestLabelName(t *testing.T) {
	for key, want := range map[string]string{
		"workspace":                   "mistral_workspace",
		"team":                        "llm_enrich_attribution_team",
		"tenant.id":                   "llm_enrich_attribution_tenant_id",
		"deployment.environment.name": "llm_enrich_attribution_deployment_environment_name",
		"cost-center":                 "llm_enrich_attribution_cost_center",
	} {
		if got := LabelName(key); got != want {
			t.Errorf("LabelName(%q) = %q, want %q", key, got, want)
		}
	}
}
