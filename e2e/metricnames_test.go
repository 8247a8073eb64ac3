//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.yaml.in/yaml/v3"

	"github.com/otelcol-mistral/otelcol-mistral/internal/fakemistral"
)

// TestRulesAndDashboardUseExportedMetrics runs the distribution so that it
// exports every kind of metric (a healthy TLS probe with rate-limit headers
// and a chat probe, a failing probe, status pages in outage, maintenance and
// behind a challenge, a watched model deprecated and one gone, spans with
// successes, 429s, usage and time to first token), collects the metric names
// from its prometheus exporter, and checks that every metric referenced by
// deploy/prometheus/rules.yaml and deploy/grafana/dashboard.json is among
// them (or is a recording rule defined in rules.yaml). The collector's own
// metrics (otelcol_*) come from its internal telemetry endpoint, with an OTLP
// exporter that cannot deliver so that its failure counters exist; `up` is
// the only series Prometheus itself makes that the rules may use. Each
// dashboard query must also be accepted by a real Prometheus.
func TestRulesAndDashboardUseExportedMetrics(t *testing.T) {
	rulesPath := repoPath(t, "deploy/prometheus/rules.yaml")
	ruleExprs, recorded := ruleExpressions(t, rulesPath)
	dashExprs := dashboardExpressions(t, repoPath(t, "deploy/grafana/dashboard.json"))

	referenced := map[string][]string{} // metric -> where
	for where, exprs := range map[string][]string{"rules.yaml": ruleExprs, "dashboard.json": dashExprs} {
		for _, e := range exprs {
			for _, m := range promQLMetricNames(e) {
				referenced[m] = append(referenced[m], where)
			}
		}
	}
	for _, m := range dashboardVariableMetrics(t, repoPath(t, "deploy/grafana/dashboard.json")) {
		referenced[m] = append(referenced[m], "dashboard.json variables")
	}
	if len(referenced) < 20 {
		t.Fatalf("only %d metric names found in the rules and dashboard: the extraction is broken", len(referenced))
	}
	var want []string
	for m := range referenced {
		if m == "up" {
			continue
		}
		if strings.Contains(m, ":") {
			if !slices.Contains(recorded, m) {
				t.Errorf("%s (used in %v) looks like a recording rule but rules.yaml does not record it", m, referenced[m])
			}
			continue
		}
		want = append(want, m)
	}
	slices.Sort(want)

	fake := StartFake(t, fakemistral.Options{TLS: fakemistral.TLSSelfSigned, Tier: fakemistral.Tier{RequestsPerSecond: 100}})
	fake.SetStatusPage("anthropic", fakemistral.StatusPage{Format: fakemistral.FormatStatuspage, Scenario: fakemistral.ScenarioMajorOutage})
	fake.SetStatusPage("openai", fakemistral.StatusPage{Format: fakemistral.FormatIncidentIO, Scenario: fakemistral.ScenarioMaintenance})
	fake.SetStatusPage("mistral", fakemistral.StatusPage{Format: fakemistral.FormatChallenge})
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, fake.CACertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	otlpPort, promPort, healthPort, telemetryPort := FreePort(t), FreePort(t), FreePort(t), FreePort(t)
	page := func(name string) map[string]any {
		return map[string]any{"name": name, "endpoint": fake.StatusURL() + "/" + name, "format": "auto"}
	}
	cfg := pipelineConfig(t, pipelineOpts{
		OTLPPort: otlpPort, PromPort: promPort, HealthPort: healthPort, Workspace: "e2e", TelemetryPort: telemetryPort,
		// Nothing listens on port 1: every export fails, so the failure counters exist.
		TraceExporters: map[string]any{"otlp_grpc": map[string]any{
			"endpoint": "127.0.0.1:1", "tls": map[string]any{"insecure": true}, "timeout": "200ms",
			"retry_on_failure": map[string]any{"enabled": false},
		}},
		MetricReceivers: map[string]any{
			"mistral/ok": map[string]any{
				"endpoint":            fake.URL(),
				"tls":                 map[string]any{"ca_file": caFile},
				"api_key":             "test-key",
				"workspace":           "e2e",
				"collection_interval": "2s",
				"initial_delay":       "0s",
				"timeout":             "1s",
				// mistral-medium-2505 is deprecated in 60 days in the fake; the last one does not exist.
				"models":       []any{"mistral-small-latest", "mistral-medium-2505", "mistral-tiny-2312"},
				"chat_probe":   map[string]any{"enabled": true, "model": "ministral-8b-latest", "every": 1},
				"status_pages": []any{page("anthropic"), page("openai"), page("mistral")},
				"state":        "mistral_state",
			},
			// Nothing listens on port 1: the probe fails with a connect error.
			"mistral/broken": map[string]any{
				"endpoint":            "http://127.0.0.1:1",
				"api_key":             "test-key",
				"workspace":           "broken",
				"collection_interval": "2s",
				"initial_delay":       "0s",
				"timeout":             "1s",
				"status_pages":        []any{},
				// A fallback: the fake La Plateforme as a second Mistral account.
				"fallbacks": []any{map[string]any{"name": "backup", "kind": "mistral", "endpoint": fake.URL(),
					"api_key": "test-key", "tls": map[string]any{"ca_file": caFile}}},
			},
		},
	})
	StartCollector(t, cfg)
	otlpURL := fmt.Sprintf("http://127.0.0.1:%d", otlpPort)
	metricsURLs := []string{fmt.Sprintf("http://127.0.0.1:%d/metrics", promPort), fmt.Sprintf("http://127.0.0.1:%d/metrics", telemetryPort)}

	exported := map[string]bool{}
	Eventually(t, 60*time.Second, func() error {
		if err := postSpans(otlpURL, mistralSDKSpans("e2e-names", 2, 1)); err != nil {
			return err
		}
		if err := postSpans(otlpURL, streamedSpanWithTTFT()); err != nil {
			return err
		}
		for _, u := range metricsURLs {
			m, err := TryScrapeMetrics(u)
			if err != nil {
				return err
			}
			for name := range m {
				exported[name] = true
			}
		}
		var missing []string
		for _, w := range want {
			if !exported[w] {
				missing = append(missing, fmt.Sprintf("%s (used in %v)", w, referenced[w]))
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("not exported by the distribution: %s\nexported: %v", strings.Join(missing, ", "), slices.Sorted(maps.Keys(exported)))
		}
		return nil
	})
	t.Logf("all %d metrics used by the rules and the dashboard are exported", len(want))

	// The dashboard's queries, with Grafana's variables substituted, must parse.
	prom := startPrometheus(t, fmt.Sprintf("127.0.0.1:%d", promPort), rulesPath)
	for _, e := range dashExprs {
		q := strings.NewReplacer("$__rate_interval", "1m", "$workspace", ".*", "$job", ".*", "$cluster", ".*").Replace(e)
		var data json.RawMessage
		if err := prom.api("/api/v1/query?query="+url.QueryEscape(q), &data); err != nil {
			t.Errorf("dashboard query rejected by Prometheus: %v\n%s", err, q)
		}
	}
}

// streamedSpanWithTTFT is a streamed chat span carrying its time to first
// chunk (gen_ai.response.time_to_first_chunk, seconds).
func streamedSpanWithTTFT() ptrace.Traces {
	td := mistralSDKSpans("e2e-names", 1, 0)
	s := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0)
	s.Attributes().PutDouble("gen_ai.response.time_to_first_chunk", 0.18)
	return td
}

// ruleExpressions returns the expr of every rule in a rules file and the
// names it records.
func ruleExpressions(t testing.TB, path string) (exprs, recorded []string) {
	t.Helper()
	var f struct {
		Groups []struct {
			Rules []struct {
				Record string `yaml:"record"`
				Alert  string `yaml:"alert"`
				Expr   string `yaml:"expr"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &f); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for _, g := range f.Groups {
		for _, r := range g.Rules {
			exprs = append(exprs, r.Expr)
			if r.Record != "" {
				recorded = append(recorded, r.Record)
			}
		}
	}
	return exprs, recorded
}

// dashboardExpressions returns the expr of every target of every panel.
func dashboardExpressions(t testing.TB, path string) []string {
	t.Helper()
	d := readDashboard(t, path)
	var exprs []string
	for _, p := range d.allPanels() {
		for _, tg := range p.Targets {
			if tg.Expr == "" {
				t.Errorf("panel %q: target %s has no expr", p.Title, tg.RefID)
				continue
			}
			exprs = append(exprs, tg.Expr)
		}
	}
	return exprs
}

// promNameRegex is the metric-name matcher of a series selector.
var promNameRegex = regexp.MustCompile(`__name__=~"([^"]+)"`)

// dashboardVariableMetrics returns the metric names the dashboard's query
// variables read (label_values({__name__=~"a|b"}, label)).
func dashboardVariableMetrics(t testing.TB, path string) []string {
	t.Helper()
	var out []string
	for _, v := range readDashboard(t, path).Templating.List {
		q, _ := v.Query.(map[string]any)
		s, _ := q["query"].(string)
		for _, m := range promNameRegex.FindAllStringSubmatch(s, -1) {
			out = append(out, strings.Split(m[1], "|")...)
		}
	}
	return out
}

type dashDatasource struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

type dashPanel struct {
	Type        string          `json:"type"`
	Title       string          `json:"title"`
	Datasource  *dashDatasource `json:"datasource"`
	FieldConfig struct {
		Defaults struct {
			Unit  string `json:"unit"`
			Color struct {
				Mode string `json:"mode"`
			} `json:"color"`
			Thresholds struct {
				Steps []json.RawMessage `json:"steps"`
			} `json:"thresholds"`
			Custom struct {
				CellOptions struct {
					Type string `json:"type"`
				} `json:"cellOptions"`
			} `json:"custom"`
		} `json:"defaults"`
	} `json:"fieldConfig"`
	Targets []struct {
		Expr       string          `json:"expr"`
		RefID      string          `json:"refId"`
		Datasource *dashDatasource `json:"datasource"`
	} `json:"targets"`
	Panels []dashPanel `json:"panels"`
}

type dashboard struct {
	Title      string      `json:"title"`
	UID        string      `json:"uid"`
	Panels     []dashPanel `json:"panels"`
	Templating struct {
		List []struct {
			Name  string `json:"name"`
			Type  string `json:"type"`
			Query any    `json:"query"`
		} `json:"list"`
	} `json:"templating"`
}

// allPanels flattens rows.
func (d dashboard) allPanels() []dashPanel {
	var out []dashPanel
	var walk func([]dashPanel)
	walk = func(ps []dashPanel) {
		for _, p := range ps {
			if p.Type != "row" {
				out = append(out, p)
			}
			walk(p.Panels)
		}
	}
	walk(d.Panels)
	return out
}

func readDashboard(t testing.TB, path string) dashboard {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return d
}

// TestDashboardStructure checks the Grafana dashboard without running
// anything: a Prometheus datasource variable used by every panel and query,
// and the panels an SRE opens during an incident.
func TestDashboardStructure(t *testing.T) {
	d := readDashboard(t, repoPath(t, "deploy/grafana/dashboard.json"))
	if d.UID == "" || d.Title == "" {
		t.Error("dashboard needs a uid and a title")
	}
	hasDS := false
	for _, v := range d.Templating.List {
		if v.Name == "datasource" && v.Type == "datasource" && v.Query == "prometheus" {
			hasDS = true
		}
	}
	if !hasDS {
		t.Error(`no templating variable {"name":"datasource","type":"datasource","query":"prometheus"}`)
	}
	for _, name := range []string{"cluster", "job", "workspace"} {
		found := false
		for _, v := range d.Templating.List {
			if v.Name != name {
				continue
			}
			found = true
			q, _ := v.Query.(map[string]any)
			s, _ := q["query"].(string)
			m := promNameRegex.FindStringSubmatch(s)
			if m == nil || len(strings.Split(m[1], "|")) < 2 {
				t.Errorf("variable %s: query %q does not read several metrics (a probe-only or spans-only setup would leave it empty)", name, s)
			}
		}
		if !found {
			t.Errorf("no %s variable", name)
		}
	}
	titles := ""
	for _, p := range d.allPanels() {
		titles += strings.ToLower(p.Title) + "\n"
		def := p.FieldConfig.Defaults
		if def.Unit == "" {
			t.Errorf("panel %q has no unit", p.Title)
		}
		if p.Type == "table" {
			if ct := def.Custom.CellOptions.Type; ct != "color-background" && ct != "color-text" {
				t.Errorf("table %q: cell type %q shows no colour", p.Title, ct)
			}
			if def.Color.Mode != "thresholds" || len(def.Thresholds.Steps) < 2 {
				t.Errorf("table %q: colour mode %q with %d threshold steps shows no state", p.Title, def.Color.Mode, len(def.Thresholds.Steps))
			}
		}
		// A status code (200, 429, 503) drawn beside 0/1 series squashes them into a line at the bottom.
		if p.Type == "timeseries" && len(p.Targets) > 1 {
			for _, tg := range p.Targets {
				if strings.Contains(tg.Expr, "status_code") {
					t.Errorf("panel %q draws a status code on the same axis as other series", p.Title)
				}
			}
		}
		if p.Datasource == nil || p.Datasource.UID != "${datasource}" {
			t.Errorf("panel %q does not use the ${datasource} variable", p.Title)
		}
		for _, tg := range p.Targets {
			if tg.Datasource == nil || tg.Datasource.UID != "${datasource}" {
				t.Errorf("panel %q target %s does not use the ${datasource} variable", p.Title, tg.RefID)
			}
		}
	}
	for _, want := range []string{"status page", "probe success", "latency by phase", "headroom", "429", "errors by class",
		"fallback", "cost", "tokens", "deprecation"} {
		if !strings.Contains(titles, want) {
			t.Errorf("no panel about %q; panels:\n%s", want, titles)
		}
	}
}

var (
	promString   = regexp.MustCompile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`")
	promMatchers = regexp.MustCompile(`\{[^{}]*\}`)
	promGrouping = regexp.MustCompile(`\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)`)
	promBrackets = regexp.MustCompile(`\[[^\[\]]*\]`)
	promOffset   = regexp.MustCompile(`\boffset\s+-?(?:\d+(?:ms|s|m|h|d|w|y))+`)
	promNumber   = regexp.MustCompile(`\b\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b`)
	promVariable = regexp.MustCompile(`\$\{?\w+\}?`)
	promIdent    = regexp.MustCompile(`[A-Za-z_:][A-Za-z0-9_:]*`)
	promKeywords = []string{"and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right",
		"bool", "offset", "inf", "nan", "Inf", "NaN", "atan2"}
)

// promQLMetricNames returns the metric names a PromQL expression selects:
// identifiers left after removing strings, label matchers, grouping clauses,
// ranges, offsets, numbers and Grafana variables, that are neither keywords nor
// function calls.
func promQLMetricNames(expr string) []string {
	s := promString.ReplaceAllString(expr, `""`)
	s = promMatchers.ReplaceAllString(s, " ")
	s = promGrouping.ReplaceAllString(s, " ")
	s = promBrackets.ReplaceAllString(s, " ")
	s = promOffset.ReplaceAllString(s, " ")
	s = promVariable.ReplaceAllString(s, " ")
	s = promNumber.ReplaceAllString(s, " ")
	var out []string
	for _, loc := range promIdent.FindAllStringIndex(s, -1) {
		name := s[loc[0]:loc[1]]
		rest := strings.TrimLeft(s[loc[1]:], " \t\n")
		if strings.HasPrefix(rest, "(") || slices.Contains(promKeywords, name) {
			continue
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// TestPromQLMetricNames checks the extraction on the shapes the rules and
// the dashboard use.
func TestPromQLMetricNames(t *testing.T) {
	cases := map[string][]string{
		`mistral_api_probe_success == 0 unless on (job, instance, mistral_workspace) mistral_api_probe_status_code == 429`:                                                                                                                                                                {"mistral_api_probe_success", "mistral_api_probe_status_code"},
		`sum by (mistral_workspace) (rate(gen_ai_client_operation_duration_seconds_count{gen_ai_provider_name="mistral_ai", llm_enrich_error_class=~"rate_limit|quota_exhausted"}[10m])) / sum by (mistral_workspace) (rate(gen_ai_client_operation_duration_seconds_count[10m])) > 0.05`: {"gen_ai_client_operation_duration_seconds_count"},
		`mistral_api_tls_cert_remaining_seconds < 14 * 86400`:                                                                                              {"mistral_api_tls_cert_remaining_seconds"},
		`sum(rate(llm_enrich_cost_usd_total[15m])) * 3600 > on () group_left () llm:cost_budget_usd_per_hour`:                                              {"llm_enrich_cost_usd_total", "llm:cost_budget_usd_per_hour"},
		`histogram_quantile(0.95, sum by (le) (rate(gen_ai_client_operation_duration_seconds_bucket{mistral_workspace=~"$workspace"}[$__rate_interval])))`: {"gen_ai_client_operation_duration_seconds_bucket"},
		`max by (x) (a_metric) >= 3 or max by (x) (b_metric{y="z"}) > 1e9 and on (x) c_metric == 1`:                                                        {"a_metric", "b_metric", "c_metric"},
		`sum by (w) ((c_total unless c_total offset 10m) * 1 or increase(c_total[10m]))`:                                                                   {"c_total"},
		`up == 0 and on (job, instance) group by (job, instance) (last_over_time(x_up[1h]))`:                                                               {"up", "x_up"},
		`vector(10)`: nil,
	}
	for expr, want := range cases {
		if got := promQLMetricNames(expr); !slices.Equal(got, want) {
			t.Errorf("promQLMetricNames(%q) = %v, want %v", expr, got, want)
		}
	}
}
