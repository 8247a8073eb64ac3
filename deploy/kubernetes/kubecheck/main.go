// Command kubecheck writes the Kubernetes files derived from other files of
// the repository, and its tests check every manifest under deploy/kubernetes
// against the Kubernetes API types, prometheus-operator's types, the
// OpenTelemetry Operator's CRD and Pod Security Admission's "restricted"
// policy.
//
//	go run . -write     (from this directory; `make k8s-manifests`)
//
// It writes:
//   - prometheus-rule.yaml: deploy/prometheus/rules.yaml as a PrometheusRule;
//   - the connectors block of helm/gateway-values.yaml and
//     operator/collectors.yaml: genai-metrics.yaml's, between the BEGIN/END
//     connectors markers (a Helm values file and an OpenTelemetryCollector
//     carry one configuration, so the fragment is copied there).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// repoRoot is the repository's top directory, relative to this module.
const repoRoot = "../../.."

func main() {
	write := flag.Bool("write", false, "write the derived files")
	flag.Parse()
	files, err := derivedFiles(repoRoot)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kubecheck:", err)
		os.Exit(1)
	}
	for path, content := range files {
		if !*write {
			fmt.Printf("would write %s (%d bytes)\n", path, len(content))
			continue
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "kubecheck:", err)
			os.Exit(1)
		}
		fmt.Println("wrote", path)
	}
}

// derivedFiles returns the content every derived file must have, by path.
func derivedFiles(root string) (map[string][]byte, error) {
	out := map[string][]byte{}
	rule, err := prometheusRule(filepath.Join(root, "deploy/prometheus/rules.yaml"))
	if err != nil {
		return nil, err
	}
	out[filepath.Join(root, "deploy/kubernetes/prometheus-rule.yaml")] = rule
	fragment, err := os.ReadFile(filepath.Join(root, "genai-metrics.yaml"))
	if err != nil {
		return nil, err
	}
	for _, rel := range []string{"deploy/kubernetes/helm/gateway-values.yaml", "deploy/kubernetes/operator/collectors.yaml"} {
		path := filepath.Join(root, rel)
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		if out[path], err = withConnectors(b, fragment); err != nil {
			return nil, fmt.Errorf("%s: %w", rel, err)
		}
	}
	return out, nil
}

// PrometheusRule metadata: the stack's Prometheus selects rules by the
// release label (kube-prometheus-stack's default ruleSelector).
const (
	ruleName      = "otelcol-mistral"
	ruleNamespace = "observability"
	ruleRelease   = "kube-prometheus-stack"
)

// prometheusRule converts a Prometheus rules file into a PrometheusRule,
// decoding it strictly into prometheus-operator's types.
func prometheusRule(rulesPath string) ([]byte, error) {
	src, err := os.ReadFile(rulesPath)
	if err != nil {
		return nil, err
	}
	var spec monitoringv1.PrometheusRuleSpec
	if err := yaml.UnmarshalStrict(src, &spec); err != nil {
		return nil, fmt.Errorf("%s: %w", rulesPath, err)
	}
	pr := monitoringv1.PrometheusRule{
		TypeMeta: metav1.TypeMeta{APIVersion: "monitoring.coreos.com/v1", Kind: "PrometheusRule"},
		ObjectMeta: metav1.ObjectMeta{
			Name:      ruleName,
			Namespace: ruleNamespace,
			Labels:    map[string]string{"release": ruleRelease},
		},
		Spec: spec,
	}
	b, err := yaml.Marshal(pr)
	if err != nil {
		return nil, err
	}
	// metav1.ObjectMeta marshals a null creationTimestamp: drop it.
	b = bytes.Replace(b, []byte("  creationTimestamp: null\n"), nil, 1)
	header := "# Generated from deploy/prometheus/rules.yaml by `make k8s-manifests`: do not edit, edit rules.yaml.\n" +
		"# kube-prometheus-stack loads it when its ruleSelector matches the release label (change it to your release).\n"
	return append([]byte(header), b...), nil
}

// connectorsBlock matches the generated block: the BEGIN marker line, the
// block, and the END marker line, at any indentation.
var connectorsBlock = regexp.MustCompile(`(?ms)^([ \t]*)# BEGIN connectors[^\n]*\n.*?^[ \t]*# END connectors[^\n]*$`)

// withConnectors replaces the connectors block of a manifest by the
// `connectors:` section of the fragment, indented like the markers.
func withConnectors(manifest, fragment []byte) ([]byte, error) {
	section, err := connectorsSection(fragment)
	if err != nil {
		return nil, err
	}
	m := connectorsBlock.FindSubmatchIndex(manifest)
	if m == nil {
		return nil, fmt.Errorf("no `# BEGIN connectors` ... `# END connectors` block")
	}
	indent := string(manifest[m[2]:m[3]])
	var b strings.Builder
	b.WriteString(indent + "# BEGIN connectors: generated from genai-metrics.yaml by `make k8s-manifests`\n")
	for _, line := range strings.Split(strings.TrimRight(section, "\n"), "\n") {
		if line == "" {
			b.WriteString("\n")
			continue
		}
		b.WriteString(indent + line + "\n")
	}
	b.WriteString(indent + "# END connectors")
	out := append([]byte{}, manifest[:m[0]]...)
	out = append(out, b.String()...)
	return append(out, manifest[m[1]:]...), nil
}

// connectorsSection is the text of the fragment's top-level `connectors:`
// key, from that line to the next top-level key or the end.
func connectorsSection(fragment []byte) (string, error) {
	lines := strings.Split(string(fragment), "\n")
	start := -1
	for i, l := range lines {
		if l == "connectors:" {
			start = i
			break
		}
	}
	if start < 0 {
		return "", fmt.Errorf("genai-metrics.yaml has no top-level connectors key")
	}
	end := len(lines)
	for i := start + 1; i < len(lines); i++ {
		if l := lines[i]; l != "" && l[0] != ' ' && l[0] != '#' {
			end = i
			break
		}
	}
	return strings.Join(lines[start:end], "\n"), nil
}
