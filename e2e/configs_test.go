//go:build e2e

package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/otelcol-mistral/otelcol-mistral/internal/fakemistral"
)

// This file checks that every collector configuration the repository ships is
// accepted by the built distribution, and holds the helpers the other e2e
// tests use to build collector configurations from the shipped one.

// repoPath is the absolute path of a slash-separated path in the repository.
func repoPath(t testing.TB, rel string) string {
	t.Helper()
	return filepath.Join(RepoRoot(t), filepath.FromSlash(rel))
}

// readYAMLDocs decodes every document of a YAML file.
func readYAMLDocs(t testing.TB, path string) []any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	docs, err := decodeYAMLDocs(b)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return docs
}

func decodeYAMLDocs(b []byte) ([]any, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var docs []any
	for {
		var v any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, err
		}
		if v != nil {
			docs = append(docs, v)
		}
	}
}

// readYAMLMap reads a single-document YAML file whose top level is a map.
func readYAMLMap(t testing.TB, path string) map[string]any {
	t.Helper()
	docs := readYAMLDocs(t, path)
	if len(docs) != 1 {
		t.Fatalf("%s: want one YAML document, got %d", path, len(docs))
	}
	m, ok := docs[0].(map[string]any)
	if !ok {
		t.Fatalf("%s: top level is %T, want a map", path, docs[0])
	}
	return m
}

// toYAML marshals v.
func toYAML(t testing.TB, v any) string {
	t.Helper()
	b, err := yaml.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// metricsFragment is the configuration fragment holding the connectors every
// shipped pipeline shares (the derived GenAI metrics), merged into a main
// configuration with a second --config.
const metricsFragment = "genai-metrics.yaml"

// shippedConnectors is the `connectors` section of genai-metrics.yaml.
func shippedConnectors(t testing.TB) map[string]any {
	t.Helper()
	c, ok := readYAMLMap(t, repoPath(t, metricsFragment))["connectors"].(map[string]any)
	if !ok {
		t.Fatalf("%s has no connectors section", metricsFragment)
	}
	return c
}

// pipelineOpts describe a test collector: OTLP/HTTP in, llm_enrich, the
// shipped connectors, the prometheus exporter, health_check.
type pipelineOpts struct {
	OTLPPort, PromPort, HealthPort int
	// Workspace is llm_enrich's workspace setting ("" for none).
	Workspace string
	// MetricReceivers are added to the receivers and to the metrics pipeline
	// (e.g. "mistral": {...}).
	MetricReceivers map[string]any
	// TraceExporters are added to the exporters and to the traces pipeline.
	TraceExporters map[string]any
	// MetricExpiration is the prometheus exporter's metric_expiration ("" for its default).
	MetricExpiration string
	// TelemetryPort serves the collector's own metrics (otelcol_*) on
	// 127.0.0.1 when not 0; 0 turns them off.
	TelemetryPort int
}

// pipelineConfig builds the YAML of a test collector. Its metric pipeline is
// the one config.yaml ships (same connectors, delta_to_cumulative, the
// workspace as the only resource label), on free ports.
func pipelineConfig(t testing.TB, o pipelineOpts) string {
	t.Helper()
	prom := map[string]any{
		"endpoint":                 fmt.Sprintf("127.0.0.1:%d", o.PromPort),
		"resource_constant_labels": map[string]any{"included": []any{"mistral.workspace"}},
		"without_scope_info":       true,
	}
	if o.MetricExpiration != "" {
		prom["metric_expiration"] = o.MetricExpiration
	}
	enrich := map[string]any{"state": "mistral_state"}
	if o.Workspace != "" {
		enrich["workspace"] = o.Workspace
	}
	receivers := map[string]any{
		"otlp": map[string]any{"protocols": map[string]any{
			"http": map[string]any{"endpoint": fmt.Sprintf("127.0.0.1:%d", o.OTLPPort)},
		}},
	}
	metricReceivers := []any{}
	for _, name := range slices.Sorted(maps.Keys(o.MetricReceivers)) {
		receivers[name] = o.MetricReceivers[name]
		metricReceivers = append(metricReceivers, name)
	}
	metricReceivers = append(metricReceivers, "span_metrics", "signal_to_metrics")
	exporters := map[string]any{"prometheus": prom}
	traceExporters := []any{}
	for _, name := range slices.Sorted(maps.Keys(o.TraceExporters)) {
		exporters[name] = o.TraceExporters[name]
		traceExporters = append(traceExporters, name)
	}
	traceExporters = append(traceExporters, "span_metrics", "signal_to_metrics")
	// No internal telemetry endpoint by default: several collectors run side by side.
	telemetry := map[string]any{"metrics": map[string]any{"level": "none"}}
	if o.TelemetryPort != 0 {
		telemetry = map[string]any{"metrics": map[string]any{"readers": []any{
			map[string]any{"pull": map[string]any{"exporter": map[string]any{"prometheus": map[string]any{
				"host": "127.0.0.1", "port": o.TelemetryPort,
			}}}},
		}}}
	}
	cfg := map[string]any{
		"extensions": map[string]any{
			"health_check":  map[string]any{"endpoint": fmt.Sprintf("127.0.0.1:%d", o.HealthPort)},
			"mistral_state": map[string]any{},
		},
		"receivers": receivers,
		"processors": map[string]any{
			"memory_limiter":      map[string]any{"check_interval": "1s", "limit_percentage": 80, "spike_limit_percentage": 20},
			"llm_enrich":          enrich,
			"batch":               map[string]any{"timeout": "200ms"},
			"delta_to_cumulative": map[string]any{},
		},
		"connectors": shippedConnectors(t),
		"exporters":  exporters,
		"service": map[string]any{
			"extensions": []any{"health_check", "mistral_state"},
			"telemetry":  telemetry,
			"pipelines": map[string]any{
				"traces": map[string]any{
					"receivers":  []any{"otlp"},
					"processors": []any{"memory_limiter", "llm_enrich", "batch"},
					"exporters":  traceExporters,
				},
				"metrics": map[string]any{
					"receivers":  metricReceivers,
					"processors": []any{"memory_limiter", "delta_to_cumulative", "batch"},
					"exporters":  []any{"prometheus"},
				},
			},
		},
	}
	return toYAML(t, cfg)
}

// validateCollectorConfig runs `otelcol-mistral validate` on a file.
func validateCollectorConfig(t testing.TB, path string, env ...string) (string, error) {
	t.Helper()
	return validateCollectorConfigs(t, []string{path}, env...)
}

// validateCollectorConfigs runs `otelcol-mistral validate` on configuration
// sources merged in order (files or yaml: sources).
func validateCollectorConfigs(t testing.TB, sources []string, env ...string) (string, error) {
	t.Helper()
	args := []string{"validate"}
	for _, src := range sources {
		args = append(args, "--config="+src)
	}
	cmd := exec.Command(CollectorBinary(t), args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}, env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// shippedConfigFiles are the collector configurations at the repository's
// top level and in examples/, relative to the repository.
func shippedConfigFiles(t testing.TB) []string {
	t.Helper()
	files := []string{"config.yaml"}
	ex, err := filepath.Glob(repoPath(t, "examples/*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ex {
		files = append(files, "examples/"+filepath.Base(f))
	}
	for _, want := range []string{"examples/agent.yaml", "examples/gateway.yaml", "examples/demo.yaml"} {
		if !slices.Contains(files, want) {
			t.Errorf("%s is missing", want)
		}
	}
	return files
}

// validateEnv are the environment variables the shipped configurations read,
// set as a deployment would (no API key: the probes must still validate).
var validateEnv = []string{
	"MISTRAL_API_KEY=",
	"MISTRAL_WORKSPACE=prod",
	"OTLP_BACKEND_ENDPOINT=tempo.observability.svc:4317",
	"MY_POD_IP=127.0.0.1",
}

// shippedSources are the --config sources a shipped configuration runs
// with: the file, then the metrics fragment.
func shippedSources(t testing.TB, rel string) []string {
	return []string{repoPath(t, rel), repoPath(t, metricsFragment)}
}

// TestShippedConfigsValidate runs `otelcol-mistral validate` on config.yaml
// and every examples/*.yaml, each merged with the metrics fragment as they are
// documented to run, so none of them rots.
func TestShippedConfigsValidate(t *testing.T) {
	for _, rel := range shippedConfigFiles(t) {
		t.Run(rel, func(t *testing.T) {
			if out, err := validateCollectorConfigs(t, shippedSources(t, rel), validateEnv...); err != nil {
				t.Fatalf("validate %s + %s: %v\n%s", rel, metricsFragment, err, out)
			}
		})
	}
}

// TestShippedConfigsStart runs every shipped configuration, merged with the
// metrics fragment, as a real process. A third --config source (yaml:) moves
// its listeners to free ports on 127.0.0.1 and points its probes at the fake
// La Plateforme: nothing else of the shipped file changes. Each must become
// healthy, serve the derived-metrics connectors' output on its prometheus
// exporter after a span, and, when it probes, serve the probe metrics.
func TestShippedConfigsStart(t *testing.T) {
	fake := StartFake(t, fakemistral.Options{Tier: fakemistral.Tier{RequestsPerSecond: 100}})
	for _, rel := range shippedConfigFiles(t) {
		t.Run(rel, func(t *testing.T) {
			merged := readYAMLMap(t, repoPath(t, rel))
			for k, v := range readYAMLMap(t, repoPath(t, metricsFragment)) {
				merged[k] = v
			}
			over, ports := localOverrides(t, merged, fake)
			args := append(shippedSources(t, rel), "yaml:"+over)
			c := startCollectorSources(t, args, validateEnv...)
			WaitHTTPOK(t, fmt.Sprintf("http://127.0.0.1:%d/", ports.health), 60*time.Second, func() {
				if c.Exited() {
					t.Fatalf("collector exited: %v\n%s", c.err, tail(c.Logs(), 8000))
				}
			})
			metricsURL := fmt.Sprintf("http://127.0.0.1:%d/metrics", ports.prom)
			Eventually(t, 45*time.Second, func() error {
				if err := postSpans(fmt.Sprintf("http://127.0.0.1:%d", ports.otlpHTTP), mistralSDKSpans("configs-"+filepath.Base(rel), 1, 1)); err != nil {
					return err
				}
				m, err := TryScrapeMetrics(metricsURL)
				if err != nil {
					return err
				}
				want := []string{"gen_ai_client_operation_duration_seconds_count", "gen_ai_client_token_usage_bucket", "llm_enrich_cost_usd_total"}
				if ports.probes {
					want = append(want, "mistral_status_page_up")
				}
				for _, name := range want {
					if len(m[name]) == 0 {
						return fmt.Errorf("%s not served yet", name)
					}
				}
				return nil
			})
		})
	}
}

// localPorts are where a shipped configuration listens once localOverrides
// is merged in.
type localPorts struct {
	health, otlpHTTP, prom int
	probes                 bool
}

// localOverrides returns a YAML document, for a yaml: --config source, that
// moves cfg's listeners (health_check, OTLP, prometheus exporter, internal
// telemetry) to free ports on 127.0.0.1, points every mistral receiver and its
// status pages at the fake, and sends OTLP exports to a closed port.
func localOverrides(t testing.TB, cfg map[string]any, fake *fakemistral.Server) (string, localPorts) {
	t.Helper()
	p := localPorts{health: FreePort(t), otlpHTTP: FreePort(t), prom: FreePort(t)}
	over := map[string]any{
		"extensions": map[string]any{"health_check": map[string]any{"endpoint": fmt.Sprintf("127.0.0.1:%d", p.health)}},
		"receivers": map[string]any{"otlp": map[string]any{"protocols": map[string]any{
			"grpc": map[string]any{"endpoint": fmt.Sprintf("127.0.0.1:%d", FreePort(t))},
			"http": map[string]any{"endpoint": fmt.Sprintf("127.0.0.1:%d", p.otlpHTTP)},
		}}},
		"exporters": map[string]any{"prometheus": map[string]any{"endpoint": fmt.Sprintf("127.0.0.1:%d", p.prom)}},
		"service": map[string]any{"telemetry": map[string]any{"metrics": map[string]any{"readers": []any{
			map[string]any{"pull": map[string]any{"exporter": map[string]any{"prometheus": map[string]any{
				"host": "127.0.0.1", "port": FreePort(t),
			}}}},
		}}}},
	}
	receivers, _ := cfg["receivers"].(map[string]any)
	for name, r := range receivers {
		if name != "mistral" && !strings.HasPrefix(name, "mistral/") {
			continue
		}
		p.probes = true
		rm, _ := r.(map[string]any)
		pages := []any{}
		list, _ := rm["status_pages"].([]any)
		if len(list) == 0 {
			list = []any{map[string]any{"name": "mistral", "format": "auto"}}
		}
		for _, sp := range list {
			spm, _ := sp.(map[string]any)
			name, _ := spm["name"].(string)
			pages = append(pages, map[string]any{"name": name, "endpoint": fake.StatusURL() + "/" + name, "format": "auto"})
		}
		over["receivers"].(map[string]any)[name] = map[string]any{
			"endpoint": fake.URL(), "api_key": "test-key", "collection_interval": "2s", "initial_delay": "0s", "timeout": "1500ms",
			"status_pages": pages,
		}
	}
	exporters, _ := cfg["exporters"].(map[string]any)
	for name := range exporters {
		if name == "otlp_grpc" || strings.HasPrefix(name, "otlp_grpc/") {
			over["exporters"].(map[string]any)[name] = map[string]any{"endpoint": "127.0.0.1:1", "tls": map[string]any{"insecure": true}}
		}
	}
	b, err := yaml.Marshal(over)
	if err != nil {
		t.Fatal(err)
	}
	return string(b), p
}

// TestShippedConfigsShareDerivedMetrics checks that the derived GenAI
// metrics are defined once: no shipped file keeps its own connectors (they
// come from the fragment), and the Kubernetes configurations that enrich
// spans carry the fragment's connectors unchanged (`make k8s-manifests`
// writes them there).
func TestShippedConfigsShareDerivedMetrics(t *testing.T) {
	want := shippedConnectors(t)
	for _, rel := range shippedConfigFiles(t) {
		if _, ok := readYAMLMap(t, repoPath(t, rel))["connectors"]; ok {
			t.Errorf("%s defines connectors: they belong in %s, merged with a second --config", rel, metricsFragment)
		}
	}
	enriching := 0
	for _, ec := range kubernetesCollectorConfigs(t) {
		if !ec.enriches() {
			continue
		}
		enriching++
		if got := ec.config["connectors"]; !reflect.DeepEqual(got, want) {
			t.Errorf("%s: connectors differ from %s; run `make k8s-manifests`\n got: %s\nwant: %s",
				ec.where, metricsFragment, toYAML(t, got), toYAML(t, want))
		}
	}
	if enriching < 2 {
		t.Errorf("found %d Kubernetes configurations running llm_enrich, want the Helm and the Operator gateway", enriching)
	}
}

// embeddedConfig is a collector configuration found in a Kubernetes manifest
// or Helm values file, after Helm's merge with the chart's default config.
type embeddedConfig struct {
	where  string
	image  string
	config map[string]any
}

// ours reports whether the configuration runs on this distribution's image.
func (e embeddedConfig) ours() bool { return strings.Contains(e.image, "otelcol-mistral") }

// enriches reports whether the configuration runs llm_enrich.
func (e embeddedConfig) enriches() bool {
	p, _ := e.config["processors"].(map[string]any)
	_, ok := p["llm_enrich"]
	return ok
}

// helmChartDefaultConfig is the `config` block of the official
// opentelemetry-collector chart's values.yaml (2025 releases), into which Helm
// merges the `config` of a values file: maps merge, a null deletes the key.
// Our values files null out what the distribution does not have (jaeger,
// zipkin, the prometheus receiver).
const helmChartDefaultConfig = `
exporters:
  debug: {}
extensions:
  health_check:
    endpoint: ${env:MY_POD_IP}:13133
processors:
  batch: {}
  memory_limiter:
    check_interval: 5s
    limit_percentage: 80
    spike_limit_percentage: 25
receivers:
  jaeger:
    protocols:
      grpc:
        endpoint: ${env:MY_POD_IP}:14250
      thrift_http:
        endpoint: ${env:MY_POD_IP}:14268
      thrift_compact:
        endpoint: ${env:MY_POD_IP}:6831
  otlp:
    protocols:
      grpc:
        endpoint: ${env:MY_POD_IP}:4317
      http:
        endpoint: ${env:MY_POD_IP}:4318
  prometheus:
    config:
      scrape_configs:
        - job_name: opentelemetry-collector
          scrape_interval: 10s
          static_configs:
            - targets:
                - ${env:MY_POD_IP}:8888
  zipkin:
    endpoint: ${env:MY_POD_IP}:9411
service:
  telemetry:
    metrics:
      readers:
        - pull:
            exporter:
              prometheus:
                host: ${env:MY_POD_IP}
                port: 8888
  extensions:
    - health_check
  pipelines:
    logs:
      exporters: [debug]
      processors: [memory_limiter, batch]
      receivers: [otlp]
    metrics:
      exporters: [debug]
      processors: [memory_limiter, batch]
      receivers: [otlp, prometheus]
    traces:
      exporters: [debug]
      processors: [memory_limiter, batch]
      receivers: [otlp, jaeger, zipkin]
`

// helmMerge merges src into dst as Helm merges values: maps recursively,
// anything else replaced. Nulls stay (dropNulls removes them afterwards).
func helmMerge(dst, src map[string]any) map[string]any {
	out := maps.Clone(dst)
	for k, v := range src {
		sm, sok := v.(map[string]any)
		dm, dok := out[k].(map[string]any)
		if sok && dok {
			out[k] = helmMerge(dm, sm)
			continue
		}
		out[k] = v
	}
	return out
}

// dropNulls removes the keys whose value is null, recursively (Helm's
// "set a default to null to delete it").
func dropNulls(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		switch vv := v.(type) {
		case nil:
			continue
		case map[string]any:
			out[k] = dropNulls(vv)
		default:
			out[k] = v
		}
	}
	return out
}

// kubernetesCollectorConfigs finds the collector configurations in
// deploy/kubernetes: Helm values files (a top-level `config` and `mode`),
// OpenTelemetryCollector resources (spec.config) and ConfigMaps (a data
// entry that is a collector config). Every YAML file there must parse.
func kubernetesCollectorConfigs(t testing.TB) []embeddedConfig {
	t.Helper()
	var chartDefault map[string]any
	if err := yaml.Unmarshal([]byte(helmChartDefaultConfig), &chartDefault); err != nil {
		t.Fatal(err)
	}
	var out []embeddedConfig
	root := repoPath(t, "deploy/kubernetes")
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || (!strings.HasSuffix(path, ".yaml") && !strings.HasSuffix(path, ".yml")) {
			return err
		}
		rel, _ := filepath.Rel(RepoRoot(t), path)
		for i, doc := range readYAMLDocs(t, path) {
			m, ok := doc.(map[string]any)
			if !ok {
				t.Errorf("%s: document %d is %T, want a map", rel, i, doc)
				continue
			}
			where := fmt.Sprintf("%s#%d", rel, i)
			switch {
			case m["kind"] == "OpenTelemetryCollector":
				spec, _ := m["spec"].(map[string]any)
				cfg, ok := spec["config"].(map[string]any)
				if !ok {
					t.Errorf("%s: OpenTelemetryCollector without spec.config map", where)
					continue
				}
				image, _ := spec["image"].(string)
				out = append(out, embeddedConfig{where: where + " (OpenTelemetryCollector)", image: image, config: cfg})
			case m["kind"] == "ConfigMap":
				data, _ := m["data"].(map[string]any)
				for _, key := range slices.Sorted(maps.Keys(data)) {
					s, _ := data[key].(string)
					if !strings.Contains(s, "pipelines:") {
						continue
					}
					var cfg map[string]any
					if err := yaml.Unmarshal([]byte(s), &cfg); err != nil {
						t.Errorf("%s: ConfigMap data %q: %v", where, key, err)
						continue
					}
					out = append(out, embeddedConfig{where: where + " (ConfigMap " + key + ")", image: "otelcol-mistral", config: cfg})
				}
			case m["config"] != nil && m["mode"] != nil:
				cfg, ok := m["config"].(map[string]any)
				if !ok {
					t.Errorf("%s: Helm values `config` is %T", where, m["config"])
					continue
				}
				img, _ := m["image"].(map[string]any)
				repo, _ := img["repository"].(string)
				out = append(out, embeddedConfig{where: where + " (Helm values)", image: repo, config: dropNulls(helmMerge(chartDefault, cfg))})
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestKubernetesManifests validates, with this distribution, every collector
// configuration deploy/kubernetes embeds (after Helm's merge with the chart's
// defaults): every tier, the agent included, runs this distribution's image.
func TestKubernetesManifests(t *testing.T) {
	configs := kubernetesCollectorConfigs(t)
	for _, ec := range configs {
		t.Run(strings.NewReplacer("/", "_", " ", "_").Replace(ec.where), func(t *testing.T) {
			if !ec.ours() {
				t.Fatalf("runs image %q, not this distribution", ec.image)
			}
			path := filepath.Join(t.TempDir(), "config.yaml")
			if err := os.WriteFile(path, []byte(toYAML(t, ec.config)), 0o600); err != nil {
				t.Fatal(err)
			}
			if out, err := validateCollectorConfig(t, path, validateEnv...); err != nil {
				t.Fatalf("validate %s: %v\n%s\nconfig:\n%s", ec.where, err, out, toYAML(t, ec.config))
			}
		})
	}
	if len(configs) < 5 {
		t.Errorf("found %d collector configurations in deploy/kubernetes, want the agent, the gateway and the probes (Helm) and the gateway and the probes (Operator)", len(configs))
	}
}

// TestDockerfile checks what can be checked of deploy/Dockerfile without a
// container engine: a minimal non-root final stage, an entrypoint named like
// the distribution, and files it copies that exist.
func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile(repoPath(t, "deploy/Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	var stages [][]string // instructions per stage
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "FROM ") {
			stages = append(stages, nil)
		}
		if len(stages) > 0 {
			stages[len(stages)-1] = append(stages[len(stages)-1], line)
		}
	}
	if len(stages) < 2 {
		t.Fatalf("want a build stage and a final stage, got %d stages", len(stages))
	}
	final := stages[len(stages)-1]
	has := func(prefix string) string {
		for _, l := range final {
			if strings.HasPrefix(l, prefix) {
				return l
			}
		}
		return ""
	}
	if from := final[0]; !strings.Contains(from, "distroless/static") && !strings.Contains(from, "scratch") {
		t.Errorf("final stage %q is not distroless static or scratch", from)
	}
	if user := has("USER "); user == "" || strings.Contains(user, "root") || strings.HasPrefix(user, "USER 0") {
		t.Errorf("final stage runs as %q, want a non-root user", user)
	}
	if ep := has("ENTRYPOINT "); !strings.Contains(ep, `"/otelcol-mistral"`) {
		t.Errorf("entrypoint %q, want /otelcol-mistral", ep)
	}
	for _, l := range final {
		f := strings.Fields(l)
		if f[0] == "COPY" && !strings.HasPrefix(f[1], "--from=") {
			if _, err := os.Stat(repoPath(t, f[1])); err != nil {
				t.Errorf("%s: %v", l, err)
			}
		}
	}
	if !strings.Contains(string(b), "builder --config builder-config.yaml") {
		t.Error("the build stage does not run ocb with builder-config.yaml")
	}
}
