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

	"go.yaml.in/yaml/v3"
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

// shippedConnectors is the `connectors` section of config.yaml: the derived
// LLM metrics every shipped configuration shares.
func shippedConnectors(t testing.TB) map[string]any {
	t.Helper()
	c, ok := readYAMLMap(t, repoPath(t, "config.yaml"))["connectors"].(map[string]any)
	if !ok {
		t.Fatal("config.yaml has no connectors section")
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
			// No internal telemetry endpoint: several collectors run side by side.
			"telemetry": map[string]any{"metrics": map[string]any{"level": "none"}},
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
	cmd := exec.Command(CollectorBinary(t), "validate", "--config="+path)
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

// TestShippedConfigsValidate runs `otelcol-mistral validate` on config.yaml
// and every examples/*.yaml, so none of them rots.
func TestShippedConfigsValidate(t *testing.T) {
	for _, rel := range shippedConfigFiles(t) {
		t.Run(rel, func(t *testing.T) {
			if out, err := validateCollectorConfig(t, repoPath(t, rel), validateEnv...); err != nil {
				t.Fatalf("validate %s: %v\n%s", rel, err, out)
			}
		})
	}
}

// TestShippedConfigsShareDerivedMetrics checks that every shipped
// configuration that derives LLM metrics does it with config.yaml's
// connectors: the Prometheus rules and the dashboard rely on those names.
func TestShippedConfigsShareDerivedMetrics(t *testing.T) {
	want := shippedConnectors(t)
	check := func(t *testing.T, where string, cfg map[string]any) {
		got, ok := cfg["connectors"]
		if !ok {
			t.Errorf("%s: no connectors section", where)
			return
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: connectors differ from config.yaml's; copy them from config.yaml\n got: %s\nwant: %s",
				where, toYAML(t, got), toYAML(t, want))
		}
	}
	for _, rel := range shippedConfigFiles(t) {
		if rel == "config.yaml" {
			continue
		}
		check(t, rel, readYAMLMap(t, repoPath(t, rel)))
	}
	for _, ec := range kubernetesCollectorConfigs(t) {
		if ec.enriches() {
			check(t, ec.where, ec.config)
		}
	}
}

// embeddedConfig is a collector configuration found in a Kubernetes manifest
// or Helm values file, after Helm's merge with the chart's default config.
type embeddedConfig struct {
	where  string
	image  string
	config map[string]any
}

// ours reports whether the configuration runs on this distribution's image
// (the others run on the contrib image, e.g. for the loadbalancing exporter).
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

// TestKubernetesManifests parses every manifest under deploy/kubernetes and
// validates the collector configurations they embed: with this distribution
// when they run on its image; for the contrib-image agent, by checking that
// its pipelines only name components it defines.
func TestKubernetesManifests(t *testing.T) {
	configs := kubernetesCollectorConfigs(t)
	var ours, contrib int
	for _, ec := range configs {
		t.Run(strings.NewReplacer("/", "_", " ", "_").Replace(ec.where), func(t *testing.T) {
			if !ec.ours() {
				contrib++
				checkPipelinesReferenceDefined(t, ec.config)
				return
			}
			ours++
			path := filepath.Join(t.TempDir(), "config.yaml")
			if err := os.WriteFile(path, []byte(toYAML(t, ec.config)), 0o600); err != nil {
				t.Fatal(err)
			}
			if out, err := validateCollectorConfig(t, path, validateEnv...); err != nil {
				t.Fatalf("validate %s: %v\n%s\nconfig:\n%s", ec.where, err, out, toYAML(t, ec.config))
			}
		})
	}
	if ours < 3 || contrib < 1 {
		t.Errorf("found %d configs on this distribution's image and %d on another, want >= 3 and >= 1", ours, contrib)
	}
}

// checkPipelinesReferenceDefined is what `validate` would say about missing
// components, for a configuration this distribution cannot load.
func checkPipelinesReferenceDefined(t *testing.T, cfg map[string]any) {
	t.Helper()
	svc, _ := cfg["service"].(map[string]any)
	pipelines, _ := svc["pipelines"].(map[string]any)
	if len(pipelines) == 0 {
		t.Fatal("no pipelines")
	}
	for name, p := range pipelines {
		pm, _ := p.(map[string]any)
		for _, kind := range []string{"receivers", "processors", "exporters"} {
			defined, _ := cfg[kind].(map[string]any)
			list, _ := pm[kind].([]any)
			for _, c := range list {
				id, _ := c.(string)
				if _, ok := defined[id]; !ok {
					t.Errorf("pipeline %s uses %s %q, which is not defined", name, kind, id)
				}
			}
		}
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
