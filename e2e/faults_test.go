//go:build e2e

package e2e

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/otelcol-mistral/otelcol-mistral/internal/fakemistral"
)

// faultPhase is one fault the fake holds while the distribution runs.
type faultPhase struct {
	name  string
	fault fakemistral.Fault
	// want is the error_type label the exporter must show ("" = healthy).
	want string
	// every is the least time between two API requests the receiver may
	// make under this fault (the interval, or the Retry-After).
	every time.Duration
	// minuteBackoff: a 429 without Retry-After, no request before the
	// next minute boundary.
	minuteBackoff bool
}

// TestFaultsDistribution runs the built distribution with the mistral
// receiver (collection_interval 1s) against the fake and switches faults at
// run time. For each: /metrics shows the right error_type, the collector stays healthy and alive, it logs a few lines per
// fault rather than one per scrape, and it sends at most one GET /v1/models
// per interval (or per Retry-After, or per minute after a bare 429).
func TestFaultsDistribution(t *testing.T) {
	fake := StartFake(t, fakemistral.Options{Tier: fakemistral.Tier{RequestsPerSecond: -1, TokensPerMinute: -1, TokensPerMonth: -1}})
	promPort, healthPort := FreePort(t), FreePort(t)
	const interval = time.Second
	cfg := fmt.Sprintf(`receivers:
  mistral:
    endpoint: %s
    api_key: test-key
    workspace: e2e-faults
    collection_interval: 1s
    initial_delay: 0s
    timeout: 500ms
    models: [mistral-small-latest]
    status_pages:
      - name: mistral
        endpoint: %s/mistral
        format: auto
exporters:
  prometheus:
    endpoint: 127.0.0.1:%d
extensions:
  health_check:
    endpoint: 127.0.0.1:%d
service:
  extensions: [health_check]
  telemetry:
    metrics:
      level: none
  pipelines:
    metrics:
      receivers: [mistral]
      exporters: [prometheus]
`, fake.URL(), fake.StatusURL(), promPort, healthPort)
	c := StartCollector(t, cfg)
	metricsURL := fmt.Sprintf("http://127.0.0.1:%d/metrics", promPort)
	healthURL := fmt.Sprintf("http://127.0.0.1:%d/", healthPort)

	phases := []faultPhase{
		{name: "healthy", want: "", every: interval},
		{name: "server_error_500", fault: fakemistral.Fault{Mode: fakemistral.Fault500}, want: "server_error", every: interval},
		{name: "hang", fault: fakemistral.Fault{Mode: fakemistral.FaultHang}, want: "timeout", every: interval},
		{name: "reset", fault: fakemistral.Fault{Mode: fakemistral.FaultReset}, want: "transport", every: interval},
		{name: "huge_body", fault: fakemistral.Fault{Mode: fakemistral.FaultHugeBody}, want: "body_too_large", every: interval},
		{name: "html", fault: fakemistral.Fault{Mode: fakemistral.FaultHTML}, want: "invalid_body", every: interval},
		{name: "unauthorized_401", fault: fakemistral.Fault{Mode: fakemistral.Fault401}, want: "authentication", every: interval},
		{name: "redirect_loop", fault: fakemistral.Fault{Mode: fakemistral.FaultRedirectLoop}, want: "redirect", every: interval},
		{name: "recovered", want: "", every: interval},
		{name: "429_retry_after_2s", fault: fakemistral.Fault{Mode: fakemistral.Fault429Code1300, RetryAfter: 2}, want: "rate_limit", every: 2 * time.Second},
		// Last: a bare 429 holds the probe until the next minute boundary.
		{name: "429_bare", fault: fakemistral.Fault{Mode: fakemistral.Fault429Bare}, want: "rate_limit", minuteBackoff: true},
	}
	const hold = 3 * time.Second
	var table []string
	for _, ph := range phases {
		logsBefore := countLines(c.Logs())
		reqBefore := fake.CountRequests("/v1/models")
		hwmBefore := procStatusKiB(t, c, "VmHWM")
		start := time.Now()
		fake.SetFault(ph.fault)

		// The exporter shows this phase's outcome.
		Eventually(t, 20*time.Second, func() error {
			m, err := TryScrapeMetrics(metricsURL)
			if err != nil {
				return err
			}
			return probeShows(m, ph.want)
		})
		seenAfter := time.Since(start)
		time.Sleep(hold)

		// Still healthy, still running.
		if c.Exited() {
			t.Fatalf("%s: the collector exited", ph.name)
		}
		resp, err := http.Get(healthURL)
		if err != nil {
			t.Fatalf("%s: health_check: %v", ph.name, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: health_check answers %s", ph.name, resp.Status)
		}
		m := ScrapeMetrics(t, metricsURL)
		if err := probeShows(m, ph.want); err != nil {
			t.Errorf("%s: after %s: %v", ph.name, hold, err)
		}

		// At most one request per interval (or per backoff).
		elapsed := time.Since(start)
		requests := fake.CountRequests("/v1/models") - reqBefore
		allowed := int(elapsed/max(ph.every, time.Millisecond)) + 1
		if ph.minuteBackoff {
			allowed = 1 + minuteBoundaries(start, time.Now())
			if b := Find(m, "mistral_api_probe_backoff_seconds", nil); len(b) != 1 || b[0].Value <= 0 || b[0].Value > 60 {
				t.Errorf("%s: mistral_api_probe_backoff_seconds = %v, want one sample in (0, 60]", ph.name, b)
			}
		}
		if requests > allowed {
			t.Errorf("%s: %d GET /v1/models in %s, at most %d allowed", ph.name, requests, elapsed.Round(time.Millisecond), allowed)
		}

		// A few lines per fault, not one per scrape.
		newLines := countLines(c.Logs()) - logsBefore
		if newLines > 3 {
			t.Errorf("%s: %d log lines in %s (at most 3: one per change of state)", ph.name, newLines, elapsed.Round(time.Millisecond))
		}
		hwm := procStatusKiB(t, c, "VmHWM")
		if ph.fault.Mode == fakemistral.FaultHugeBody && hwm-hwmBefore > 40<<10 {
			t.Errorf("huge_body: peak RSS grew by %d MiB while 64 MiB bodies were answered (max_body_size is 4 MiB)", (hwm-hwmBefore)>>10)
		}
		table = append(table, fmt.Sprintf("%-20s %-18s seen after %5s, %2d requests in %5s (max %2d), %d log lines, peak RSS %d MiB",
			ph.name, outcomeLabel(ph.want), seenAfter.Round(100*time.Millisecond), requests, elapsed.Round(100*time.Millisecond),
			allowed, newLines, hwm>>10))
	}
	t.Logf("fault phases:\n%s", strings.Join(table, "\n"))
}

// outcomeLabel names a phase's expected outcome.
func outcomeLabel(want string) string {
	if want == "" {
		return "success"
	}
	return want
}

// probeShows checks the API probe's outcome on the exporter: success 1 and
// no error at 1 for want "", else success 0 and, in the error state set
// (every error_type, 1 for the current one), want alone at 1.
func probeShows(m map[string][]Sample, want string) error {
	success := Find(m, "mistral_api_probe_success", nil)
	if len(success) != 1 {
		return fmt.Errorf("%d mistral_api_probe_success samples", len(success))
	}
	var errs []string // the error types at 1
	for _, s := range Find(m, "mistral_api_probe_error", nil) {
		if s.Value == 1 {
			errs = append(errs, s.Labels["error_type"])
		}
	}
	slices.Sort(errs)
	wantErrs := []string{want}
	if want == "" {
		wantErrs = nil
	}
	if (success[0].Value == 1) != (want == "") || !slices.Equal(errs, wantErrs) {
		return fmt.Errorf("mistral_api_probe_success = %v and errors at 1 %v, want %s", success[0].Value, errs, outcomeLabel(want))
	}
	return nil
}

// minuteBoundaries counts the minute boundaries crossed between a and b.
func minuteBoundaries(a, b time.Time) int {
	return int(b.Truncate(time.Minute).Sub(a.Truncate(time.Minute)) / time.Minute)
}

// countLines counts the lines of a log.
func countLines(s string) int { return strings.Count(s, "\n") }

// procStatusKiB reads a field of /proc/<pid>/status of the collector, in KiB
// (VmHWM: peak resident set size; VmRSS: current).
func procStatusKiB(t testing.TB, c *Collector, field string) int64 {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", c.cmd.Process.Pid))
	if err != nil {
		t.Fatalf("read the collector's /proc status: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), field+":")
		if !ok {
			continue
		}
		v, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		if err != nil {
			t.Fatalf("parse %s: %v", field, err)
		}
		return v
	}
	t.Fatalf("no %s in /proc/%d/status", field, c.cmd.Process.Pid)
	return 0
}
