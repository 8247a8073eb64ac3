//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/otelcol-mistral/otelcol-mistral/internal/fakemistral"
)

// TestBrowserAlertsPage looks at the Prometheus alerts page the way a person
// does, in a real headless Chromium (Debian's `chromium` package, installed
// by scripts/install-chromium.sh), while Mistral's status page reports a
// major outage: the rendered page must show ProviderStatusPageMajorOutage
// firing. Chromium runs the page's scripts (which hide and show rules) for a
// virtual-time budget before dumping the DOM.
// A screenshot of the page is kept under the test's artifact directory
// ($E2E_ARTIFACTS, else a directory under the system's temporary directory
// that the test does not remove), and its path is logged.
func TestBrowserAlertsPage(t *testing.T) {
	chromium := chromiumBinary(t)
	fake := StartFake(t, fakemistral.Options{Tier: fakemistral.Tier{RequestsPerSecond: 100}})
	// Mistral's page as an Atlassian Statuspage (its default in the fake is a feed), operational.
	fake.SetStatusPage("mistral", fakemistral.StatusPage{Format: fakemistral.FormatStatuspage, Scenario: fakemistral.ScenarioOperational})
	otlpPort, promPort, healthPort := FreePort(t), FreePort(t), FreePort(t)
	StartCollector(t, pipelineConfig(t, pipelineOpts{
		OTLPPort: otlpPort, PromPort: promPort, HealthPort: healthPort,
		Workspace:        "e2e",
		MetricExpiration: "8s",
		MetricReceivers: map[string]any{"mistral": map[string]any{
			"endpoint":            fake.URL(),
			"api_key":             "test-key",
			"workspace":           "e2e",
			"collection_interval": "2s",
			"initial_delay":       "0s",
			"timeout":             "1500ms",
			"status_pages": []any{
				map[string]any{"name": "mistral", "endpoint": fake.StatusURL() + "/mistral", "format": "statuspage"},
			},
		}},
	}))
	prom := startPrometheusShortRules(t, fmt.Sprintf("127.0.0.1:%d", promPort), repoPath(t, "deploy/prometheus/rules.yaml"))
	Eventually(t, 45*time.Second, func() error {
		return prom.expectNonEmpty(`mistral_status_page_up{mistral_status_page_name="mistral"} == 1`)
	})

	fake.SetStatusPage("mistral", fakemistral.StatusPage{Format: fakemistral.FormatStatuspage, Scenario: fakemistral.ScenarioMajorOutage})
	began := time.Now()
	prom.waitFiring(t, 60*time.Second,
		[]alertKey{{"ProviderStatusPageMajorOutage", "mistral_status_page_name", "mistral"}},
		[]string{"ProviderStatusPageMajorOutage"})
	t.Logf("ProviderStatusPageMajorOutage firing in the API %s after the outage began", time.Since(began).Round(100*time.Millisecond))

	// What a person sees: the rule's name in a firing (red) rule block, and a firing alert in its table.
	page := alertsPage(t, prom.url)
	var dom string
	Eventually(t, 60*time.Second, func() error {
		dom = headlessChromium(t, chromium, "--virtual-time-budget=15000", "--dump-dom", page)
		return firingInDOM(dom, "ProviderStatusPageMajorOutage")
	})
	shot := filepath.Join(artifactDir(t), "prometheus-alerts.png")
	headlessChromium(t, chromium, "--virtual-time-budget=15000", "--window-size=1280,1400", "--screenshot="+shot, page)
	if fi, err := os.Stat(shot); err != nil || fi.Size() == 0 {
		t.Fatalf("no screenshot at %s: %v", shot, err)
	}
	t.Logf("screenshot of %s: %s", page, shot)
}

// firingInDOM checks the rendered alerts page shows the rule firing as a
// person sees it (the screenshot): its header row in the firing colour
// (alert-danger, red) with "(N active)", N > 0, and, in the alerts table the
// row expands to on a click, a "firing" state badge before the next rule.
func firingInDOM(dom, rule string) error {
	header := regexp.MustCompile(`<tr class="[^"]*\balert-danger\b[^"]*\balert_header\b[^"]*">\s*<td>[^<]*<i[^>]*></i>\s*<b>` + regexp.QuoteMeta(rule) + `</b>\s*\([1-9]\d* active\)`)
	loc := header.FindStringIndex(dom)
	if loc == nil {
		if !strings.Contains(dom, rule) {
			return fmt.Errorf("the rendered alerts page does not name %s (%d bytes of DOM)", rule, len(dom))
		}
		return fmt.Errorf("%s is on the page but not shown active in the firing colour", rule)
	}
	body := dom[loc[1]:]
	if next := strings.Index(body, "alert_header"); next >= 0 {
		body = body[:next]
	}
	if !regexp.MustCompile(`class="[^"]*\bstate_indicator\b[^"]*">\s*firing\s*<`).MatchString(body) {
		return fmt.Errorf("%s has no alert in state firing on the page", rule)
	}
	return nil
}

// alertsPage is the URL of Prometheus' alerts page. Debian's package serves
// only the classic UI (its / redirects to /classic/graph, and /alerts is a
// 404); an upstream build serves /alerts.
func alertsPage(t testing.TB, base string) string {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if strings.HasPrefix(resp.Header.Get("Location"), "/classic/") {
		return base + "/classic/alerts"
	}
	return base + "/alerts"
}

// chromiumBinary finds Debian's chromium.
func chromiumBinary(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("chromium is not installed: run scripts/install-chromium.sh (make test-e2e does)")
	return ""
}

// headlessChromium runs one headless Chromium command with a fresh profile
// and returns its standard output (the DOM with --dump-dom). The flags keep
// it from calling anything but the page (no sync, updates or QUIC probes);
// --no-sandbox because tests may run as root.
func headlessChromium(t testing.TB, bin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	base := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage", "--user-data-dir=" + t.TempDir(),
	}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var stderr syncBuffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, tail(stderr.String(), 4000))
	}
	return string(out)
}

// artifactDir is where a test keeps files for a person to look at after it:
// $E2E_ARTIFACTS/<test>, else a new directory under the system's temporary
// directory. Neither is removed.
func artifactDir(t testing.TB) string {
	t.Helper()
	name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())
	if root := os.Getenv("E2E_ARTIFACTS"); root != "" {
		dir := filepath.Join(root, name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	dir, err := os.MkdirTemp("", "otelcol-mistral-e2e-"+name+"-")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}
