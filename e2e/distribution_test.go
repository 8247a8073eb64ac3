//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/otelcol-mistral/otelcol-mistral/internal/fakemistral"
)

// TestComponentsListed checks that the distribution carries every component
// the project ships (builder-config.yaml).
func TestComponentsListed(t *testing.T) {
	out, err := exec.Command(CollectorBinary(t), "components").CombinedOutput()
	if err != nil {
		t.Fatalf("components: %v\n%s", err, out)
	}
	want := map[string][]string{
		"receivers":  {"mistral", "otlp"},
		"processors": {"llm_enrich", "batch", "memory_limiter"},
		"connectors": {"span_metrics", "signal_to_metrics"},
		"exporters":  {"debug", "otlp_grpc", "otlp_http", "prometheus", "file", "load_balancing"},
		"extensions": {"health_check", "zpages"},
	}
	listed := parseComponents(string(out))
	for kind, names := range want {
		for _, n := range names {
			if !listed[kind][n] {
				t.Errorf("%s %q is not in `otelcol-mistral components`", kind, n)
			}
		}
	}
	for _, scheme := range []string{"env", "file", "yaml", "http", "https"} {
		if !strings.Contains(string(out), "confmap/provider/"+scheme+"provider") {
			t.Errorf("config provider %q is not in `otelcol-mistral components`", scheme)
		}
	}
}

// parseComponents reads the `components` output: kind → set of names.
func parseComponents(out string) map[string]map[string]bool {
	listed := map[string]map[string]bool{}
	kind := ""
	for _, line := range strings.Split(out, "\n") {
		if line != "" && line[0] != ' ' && strings.HasSuffix(line, ":") {
			kind = strings.TrimSuffix(line, ":")
			listed[kind] = map[string]bool{}
			continue
		}
		if name, ok := strings.CutPrefix(strings.TrimSpace(line), "- name: "); ok && kind != "" {
			listed[kind][name] = true
		}
	}
	return listed
}

// TestRunConfigWithoutKey runs the `make run` configuration without an API
// key. So that nothing leaves the machine, an overlay points its status page
// at the fake; the receiver must start, keep its API probes off and report
// the status page.
func TestRunConfigWithoutKey(t *testing.T) {
	fake := StartFake(t, fakemistral.Options{})
	overlay := fmt.Sprintf(`receivers:
  mistral:
    endpoint: %s
    collection_interval: 2s
    timeout: 1s
    status_pages:
      - name: mistral
        endpoint: %s/mistral
        format: auto
service:
  telemetry:
    metrics:
      level: none
`, fake.URL(), fake.StatusURL())
	dir := t.TempDir()
	overlayPath := filepath.Join(dir, "overlay.yaml")
	if err := os.WriteFile(overlayPath, []byte(overlay), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(CollectorBinary(t), "--config="+filepath.Join(RepoRoot(t), "config.yaml"),
		"--config="+filepath.Join(RepoRoot(t), "genai-metrics.yaml"), "--config="+overlayPath)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("collector output:\n%s", tail(out.String(), 8000))
		}
	})
	Eventually(t, 60*time.Second, func() error {
		m, err := TryScrapeMetrics("http://127.0.0.1:8889/metrics")
		if err != nil {
			return err
		}
		if len(Find(m, "mistral_status_page_up", map[string]string{"mistral_status_page_name": "mistral"})) == 0 {
			return fmt.Errorf("no mistral_status_page_up for the mistral page yet")
		}
		for name := range m {
			if strings.HasPrefix(name, "mistral_api_probe_success") {
				return fmt.Errorf("API probe ran without a key: %s", name)
			}
		}
		return nil
	})
	if n := fake.CountRequests("/v1/models"); n != 0 {
		t.Errorf("without a key the receiver called /v1/models %d times", n)
	}
}

// TestDemo runs `make demo`'s script and expects probe metrics (the
// fallback's among them) and metrics derived from the demo application's
// spans within 60 s, the live summary on its output, the project's rules
// loaded in its Prometheus, and the
// collector's log in the demo directory with one line per batch of spans
// (no span dump); then stops it with Ctrl-C (SIGINT) and expects every
// process it started to end.
func TestDemo(t *testing.T) {
	root := RepoRoot(t)
	for _, bin := range []string{"fakemistral", "genaitraffic", "mistraltop"} {
		if _, err := os.Stat(filepath.Join(root, "_build", "bin", bin)); err != nil {
			t.Fatalf("%s not built (%v): run `make test-e2e`", bin, err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(root, "scripts", "demo.sh"))
	cmd.Dir = root
	demoDir := t.TempDir()
	cmd.Env = append(os.Environ(), "DEMO_DIR="+demoDir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		if t.Failed() {
			t.Logf("demo output:\n%s", tail(out.String(), 8000))
		}
	})

	Eventually(t, 60*time.Second, func() error {
		m, err := TryScrapeMetrics("http://127.0.0.1:8889/metrics")
		if err != nil {
			return err
		}
		for _, prefix := range []string{"mistral_api_probe_success", "mistral_status_page_up", "mistral_fallback_probe_success", "gen_ai_client_operation_duration_seconds", "llm_enrich_cost_usd"} {
			if !hasPrefix(m, prefix) {
				return fmt.Errorf("no %s* metric yet", prefix)
			}
		}
		return nil
	})
	t.Logf("demo showed probe and derived metrics after %s", time.Since(start).Round(time.Second))
	Eventually(t, 30*time.Second, func() error {
		if !strings.Contains(out.String(), "Traffic, last") || !strings.Contains(out.String(), "workspace demo") {
			return fmt.Errorf("no summary screen with traffic in the demo's output yet")
		}
		return nil
	})
	if strings.Contains(out.String(), "llm_enrich.") {
		t.Errorf("span attributes in the demo's terminal output: it should show only the summary")
	}
	resp, err := http.Get("http://127.0.0.1:9090/api/v1/rules")
	if err != nil {
		t.Fatalf("the demo's Prometheus: %v", err)
	}
	rules, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(rules), `"name":"MistralRateLimitRateHigh"`) {
		t.Errorf("the demo's Prometheus has not loaded the project's rules: %.300s", rules)
	}
	logs, err := os.ReadFile(filepath.Join(demoDir, "otelcol-mistral.log"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(logs), `"otelcol.signal": "traces"`) || strings.Contains(string(logs), "llm_enrich.") {
		t.Errorf("the collector's log should have a line per batch of spans and no span attributes:\n%s", tail(string(logs), 2000))
	}

	// Ctrl-C reaches the whole foreground process group.
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("demo did not stop within 30 s of Ctrl-C")
	}
	for _, port := range []string{"8090", "8091", "8092", "4318", "8889", "13133", "9090"} {
		if c, err := (&netDialer{}).dial("127.0.0.1:" + port); err == nil {
			c.Close()
			t.Errorf("something still listens on 127.0.0.1:%s after Ctrl-C", port)
		}
	}
}

func hasPrefix(m map[string][]Sample, prefix string) bool {
	for name := range m {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}
