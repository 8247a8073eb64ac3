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
// behind a challenge, a watched model deprecated and one gone, fallback
// providers ready and rate-limited, spans with successes, 429s, usage and
// time to first token), collects the metric names
// from its prometheus exporter, and checks that every metric referenced by
// deploy/prometheus/rules.yaml and deploy/grafana/dashboard.json is among
// them (or is a recording rule defined in rules.yaml). The collector's own
// metrics (otelcol_*) come from its internal telemetry endpoint, with an OTLP
// exporter that cannot deliver so that its failure counters exist; `up` is
// the only series Prometheus itself makes that the rules may use. Each
// dashboard query must also be accepted by a real Prometheus scraping the
// run, and return data.
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
	// Fallback providers: Anthropic ready, OpenAI refusing with 429 and its rate-limit headers (a successful
	// models listing carries none), so that the fallback's readiness, error and rate-limit series all exist.
	openai := fakemistral.NewProvider(fakemistral.ProviderOptions{Kind: fakemistral.ProviderOpenAI})
	anthropic := fakemistral.NewProvider(fakemistral.ProviderOptions{Kind: fakemistral.ProviderAnthropic})
	for _, p := range []*fakemistral.Provider{openai, anthropic} {
		if err := p.Start(""); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(p.Close)
	}
	if err := openai.SetMode(fakemistral.ProviderRateLimit); err != nil {
		t.Fatal(err)
	}
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
				"fallbacks": []any{
					map[string]any{"name": "openai", "kind": "openai", "endpoint": openai.URL(), "api_key": "test-openai-key"},
					map[string]any{"name": "claude", "kind": "anthropic", "endpoint": anthropic.URL(), "api_key": "test-anthropic-key"},
				},
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

	// The dashboard's queries, with Grafana's variables substituted, must parse, and each must show data from this
	// run once Prometheus has scraped a few times: no panel stays empty because its query never matches. The calls
	// go on meanwhile (one to the deprecated model, for the panel of services calling one; counters need two
	// samples to increase).
	prom := startPrometheus(t, fmt.Sprintf("127.0.0.1:%d", promPort), rulesPath)
	vars := strings.NewReplacer("$__rate_interval", "1m", "$workspace", ".*", "$job", ".*", "$cluster", ".*")
	for _, e := range dashExprs {
		var data json.RawMessage
		if err := prom.api("/api/v1/query?query="+url.QueryEscape(vars.Replace(e)), &data); err != nil {
			t.Errorf("dashboard query rejected by Prometheus: %v\n%s", err, vars.Replace(e))
		}
	}
	Eventually(t, 60*time.Second, func() error {
		if err := postSpans(otlpURL, mistralSDKSpans("e2e-names", 2, 1)); err != nil {
			return err
		}
		if err := postSpans(otlpURL, spanForModel("e2e-names", "mistral-medium-2505")); err != nil {
			return err
		}
		var empty []string
		for _, e := range dashExprs {
			var data struct {
				Result []json.RawMessage `json:"result"`
			}
			if err := prom.api("/api/v1/query?query="+url.QueryEscape(vars.Replace(e)), &data); err != nil {
				return err
			}
			if len(data.Result) == 0 {
				empty = append(empty, e)
			}
		}
		if len(empty) > 0 {
			return fmt.Errorf("%d dashboard queries show no data:\n%s", len(empty), strings.Join(empty, "\n"))
		}
		return nil
	})
}

// spanForModel is a successful Mistral chat span naming the given model.
func spanForModel(service, model string) ptrace.Traces {
	td := mistralSDKSpans(service, 1, 0)
	s := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0)
	s.SetName("chat " + model)
	s.Attributes().PutStr("gen_ai.request.model", model)
	s.Attributes().PutStr("gen_ai.response.model", model)
	return td
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
	ID          int             `json:"id"`
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
// every selector filtered by the cluster, job and workspace variables, units,
// table colours, unique panel ids, and the panels an SRE opens during an
// incident.
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
	ids := map[int]string{}
	for _, p := range d.allPanels() {
		if other, dup := ids[p.ID]; dup {
			t.Errorf("panels %q and %q share id %d", other, p.Title, p.ID)
		}
		ids[p.ID] = p.Title
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
			for _, msg := range unfilteredSelectors(tg.Expr) {
				t.Errorf("panel %q target %s: %s", p.Title, tg.RefID, msg)
			}
		}
	}
	for _, want := range []string{"status page", "probe success", "latency by phase", "headroom", "429", "errors by class",
		"fallback", "cost", "tokens", "deprecation", "alias", "fallback ready", "status page format"} {
		if !strings.Contains(titles, want) {
			t.Errorf("no panel about %q; panels:\n%s", want, titles)
		}
	}
}

// dashboardFilters are the matchers of the dashboard's variables every
// selector carries. Status pages describe a provider, not a workspace, so
// their metrics are filtered by job and cluster only; recording rules (a
// name with a colon) keep only the labels they aggregate by.
var dashboardFilters = []string{`job=~"$job"`, `cluster=~"$cluster"`, `mistral_workspace=~"$workspace"`}

// unfilteredSelectors names the series selectors of a dashboard query that
// lack one of dashboardFilters.
func unfilteredSelectors(expr string) []string {
	var out []string
	selectors := promGrouping.ReplaceAllString(expr, " ") // a label may share a metric's name
	for _, name := range promQLMetricNames(expr) {
		if strings.Contains(name, ":") {
			continue
		}
		re := regexp.MustCompile(`\b` + regexp.QuoteMeta(name) + `\b(\{[^{}]*\})?`)
		for _, m := range re.FindAllStringSubmatch(selectors, -1) {
			for _, f := range dashboardFilters {
				if strings.HasPrefix(name, "mistral_status_page_") && strings.HasPrefix(f, "mistral_workspace") {
					continue
				}
				if !strings.Contains(m[1], f) {
					out = append(out, fmt.Sprintf("selector %s has no %s", m[0], f))
				}
			}
		}
	}
	return out
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

// TestUnfilteredSelectors checks the variable-filter check on the shapes the
// dashboard uses.
func TestUnfilteredSelectors(t *testing.T) {
	all := `{mistral_workspace=~"$workspace", job=~"$job", cluster=~"$cluster"}`
	cases := map[string]int{
		`max by (a) (x_metric` + all + `)`:                                                             0,
		`x_metric` + all + ` / (y_metric` + all + ` > 0)`:                                              0,
		`max by (mistral_status_page_name) (mistral_status_page_up{job=~"$job", cluster=~"$cluster"})`: 0,
		`max by (x_metric) (y_metric` + all + ` == 1)`:                                                 0, // a label named like a metric
		`sum(x_metric) * 3600 > on () group_left () llm:cost_budget_usd_per_hour`:                      3,
		`x_metric{mistral_workspace=~"$workspace", job=~"$job"}`:                                       1,
		`x_metric` + all + ` / y_metric{job=~"$job", cluster=~"$cluster"}`:                             1,
		`mistral_status_page_up{job=~"$job"}`:                                                          1,
	}
	for expr, want := range cases {
		if got := unfilteredSelectors(expr); len(got) != want {
			t.Errorf("unfilteredSelectors(%q) = %q, want %d findings", expr, got, want)
		}
	}
}
