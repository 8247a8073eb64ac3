//go:build e2e

package e2e

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/otelcol-mistral/otelcol-mistral/internal/fakemistral"
)

// The canary keys: distinctive strings that cannot appear anywhere by
// chance, so that finding one (or a large piece of one) means a leak.
const (
	canaryKey         = "canary-sk-7f3c9e1d2b"
	canaryRejectedKey = "canary-sk-rejected-4a8e60c5"
)

// secretsConfig is a collector that shows everything it can: debug logs,
// the debug exporter at detailed verbosity, a file exporter writing the
// metrics as JSON, the prometheus exporter and its own telemetry.
func secretsConfig(fake *fakemistral.Server, promPort, healthPort, telemetryPort int, metricsFile string) string {
	return fmt.Sprintf(`receivers:
  mistral:
    endpoint: %s
    api_key: ${env:MISTRAL_API_KEY}
    workspace: e2e-secrets
    collection_interval: 1s
    initial_delay: 0s
    timeout: 800ms
    models: [mistral-small-latest, mistral-large-latest]
    chat_probe:
      enabled: true
      model: ministral-8b-latest
      every: 2
      delay: 100ms
    status_pages:
      - name: mistral
        endpoint: %[2]s/mistral
        format: auto
      - name: anthropic
        endpoint: %[2]s/anthropic
        format: statuspage
exporters:
  prometheus:
    endpoint: 127.0.0.1:%[3]d
  debug:
    verbosity: detailed
  file:
    path: %[6]s
    format: json
    flush_interval: 200ms
extensions:
  health_check:
    endpoint: 127.0.0.1:%[4]d
service:
  extensions: [health_check]
  telemetry:
    logs:
      level: debug
    metrics:
      level: detailed
      readers:
        - pull:
            exporter:
              prometheus:
                host: 127.0.0.1
                port: %[5]d
  pipelines:
    metrics:
      receivers: [mistral]
      exporters: [prometheus, debug, file]
`, fake.URL(), fake.StatusURL(), promPort, healthPort, telemetryPort, metricsFile)
}

// TestSecretsCanaryKey configures a canary API key through the environment
// and looks for it everywhere the collector writes: its logs at debug level
// (the debug exporter's detailed output included), the exported metrics
// (prometheus), their resource and data point attributes (file exporter),
// the collector's own telemetry, the error messages of failing probes, the
// print-config and validate commands, and the fake's request log, where the
// key may only be on requests to the API listener.
func TestSecretsCanaryKey(t *testing.T) {
	fake := StartFake(t, fakemistral.Options{
		APIKeys: map[string]string{canaryKey: "e2e-secrets"},
		Tier:    fakemistral.Tier{RequestsPerSecond: -1, TokensPerMinute: -1, TokensPerMonth: -1},
	})
	fake.SetStatusPage("anthropic", fakemistral.StatusPage{Format: fakemistral.FormatStatuspage, Scenario: fakemistral.ScenarioMinor})
	promPort, healthPort, telemetryPort := FreePort(t), FreePort(t), FreePort(t)
	metricsFile := filepath.Join(t.TempDir(), "metrics.json")
	cfg := secretsConfig(fake, promPort, healthPort, telemetryPort, metricsFile)
	c := StartCollector(t, cfg, "MISTRAL_API_KEY="+canaryKey)
	metricsURL := fmt.Sprintf("http://127.0.0.1:%d/metrics", promPort)
	telemetryURL := fmt.Sprintf("http://127.0.0.1:%d/metrics", telemetryPort)

	// Healthy first: the API and chat probes succeed with the key.
	Eventually(t, 30*time.Second, func() error {
		m, err := TryScrapeMetrics(metricsURL)
		if err != nil {
			return err
		}
		for _, name := range []string{"mistral_api_probe_success", "mistral_chat_probe_success"} {
			if s := Find(m, name, nil); len(s) != 1 || s[0].Value != 1 {
				return fmt.Errorf("%s = %v, want 1", name, s)
			}
		}
		return nil
	})

	// Then every kind of failure, so that error messages are logged.
	for _, f := range []struct {
		mode fakemistral.FaultMode
		want string
	}{
		{fakemistral.Fault401, "authentication"},
		{fakemistral.Fault500, "server_error"},
		{fakemistral.FaultHang, "timeout"},
		{fakemistral.FaultReset, "transport"},
		{fakemistral.FaultHTML, "invalid_body"},
		{fakemistral.FaultRedirectLoop, "redirect"},
		{fakemistral.FaultInvalidModel, "model_not_found"},
	} {
		fake.SetFault(fakemistral.Fault{Mode: f.mode})
		Eventually(t, 15*time.Second, func() error {
			m, err := TryScrapeMetrics(metricsURL)
			if err != nil {
				return err
			}
			if !probeErrorIs(m, f.want) {
				return fmt.Errorf("%s: mistral_api_probe_error{error_type=%q} is not 1 yet", f.mode, f.want)
			}
			return nil
		})
	}
	fake.SetFault(fakemistral.Fault{})
	time.Sleep(1500 * time.Millisecond) // one more healthy scrape, then let the file exporter flush

	outputs := map[string]string{
		"prometheus /metrics":        httpGetText(t, metricsURL),
		"internal telemetry":         httpGetText(t, telemetryURL),
		"file exporter metrics JSON": readFileText(t, metricsFile),
	}
	if err := c.Stop(); err != nil {
		t.Logf("collector stopped: %v", err)
	}
	outputs["collector logs (debug level, debug exporter detailed)"] = c.Logs()

	// Positive controls: each output holds what it should, so an absent
	// key means something.
	controls := map[string]string{
		"prometheus /metrics":                                   "mistral_api_probe_success",
		"internal telemetry":                                    "otelcol_",
		"file exporter metrics JSON":                            "e2e-secrets", // the mistral.workspace resource attribute
		"collector logs (debug level, debug exporter detailed)": "probe failed",
	}
	for where, out := range outputs {
		if !strings.Contains(out, controls[where]) {
			t.Errorf("%s does not contain %q: the check below would prove nothing", where, controls[where])
		}
		assertNoCanary(t, where, out, canaryKey)
	}

	// The fake's request log: the key travels only to the API listener and
	// its own host, as a bearer token.
	apiHost := strings.TrimPrefix(strings.TrimPrefix(fake.URL(), "http://"), "https://")
	var withKey, toStatus int
	for _, r := range fake.Requests() {
		hasKey := strings.Contains(r.Authorization, canaryKey)
		if hasKey {
			withKey++
			if r.Listener != "api" || r.Host != apiHost {
				t.Errorf("the key was sent to %s listener, host %s, %s %s", r.Listener, r.Host, r.Method, r.Path)
			}
			if r.Authorization != "Bearer "+canaryKey {
				t.Errorf("the key was sent as %q, not as a bearer token", fakemistral.AuthFingerprint(r.Authorization))
			}
		}
		if r.Listener == "status" {
			toStatus++
			if r.Authorization != "" {
				t.Errorf("a status page request carried an Authorization header: %s %s", r.Method, r.Path)
			}
		}
		if strings.Contains(r.Path+"?"+r.Query, canaryKey) {
			t.Errorf("the key is in a request URL: %s", r.Path)
		}
	}
	if withKey == 0 || toStatus == 0 {
		t.Errorf("request log: %d requests with the key, %d to the status listener; want both > 0", withKey, toStatus)
	}
	t.Logf("checked %d requests (%d with the key, all to %s; %d to the status pages, none with a key)",
		len(fake.Requests()), withKey, apiHost, toStatus)
}

// TestSecretsRejectedKey runs the collector with a key the API rejects
// (401): the failure is reported as authentication, and the rejected key
// is echoed nowhere either.
func TestSecretsRejectedKey(t *testing.T) {
	fake := StartFake(t, fakemistral.Options{
		APIKeys: map[string]string{canaryKey: "e2e-secrets"},
		Tier:    fakemistral.Tier{RequestsPerSecond: -1},
	})
	promPort, healthPort, telemetryPort := FreePort(t), FreePort(t), FreePort(t)
	metricsFile := filepath.Join(t.TempDir(), "metrics.json")
	c := StartCollector(t, secretsConfig(fake, promPort, healthPort, telemetryPort, metricsFile), "MISTRAL_API_KEY="+canaryRejectedKey)
	metricsURL := fmt.Sprintf("http://127.0.0.1:%d/metrics", promPort)
	var prom string
	Eventually(t, 30*time.Second, func() error {
		m, err := TryScrapeMetrics(metricsURL)
		if err != nil {
			return err
		}
		if !probeErrorIs(m, "authentication") {
			return fmt.Errorf("mistral_api_probe_error{error_type=\"authentication\"} is not 1 yet")
		}
		prom = httpGetText(t, metricsURL)
		return nil
	})
	time.Sleep(time.Second)
	telemetry := httpGetText(t, fmt.Sprintf("http://127.0.0.1:%d/metrics", telemetryPort))
	_ = c.Stop()
	for where, out := range map[string]string{
		"prometheus /metrics": prom, "internal telemetry": telemetry,
		"file exporter metrics JSON": readFileText(t, metricsFile), "collector logs": c.Logs(),
	} {
		assertNoCanary(t, where, out, canaryRejectedKey)
	}
	if !strings.Contains(c.Logs(), `"error.type": "authentication"`) {
		t.Errorf("the 401 was not logged as an authentication failure")
	}
	var rejected int
	for _, r := range fake.Requests() {
		if r.Authorization != "" && (r.Listener != "api" || r.Status != http.StatusUnauthorized) {
			t.Errorf("request with a key: %s listener, status %d, %s", r.Listener, r.Status, r.Path)
		}
		if r.Authorization != "" {
			rejected++
		}
	}
	if rejected == 0 {
		t.Errorf("the fake saw no request with the rejected key")
	}
}

// TestSecretsConfigCommands checks the commands that print or validate a
// configuration: `print-config` (alias `print-initial-config`, redacted
// mode by default, YAML and JSON) and `validate` with a key the receiver
// rejects must not show the key. `print-config --mode=unredacted` is the
// explicit opt-in that shows it: it is the positive control.
func TestSecretsConfigCommands(t *testing.T) {
	fake := StartFake(t, fakemistral.Options{APIKeys: map[string]string{canaryKey: "e2e-secrets"}})
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	cfg := secretsConfig(fake, FreePort(t), FreePort(t), FreePort(t), filepath.Join(dir, "metrics.json"))
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(key string, args ...string) (string, error) {
		cmd := exec.Command(CollectorBinary(t), args...)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "MISTRAL_API_KEY=" + key}
		out, err := cmd.CombinedOutput()
		return string(out), err
	}

	for _, args := range [][]string{
		{"print-config", "--config=" + cfgPath},
		{"print-initial-config", "--config=" + cfgPath},
		{"print-config", "--config=" + cfgPath, "--format=json"},
	} {
		out, err := run(canaryKey, args...)
		if err != nil {
			t.Errorf("%s: %v\n%s", strings.Join(args[:1], " "), err, out)
			continue
		}
		if !strings.Contains(out, fake.URL()) {
			t.Errorf("%v: the output lacks the endpoint, the config was not printed:\n%s", args, tail(out, 2000))
		}
		assertNoCanary(t, strings.Join(args, " "), out, canaryKey)
	}

	out, err := run(canaryKey, "print-config", "--config="+cfgPath, "--mode=unredacted")
	if err != nil {
		t.Fatalf("print-config --mode=unredacted: %v\n%s", err, out)
	}
	if !strings.Contains(out, canaryKey) {
		t.Errorf("print-config --mode=unredacted does not show the key: the environment did not reach the config, the checks above prove nothing")
	}

	// A key with a space is rejected by validation, without being shown.
	badKey := canaryKey + " trailing"
	out, err = run(badKey, "validate", "--config="+cfgPath)
	if err == nil {
		t.Errorf("validate accepted an api_key with a space:\n%s", out)
	}
	if !strings.Contains(out, "api_key") {
		t.Errorf("validate's error does not name api_key:\n%s", out)
	}
	assertNoCanary(t, "validate error", out, canaryKey)
	// And a key in a broken configuration: the unrelated error does not
	// print the key either.
	broken := strings.Replace(cfg, "timeout: 800ms", "timeout: -1s", 1)
	brokenPath := filepath.Join(dir, "broken.yaml")
	if err := os.WriteFile(brokenPath, []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"validate", "--config=" + brokenPath}, {"--config=" + brokenPath}} {
		out, err = run(canaryKey, args...)
		if err == nil {
			t.Errorf("%v accepted timeout -1s", args)
		}
		if !strings.Contains(out, "timeout") {
			t.Errorf("%v: the error does not name timeout:\n%s", args, tail(out, 2000))
		}
		assertNoCanary(t, strings.Join(args, " ")+" error", out, canaryKey)
	}
}

// The fallback canaries: one key per fallback provider.
const (
	canaryOpenAIKey    = "canary-sk-proj-openai-e41b7d93"
	canaryAnthropicKey = "canary-sk-ant-api03-c6a2f058"
)

// TestSecretsFallbackKeys configures the Mistral probe and two fallbacks
// (OpenAI and Anthropic), each with its own canary key from the
// environment, then revokes the fallbacks' keys and spends their balance so
// that their failures are logged: every key travels only to its own
// endpoint, in its own header, and none appears in the collector's logs,
// its exported metrics, its own telemetry or the file exporter's output.
func TestSecretsFallbackKeys(t *testing.T) {
	fake := StartFake(t, fakemistral.Options{
		APIKeys: map[string]string{canaryKey: "e2e-secrets"},
		Tier:    fakemistral.Tier{RequestsPerSecond: -1, TokensPerMinute: -1, TokensPerMonth: -1},
	})
	openai := fakemistral.NewProvider(fakemistral.ProviderOptions{Kind: fakemistral.ProviderOpenAI, APIKeys: []string{canaryOpenAIKey}})
	anthropic := fakemistral.NewProvider(fakemistral.ProviderOptions{Kind: fakemistral.ProviderAnthropic, APIKeys: []string{canaryAnthropicKey}})
	for _, p := range []*fakemistral.Provider{openai, anthropic} {
		if err := p.Start(""); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(p.Close)
	}
	promPort, healthPort, telemetryPort := FreePort(t), FreePort(t), FreePort(t)
	metricsFile := filepath.Join(t.TempDir(), "metrics.json")
	cfg := strings.Replace(secretsConfig(fake, promPort, healthPort, telemetryPort, metricsFile), "    status_pages:\n", fmt.Sprintf(`    fallbacks:
      - name: openai
        kind: openai
        endpoint: %s
        api_key: ${env:OPENAI_API_KEY}
      - name: claude
        kind: anthropic
        endpoint: %s
        api_key: ${env:ANTHROPIC_API_KEY}
    status_pages:
`, openai.URL(), anthropic.URL()), 1)
	c := StartCollector(t, cfg, "MISTRAL_API_KEY="+canaryKey, "OPENAI_API_KEY="+canaryOpenAIKey, "ANTHROPIC_API_KEY="+canaryAnthropicKey)
	metricsURL := fmt.Sprintf("http://127.0.0.1:%d/metrics", promPort)
	telemetryURL := fmt.Sprintf("http://127.0.0.1:%d/metrics", telemetryPort)

	waitFallbacks := func(want float64, errType string) {
		Eventually(t, 30*time.Second, func() error {
			m, err := TryScrapeMetrics(metricsURL)
			if err != nil {
				return err
			}
			for _, name := range []string{"openai", "claude"} {
				if s := Find(m, "mistral_fallback_probe_success", map[string]string{"mistral_fallback_name": name}); len(s) != 1 || s[0].Value != want {
					return fmt.Errorf("mistral_fallback_probe_success{mistral_fallback_name=%q} = %v, want %v", name, s, want)
				}
				if errType == "" {
					continue
				}
				if s := Find(m, "mistral_fallback_probe_error", map[string]string{"mistral_fallback_name": name, "error_type": errType}); len(s) != 1 || s[0].Value != 1 {
					return fmt.Errorf("mistral_fallback_probe_error{mistral_fallback_name=%q,error_type=%q} is not 1 yet", name, errType)
				}
			}
			return nil
		})
	}
	waitFallbacks(1, "")
	for mode, errType := range map[fakemistral.ProviderMode]string{fakemistral.ProviderRevokedKey: "authentication", fakemistral.ProviderQuota: "quota_exhausted"} {
		for _, p := range []*fakemistral.Provider{openai, anthropic} {
			if err := p.SetMode(mode); err != nil {
				t.Fatal(err)
			}
		}
		waitFallbacks(0, errType)
	}
	time.Sleep(1500 * time.Millisecond) // let the file exporter flush

	outputs := map[string]string{
		"prometheus /metrics":        httpGetText(t, metricsURL),
		"internal telemetry":         httpGetText(t, telemetryURL),
		"file exporter metrics JSON": readFileText(t, metricsFile),
	}
	if err := c.Stop(); err != nil {
		t.Logf("collector stopped: %v", err)
	}
	outputs["collector logs"] = c.Logs()
	if !strings.Contains(outputs["collector logs"], "fallback/openai") {
		t.Errorf("the fallback failures were not logged: the check below would prove nothing")
	}
	for where, out := range outputs {
		for _, key := range []string{canaryKey, canaryOpenAIKey, canaryAnthropicKey} {
			assertNoCanary(t, where, out, key)
		}
	}

	// Each key only to its own endpoint, in its own header.
	for _, r := range fake.Requests() {
		if strings.Contains(r.Authorization, canaryOpenAIKey) || strings.Contains(r.Authorization, canaryAnthropicKey) {
			t.Errorf("a fallback key reached Mistral's %s listener: %s %s", r.Listener, r.Method, r.Path)
		}
	}
	for _, r := range openai.Requests() {
		if r.Authorization != "Bearer "+canaryOpenAIKey || r.APIKey != "" {
			t.Errorf("OpenAI got %s with Authorization %q, x-api-key %q (fingerprints)", r.Path,
				fakemistral.AuthFingerprint(r.Authorization), fakemistral.AuthFingerprint(r.APIKey))
		}
	}
	for _, r := range anthropic.Requests() {
		if r.APIKey != canaryAnthropicKey || r.Authorization != "" {
			t.Errorf("Anthropic got %s with Authorization %q, x-api-key %q (fingerprints)", r.Path,
				fakemistral.AuthFingerprint(r.Authorization), fakemistral.AuthFingerprint(r.APIKey))
		}
	}
	if len(openai.Requests()) == 0 || len(anthropic.Requests()) == 0 {
		t.Errorf("the fallbacks were not probed: %d OpenAI, %d Anthropic requests", len(openai.Requests()), len(anthropic.Requests()))
	}
}

// probeErrorIs reports whether the API probe's error state set says errType.
func probeErrorIs(m map[string][]Sample, errType string) bool {
	s := Find(m, "mistral_api_probe_error", map[string]string{"error_type": errType})
	return len(s) == 1 && s[0].Value == 1
}

// assertNoCanary fails when the key, or a long piece of it (12 characters
// or more: a truncated or partly masked key still leaks), is in out.
func assertNoCanary(t *testing.T, where, out, key string) {
	t.Helper()
	const piece = 12
	for i := 0; i+piece <= len(key); i++ {
		if j := strings.Index(out, key[i:i+piece]); j >= 0 {
			lo, hi := max(0, j-120), min(len(out), j+piece+40)
			t.Errorf("%s contains the API key (or %q of it): …%s…", where, key[i:i+piece], out[lo:hi])
			return
		}
	}
	if enc := url.QueryEscape(key); enc != key && strings.Contains(out, enc) {
		t.Errorf("%s contains the URL-encoded API key", where)
	}
}

// httpGetText returns a GET's body.
func httpGetText(t testing.TB, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", u, resp.Status)
	}
	return string(b)
}

// readFileText reads a file the collector wrote.
func readFileText(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return string(b)
}
