package main

import (
	"bytes"
	"context"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden screens in testdata/*/screen.txt")

// t0 is the time of each scenario's first scrape; the second is a minute later.
var t0 = time.Date(2026, 12, 4, 19, 30, 0, 0, time.UTC)

var testOptions = options{mistralPages: []string{"mistral", "rootly"}, soon: 30 * 24 * time.Hour}

// TestGoldenScreens renders each scenario of testdata/: two scrapes of a
// collector's /metrics (before.prom, after.prom; taken at the two times of
// times.txt, else a minute apart from t0) and, when present, Prometheus'
// /api/v1/alerts at the second (alerts.json); the screen must equal
// screen.txt. The scenarios were captured from `make demo` by
// `CAPTURE=dir scripts/demo-timings.sh`, after each README "break things"
// command, at the moment its alert fired.
func TestGoldenScreens(t *testing.T) {
	dirs, err := filepath.Glob("testdata/*")
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) == 0 {
		t.Fatal("no scenario in testdata/")
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			at0, at1 := scrapeTimes(t, dir)
			before := readSnapshot(t, filepath.Join(dir, "before.prom"), at0)
			after := readSnapshot(t, filepath.Join(dir, "after.prom"), at1)
			var alerts *alertsResult
			if body, err := os.ReadFile(filepath.Join(dir, "alerts.json")); err == nil {
				alerts = parseAlerts(body)
				if alerts.err != nil {
					t.Fatal(alerts.err)
				}
			}
			got := render(summarize(before, after, alerts, testOptions), "http://127.0.0.1:8889/metrics")
			golden := filepath.Join(dir, "screen.txt")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if d := cmp.Diff(string(want), got); d != "" {
				t.Errorf("screen differs from %s (-want +got; go test -update rewrites it):\n%s", golden, d)
			}
		})
	}
}

func scrapeTimes(t *testing.T, dir string) (time.Time, time.Time) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "times.txt"))
	if os.IsNotExist(err) {
		return t0, t0.Add(time.Minute)
	}
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(b))
	if len(f) != 2 {
		t.Fatalf("times.txt: want two RFC 3339 times, got %q", b)
	}
	var ts [2]time.Time
	for i := range ts {
		if ts[i], err = time.Parse(time.RFC3339, f[i]); err != nil {
			t.Fatalf("times.txt: %v", err)
		}
	}
	return ts[0], ts[1]
}

func readSnapshot(t *testing.T, path string, at time.Time) *snapshot {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := parseSnapshot(f, at)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return s
}

func parse(t *testing.T, text string, at time.Time) *snapshot {
	t.Helper()
	s, err := parseSnapshot(strings.NewReader(text), at)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestExtraLabelsAndWindowsInSeconds: a headroom family keyed by a window in
// seconds and a model, and extra labels on every family, change no reading.
func TestExtraLabelsAndWindowsInSeconds(t *testing.T) {
	cur := parse(t, `
mistral_api_probe_success{mistral_workspace="w",region="eu"} 1
mistral_ratelimit_tokens_limit{mistral_workspace="w",gen_ai_request_model="mistral-small-2506",mistral_ratelimit_window="60"} 500000
mistral_ratelimit_tokens_remaining{mistral_workspace="w",gen_ai_request_model="mistral-small-2506",mistral_ratelimit_window="60"} 125000
mistral_ratelimit_tokens_limit{mistral_workspace="w",gen_ai_request_model="mistral-small-2506",mistral_ratelimit_window="2592000"} 4e+06
mistral_ratelimit_tokens_remaining{mistral_workspace="w",gen_ai_request_model="mistral-small-2506",mistral_ratelimit_window="2592000"} 4e+06
mistral_ratelimit_requests_limit{mistral_workspace="w",gen_ai_request_model="mistral-small-2506",mistral_ratelimit_window="10"} 50
mistral_ratelimit_requests_remaining{mistral_workspace="w",gen_ai_request_model="mistral-small-2506",mistral_ratelimit_window="10"} 0
`, t0)
	h := headroom(cur)
	want := []headroomRow{{workspace: "w", model: "mistral-small-2506", limits: []limitRow{
		{what: "requests", window: "10 s", remaining: 0, limit: 50},
		{what: "tokens", window: "minute", remaining: 125000, limit: 500000},
		{what: "tokens", window: "month", remaining: 4e6, limit: 4e6},
	}}}
	if d := cmp.Diff(want, h, cmp.AllowUnexported(headroomRow{}, limitRow{})); d != "" {
		t.Error(d)
	}
	if p := probes(cur); len(p) != 1 || !p[0].success || p[0].workspace != "w" {
		t.Errorf("probes: %+v", p)
	}
}

// TestTrafficIncrease: counters are compared by series; a new series counts
// from 0 and a reset series from its current value; extra labels are summed.
func TestTrafficIncrease(t *testing.T) {
	prev := parse(t, `
gen_ai_client_operation_duration_seconds_count{gen_ai_provider_name="mistral_ai",gen_ai_request_model="m",llm_enrich_error_class="none",job="a"} 100
gen_ai_client_operation_duration_seconds_count{gen_ai_provider_name="mistral_ai",gen_ai_request_model="m",llm_enrich_error_class="none",job="b"} 50
gen_ai_client_operation_duration_seconds_count{gen_ai_provider_name="mistral_ai",gen_ai_request_model="m",llm_enrich_error_class="rate_limit",job="a"} 10
`, t0)
	cur := parse(t, `
gen_ai_client_operation_duration_seconds_count{gen_ai_provider_name="mistral_ai",gen_ai_request_model="m",llm_enrich_error_class="none",job="a"} 130
gen_ai_client_operation_duration_seconds_count{gen_ai_provider_name="mistral_ai",gen_ai_request_model="m",llm_enrich_error_class="none",job="b"} 5
gen_ai_client_operation_duration_seconds_count{gen_ai_provider_name="mistral_ai",gen_ai_request_model="m",llm_enrich_error_class="rate_limit",job="a"} 20
gen_ai_client_operation_duration_seconds_count{gen_ai_provider_name="mistral_ai",gen_ai_request_model="m",llm_enrich_error_class="provider_capacity",job="a"} 3
llm_enrich_fallback_triggers_total{gen_ai_provider_name="mistral_ai",gen_ai_request_model="m",llm_enrich_error_class="rate_limit"} 7
`, t0.Add(time.Minute))
	got := traffic(prev, cur)
	if len(got) != 1 {
		t.Fatalf("rows: %+v", got)
	}
	r := got[0]
	// none: 30 + 5 (reset); rate_limit: 10; capacity: 3 (new); fallbacks: 7 (new).
	if r.calls != 48 || r.rateLimited != 10 || r.fallb != 7 || r.classes["provider_capacity"] != 3 || r.hasCost {
		t.Errorf("row: %+v", r)
	}
}

// TestVerdictFallbackAliasBilling: a fallback that rejects its key, an alias
// that moved between the scrapes (named with its new target) and a 402 on the
// probe each have a sentence, and none reads as all clear.
func TestVerdictFallbackAliasBilling(t *testing.T) {
	prev := parse(t, `
mistral_model_alias_changes_total{gen_ai_request_model="mistral-small-latest",mistral_workspace="w"} 0
mistral_model_alias_changes_total{gen_ai_request_model="mistral-large-latest",mistral_workspace="w"} 2
`, t0)
	cur := parse(t, `
mistral_api_probe_success{mistral_workspace="w"} 0
mistral_api_probe_status_code{mistral_workspace="w"} 402
mistral_api_probe_error{mistral_workspace="w",error_type="quota_exhausted"} 1
mistral_api_probe_error{mistral_workspace="w",error_type="rate_limit"} 0
mistral_model_alias_changes_total{gen_ai_request_model="mistral-small-latest",mistral_workspace="w"} 1
mistral_model_alias_changes_total{gen_ai_request_model="mistral-large-latest",mistral_workspace="w"} 2
mistral_model_target{gen_ai_request_model="mistral-small-latest",mistral_model_resolved="mistral-small-2506",mistral_model_replacement="",mistral_workspace="w"} 0
mistral_model_target{gen_ai_request_model="mistral-small-latest",mistral_model_resolved="mistral-small-2603",mistral_model_replacement="",mistral_workspace="w"} 1
mistral_fallback_probe_success{mistral_fallback_kind="anthropic",mistral_fallback_name="claude"} 0
mistral_fallback_probe_status_code{mistral_fallback_kind="anthropic",mistral_fallback_name="claude"} 401
mistral_fallback_probe_error{error_type="authentication",mistral_fallback_kind="anthropic",mistral_fallback_name="claude"} 1
mistral_fallback_probe_error{error_type="timeout",mistral_fallback_kind="anthropic",mistral_fallback_name="claude"} 0
mistral_fallback_probe_success{mistral_fallback_kind="openai",mistral_fallback_name="gpt"} 1
`, t0.Add(time.Minute))
	s := summarize(prev, cur, nil, testOptions)
	want := []string{
		"La Plateforme is failing for workspace w: the workspace's budget is spent (402): raise the spending limit in the billing console; retrying will not help.",
		"Fallback claude (anthropic) is not ready: it rejects its key (authentication): rotate the key the collector and the application read; a failover to it would fail now.",
		"mistral-small-latest now points to mistral-small-2603 (alias moved in the last 1m): the behaviour, quality and price of its calls may have changed without a deploy.",
	}
	if d := cmp.Diff(want, s.verdict); d != "" {
		t.Errorf("verdict (-want +got):\n%s", d)
	}
	screen := render(s, "x")
	for _, line := range []string{"  claude  anthropic  NOT READY 401 authentication", "  gpt     openai     ready", "  mistral-small-latest now points to mistral-small-2603 (alias moved in the last 1m)"} {
		if !strings.Contains(screen, line+"\n") {
			t.Errorf("screen lacks %q:\n%s", line, screen)
		}
	}
}

func TestHistoryWindow(t *testing.T) {
	var h history
	at := func(s int) *snapshot { return &snapshot{at: t0.Add(time.Duration(s) * time.Second)} }
	if prev := h.add(at(0), time.Minute); prev != nil {
		t.Fatalf("first scrape has a previous one: %v", prev.at)
	}
	for _, c := range []struct{ at, wantPrev int }{{5, 0}, {30, 0}, {60, 0}, {65, 5}, {95, 30}, {200, 95}} {
		prev := h.add(at(c.at), time.Minute)
		if got := int(prev.at.Sub(t0).Seconds()); got != c.wantPrev {
			t.Errorf("at %ds: compared with %ds, want %ds", c.at, got, c.wantPrev)
		}
	}
	if len(h.snaps) > 3 {
		t.Errorf("history keeps %d scrapes", len(h.snaps))
	}
}

func TestWindowName(t *testing.T) {
	for in, want := range map[string]string{
		"minute": "minute", "month": "month", "60": "minute", "1": "second", "10": "10 s",
		"300": "5 minutes", "2592000": "month", "2678400": "month", "86400": "day",
	} {
		if got := windowName(in); got != want {
			t.Errorf("windowName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRunPlain runs the command's loop against a fake exporter and a fake
// Prometheus: plain lines (no escape code) when stdout is not a terminal.
func TestRunPlain(t *testing.T) {
	metrics := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("mistral_api_probe_success{mistral_workspace=\"demo\"} 1\nmistral_api_probe_status_code{mistral_workspace=\"demo\"} 200\n"))
	}))
	defer metrics.Close()
	prom := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/alerts" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte(`{"status":"success","data":{"alerts":[{"labels":{"alertname":"ProviderStatusPageUnreadable","mistral_status_page_name":"mistral"},"state":"firing","activeAt":"2026-12-04T19:29:00Z"}]}}`))
	}))
	defer prom.Close()
	var out bytes.Buffer
	cfg := config{metrics: metrics.URL + "/metrics", prometheus: prom.URL, pages: "mistral", every: 10 * time.Millisecond, window: time.Minute, soon: time.Hour, count: 2, footer: "Ctrl-C stops."}
	if err := run(context.Background(), cfg, &out, false); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if strings.Contains(s, "\x1b") {
		t.Errorf("escape codes in plain output:\n%q", s)
	}
	for _, want := range []string{"workspace demo", "up, 200", "FIRING  ProviderStatusPageUnreadable  mistral_status_page_name=mistral", "Ctrl-C stops."} {
		if strings.Count(s, want) != 2 {
			t.Errorf("want %q on each of the 2 screens:\n%s", want, s)
		}
	}
}

// TestScrapeErrorIsAScreen: an unreachable collector is said on the screen.
func TestScrapeErrorIsAScreen(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	var out bytes.Buffer
	cfg := config{metrics: srv.URL + "/metrics", every: time.Millisecond, window: time.Minute, count: 1}
	if err := run(context.Background(), cfg, &out, true); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "\x1b[H\x1b[2J") || !strings.Contains(out.String(), "Cannot read the collector's metrics: GET "+srv.URL+"/metrics: 404 Not Found") {
		t.Errorf("screen:\n%q", out.String())
	}
}
