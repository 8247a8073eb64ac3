package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	goyaml "go.yaml.in/yaml/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	psaapi "k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
	"sigs.k8s.io/yaml"
)

// manifestDir is deploy/kubernetes, relative to this module.
const manifestDir = ".."

// document is one YAML document of a file under deploy/kubernetes.
type document struct {
	where string
	raw   []byte
	kind  string
}

// documents splits every YAML file under deploy/kubernetes (this module
// excepted) into documents.
func documents(t *testing.T) []document {
	t.Helper()
	var out []document
	err := filepath.WalkDir(manifestDir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "kubecheck" {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		dec := goyaml.NewDecoder(bytes.NewReader(b))
		for i := 0; ; i++ {
			var v map[string]any
			err := dec.Decode(&v)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			if v == nil {
				continue
			}
			raw, err := goyaml.Marshal(v)
			if err != nil {
				return err
			}
			kind, _ := v["kind"].(string)
			if kind == "" && v["mode"] != nil {
				kind = "HelmValues"
			}
			rel, _ := filepath.Rel(manifestDir, path)
			out = append(out, document{where: fmt.Sprintf("%s#%d", rel, i), raw: raw, kind: kind})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// strict decodes a document into a typed object, failing on unknown fields.
func strict(t *testing.T, d document, into any) {
	t.Helper()
	if err := yaml.UnmarshalStrict(d.raw, into); err != nil {
		t.Errorf("%s (%s): %v", d.where, d.kind, err)
	}
}

// helmValues is the part of the opentelemetry-collector chart's values that
// reaches the pod, typed with the Kubernetes API types the chart copies into
// it. The chart's values.schema.json is not in any package registry this
// project can install from, so the other keys are not checked here; the
// collector configuration (`config`) is validated by e2e/configs_test.go.
type helmValues struct {
	Mode           string `json:"mode"`
	ServiceAccount struct {
		Create bool   `json:"create"`
		Name   string `json:"name"`
	} `json:"serviceAccount"`
	PodSecurityContext        *corev1.PodSecurityContext        `json:"podSecurityContext"`
	SecurityContext           *corev1.SecurityContext           `json:"securityContext"`
	TopologySpreadConstraints []corev1.TopologySpreadConstraint `json:"topologySpreadConstraints"`
	PodLabels                 map[string]string                 `json:"podLabels"`
	ExtraEnvs                 []corev1.EnvVar                   `json:"extraEnvs"`
	Resources                 corev1.ResourceRequirements       `json:"resources"`
	PodDisruptionBudget       *struct {
		Enabled      bool   `json:"enabled"`
		MinAvailable *int32 `json:"minAvailable"`
	} `json:"podDisruptionBudget"`
	Ports map[string]struct {
		Enabled       bool   `json:"enabled"`
		ContainerPort int32  `json:"containerPort"`
		ServicePort   int32  `json:"servicePort"`
		HostPort      int32  `json:"hostPort"`
		Protocol      string `json:"protocol"`
		AppProtocol   string `json:"appProtocol"`
	} `json:"ports"`
}

// chartDefaultPorts is the `ports` block of the chart's values.yaml, into
// which Helm merges a values file's `ports` (maps merge, a null deletes). The
// chart gives the OTLP, Jaeger and Zipkin ports a hostPort, which its template
// sets on the container in daemonset mode: a values file must null them.
const chartDefaultPorts = `
otlp: {enabled: true, containerPort: 4317, servicePort: 4317, hostPort: 4317, protocol: TCP, appProtocol: grpc}
otlp-http: {enabled: true, containerPort: 4318, servicePort: 4318, hostPort: 4318, protocol: TCP}
jaeger-compact: {enabled: true, containerPort: 6831, servicePort: 6831, hostPort: 6831, protocol: UDP}
jaeger-thrift: {enabled: true, containerPort: 14268, servicePort: 14268, hostPort: 14268, protocol: TCP}
jaeger-grpc: {enabled: true, containerPort: 14250, servicePort: 14250, hostPort: 14250, protocol: TCP}
zipkin: {enabled: true, containerPort: 9411, servicePort: 9411, hostPort: 9411, protocol: TCP}
metrics: {enabled: false, containerPort: 8888, servicePort: 8888, protocol: TCP}
`

// helmMerge merges src into dst as Helm merges values: maps recursively, a
// null deletes the key, anything else replaces.
func helmMerge(dst, src map[string]any) map[string]any {
	out := maps.Clone(dst)
	for k, v := range src {
		if v == nil {
			delete(out, k)
			continue
		}
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

// helmPodKeys are the values keys helmValues decodes.
var helmPodKeys = []string{"serviceAccount", "podSecurityContext", "securityContext", "topologySpreadConstraints",
	"podLabels", "extraEnvs", "resources", "podDisruptionBudget", "ports"}

// decodeHelm decodes the pod-related keys of a values file.
func decodeHelm(t *testing.T, d document) helmValues {
	t.Helper()
	var all map[string]any
	if err := yaml.Unmarshal(d.raw, &all); err != nil {
		t.Fatal(err)
	}
	var defaultPorts map[string]any
	if err := yaml.Unmarshal([]byte(chartDefaultPorts), &defaultPorts); err != nil {
		t.Fatal(err)
	}
	ports, _ := all["ports"].(map[string]any)
	all["ports"] = helmMerge(defaultPorts, ports)
	sub := map[string]any{"mode": all["mode"]}
	for _, k := range helmPodKeys {
		if v, ok := all[k]; ok {
			sub[k] = v
		}
	}
	b, _ := yaml.Marshal(sub)
	var v helmValues
	strict(t, document{where: d.where, raw: b, kind: d.kind}, &v)
	return v
}

// restricted evaluates a pod against Pod Security Admission's "restricted"
// level (latest version).
func restricted(t *testing.T, where string, meta metav1.ObjectMeta, spec corev1.PodSpec) {
	t.Helper()
	eval, err := policy.NewEvaluator(policy.DefaultChecks(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range eval.EvaluatePod(psaapi.LevelVersion{Level: psaapi.LevelRestricted, Version: psaapi.LatestVersion()}, &meta, &spec) {
		if !r.Allowed {
			t.Errorf("%s: Pod Security Admission restricted: %s: %s", where, r.ForbiddenReason, r.ForbiddenDetail)
		}
	}
}

// serviceAccounts returns the ServiceAccounts the manifests define, by name.
func serviceAccounts(t *testing.T, docs []document) map[string]corev1.ServiceAccount {
	out := map[string]corev1.ServiceAccount{}
	for _, d := range docs {
		if d.kind == "ServiceAccount" {
			var sa corev1.ServiceAccount
			strict(t, d, &sa)
			out[sa.Name] = sa
		}
	}
	return out
}

// checkNoToken fails unless the pod's ServiceAccount is one of ours that
// mounts no token (no collector here calls the Kubernetes API).
func checkNoToken(t *testing.T, where, name string, sas map[string]corev1.ServiceAccount) {
	t.Helper()
	sa, ok := sas[name]
	if !ok {
		t.Errorf("%s: service account %q is not defined in deploy/kubernetes", where, name)
		return
	}
	if sa.AutomountServiceAccountToken == nil || *sa.AutomountServiceAccountToken {
		t.Errorf("%s: service account %q mounts a token", where, name)
	}
}

// TestManifestsDecodeStrictly decodes every manifest into its real type (the
// Operator's resources: validates them against its CRD) and
// runs every pod through Pod Security Admission's restricted policy.
func TestManifestsDecodeStrictly(t *testing.T) {
	docs := documents(t)
	sas := serviceAccounts(t, docs)
	seen := map[string]int{}
	for _, d := range docs {
		seen[d.kind]++
		switch d.kind {
		case "ServiceAccount":
		case "Service":
			var s corev1.Service
			strict(t, d, &s)
		case "PodDisruptionBudget":
			var p policyv1.PodDisruptionBudget
			strict(t, d, &p)
		case "PodMonitor":
			var p monitoringv1.PodMonitor
			strict(t, d, &p)
		case "ServiceMonitor":
			var s monitoringv1.ServiceMonitor
			strict(t, d, &s)
		case "PrometheusRule":
			var p monitoringv1.PrometheusRule
			strict(t, d, &p)
		case "OpenTelemetryCollector":
			c := checkCollector(t, d)
			spec := corev1.PodSpec{
				ServiceAccountName: c.Spec.ServiceAccount,
				SecurityContext:    c.Spec.PodSecurityContext,
				Containers:         []corev1.Container{{Name: "otc-container", Image: c.Spec.Image, SecurityContext: c.Spec.SecurityContext}},
			}
			for _, p := range c.Spec.Ports {
				spec.Containers[0].Ports = append(spec.Containers[0].Ports, corev1.ContainerPort{Name: p.Name, ContainerPort: p.Port, HostPort: p.HostPort})
			}
			restricted(t, d.where, c.ObjectMeta, spec)
			checkNoToken(t, d.where, c.Spec.ServiceAccount, sas)
		case "HelmValues":
			v := decodeHelm(t, d)
			if v.ServiceAccount.Create {
				t.Errorf("%s: serviceAccount.create must be false: the pods use service-account.yaml's", d.where)
			}
			spec := corev1.PodSpec{
				ServiceAccountName: v.ServiceAccount.Name,
				SecurityContext:    v.PodSecurityContext,
				Containers:         []corev1.Container{{Name: "opentelemetry-collector", SecurityContext: v.SecurityContext}},
			}
			for _, name := range slices.Sorted(maps.Keys(v.Ports)) {
				p := v.Ports[name]
				if !p.Enabled {
					continue
				}
				cp := corev1.ContainerPort{Name: name, ContainerPort: p.ContainerPort}
				if v.Mode == "daemonset" { // the chart sets hostPort in daemonset mode only
					cp.HostPort = p.HostPort
				}
				spec.Containers[0].Ports = append(spec.Containers[0].Ports, cp)
			}
			restricted(t, d.where, metav1.ObjectMeta{Labels: v.PodLabels}, spec)
			checkNoToken(t, d.where, v.ServiceAccount.Name, sas)
		default:
			t.Errorf("%s: kind %q has no check", d.where, d.kind)
		}
	}
	for kind, min := range map[string]int{"ServiceAccount": 1, "Service": 1, "PodMonitor": 1, "PrometheusRule": 1, "OpenTelemetryCollector": 2, "HelmValues": 3} {
		if seen[kind] < min {
			t.Errorf("found %d %s, want at least %d", seen[kind], kind, min)
		}
	}
}

// TestRestrictedCatchesViolations proves the policy check is live: the
// gateway's values with a hostPort or without dropped capabilities fail it.
func TestRestrictedCatchesViolations(t *testing.T) {
	ok := corev1.PodSpec{
		SecurityContext: &corev1.PodSecurityContext{RunAsNonRoot: ptr(true), SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault}},
		Containers: []corev1.Container{{Name: "c", SecurityContext: &corev1.SecurityContext{
			AllowPrivilegeEscalation: ptr(false), Capabilities: &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
		}}},
	}
	eval, err := policy.NewEvaluator(policy.DefaultChecks(), nil)
	if err != nil {
		t.Fatal(err)
	}
	allowed := func(spec corev1.PodSpec) bool {
		for _, r := range eval.EvaluatePod(psaapi.LevelVersion{Level: psaapi.LevelRestricted, Version: psaapi.LatestVersion()}, &metav1.ObjectMeta{}, &spec) {
			if !r.Allowed {
				return false
			}
		}
		return true
	}
	if !allowed(ok) {
		t.Fatal("a compliant pod is refused")
	}
	hostPort := *ok.DeepCopy()
	hostPort.Containers[0].Ports = []corev1.ContainerPort{{ContainerPort: 4317, HostPort: 4317}}
	caps := *ok.DeepCopy()
	caps.Containers[0].SecurityContext.Capabilities = nil
	for name, spec := range map[string]corev1.PodSpec{"hostPort": hostPort, "capabilities": caps} {
		if allowed(spec) {
			t.Errorf("a pod with a %s violation passes", name)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// TestDerivedFilesUpToDate checks that prometheus-rule.yaml and the
// connectors blocks are what `make k8s-manifests` writes.
func TestDerivedFilesUpToDate(t *testing.T) {
	files, err := derivedFiles(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range files {
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run `make k8s-manifests`", path)
		}
	}
}

// find returns the documents of a kind whose metadata.name is name.
func find[T any](t *testing.T, docs []document, kind, file string) T {
	t.Helper()
	var v T
	for _, d := range docs {
		if d.kind == kind && strings.HasPrefix(d.where, file+"#") {
			strict(t, d, &v)
			return v
		}
	}
	t.Fatalf("no %s in %s", kind, file)
	return v
}

// chartSelectorLabels are the labels the opentelemetry-collector chart puts on
// a release's pods and selects them by (mode deployment).
func chartSelectorLabels(release string) map[string]string {
	return map[string]string{
		"app.kubernetes.io/name":     "opentelemetry-collector",
		"app.kubernetes.io/instance": release,
		"component":                  "standalone-collector",
	}
}

// TestPairingsRouteSpans checks that the agent's loadbalancing exporter
// resolves the headless Service of the gateway in both pairings: the Service
// the Operator creates for the OpenTelemetryCollector "llm-gateway"
// (<name>-collector-headless), and the one gateway-headless-service.yaml
// creates, under the same name, over the Helm gateway's pods.
func TestPairingsRouteSpans(t *testing.T) {
	docs := documents(t)
	var agent map[string]any
	for _, d := range docs {
		if d.where == filepath.FromSlash("helm/agent-values.yaml#0") {
			if err := yaml.Unmarshal(d.raw, &agent); err != nil {
				t.Fatal(err)
			}
		}
	}
	host := dig(agent, "config", "exporters", "load_balancing", "resolver", "dns", "hostname")
	if host == nil {
		t.Fatal("agent-values.yaml: no loadbalancing DNS resolver hostname")
	}
	svcName, ns, _ := strings.Cut(strings.TrimSuffix(host.(string), ".svc.cluster.local"), ".")

	var gateway collectorPod
	for _, d := range docs {
		if d.kind == "OpenTelemetryCollector" {
			c := checkCollector(t, d)
			if _, ok := c.Spec.Config["processors"].(map[string]any)["llm_enrich"]; ok {
				gateway = c
			}
		}
	}
	if want := gateway.Name + "-collector-headless"; svcName != want || ns != gateway.Namespace {
		t.Errorf("agent resolves %s.%s; the Operator's gateway headless Service is %s.%s", svcName, ns, want, gateway.Namespace)
	}

	headless := find[corev1.Service](t, docs, "Service", "gateway-headless-service.yaml")
	if headless.Name != svcName || headless.Namespace != ns || headless.Spec.ClusterIP != corev1.ClusterIPNone {
		t.Errorf("gateway-headless-service.yaml is %s.%s (clusterIP %q), the agent resolves the headless %s.%s",
			headless.Name, headless.Namespace, headless.Spec.ClusterIP, svcName, ns)
	}
	// The Helm gateway is the release the install comment names.
	gw, err := os.ReadFile(filepath.Join(manifestDir, "helm/gateway-values.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(gw), "helm install llm-gateway ") {
		t.Fatal("gateway-values.yaml no longer documents the release llm-gateway")
	}
	for k, v := range headless.Spec.Selector {
		if chartSelectorLabels("llm-gateway")[k] != v {
			t.Errorf("headless Service selects %s=%s, which the chart's llm-gateway pods do not carry", k, v)
		}
	}
	if !slices.ContainsFunc(headless.Spec.Ports, func(p corev1.ServicePort) bool { return p.Port == 4317 }) {
		t.Error("headless Service does not expose 4317")
	}
}

func dig(m map[string]any, keys ...string) any {
	var v any = m
	for _, k := range keys {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[k]
	}
	return v
}

// TestGatewayHolds checks the gateway's disruption budget and spread in both
// forms, and that the PodMonitor selects every collector pod on both of its
// metrics ports.
func TestGatewayHolds(t *testing.T) {
	docs := documents(t)
	pm := find[monitoringv1.PodMonitor](t, docs, "PodMonitor", "pod-monitor.yaml")
	var ports []string
	for _, e := range pm.Spec.PodMetricsEndpoints {
		if e.Port != nil {
			ports = append(ports, *e.Port)
		}
	}
	slices.Sort(ports)
	if !slices.Equal(ports, []string{"metrics", "prom-exporter"}) {
		t.Errorf("PodMonitor scrapes ports %v, want metrics and prom-exporter", ports)
	}
	selects := func(labels map[string]string) bool {
		for k, v := range pm.Spec.Selector.MatchLabels {
			if labels[k] != v {
				return false
			}
		}
		return true
	}
	for _, d := range docs {
		switch d.kind {
		case "OpenTelemetryCollector":
			c := checkCollector(t, d)
			if !selects(c.Labels) {
				t.Errorf("%s: the PodMonitor does not select its pods (labels %v)", d.where, c.Labels)
			}
			var names []string
			for _, p := range c.Spec.Ports {
				names = append(names, p.Name)
			}
			for _, p := range ports {
				if !slices.Contains(names, p) {
					t.Errorf("%s: no port named %s", d.where, p)
				}
			}
			if c.Name == "llm-gateway" {
				if c.Spec.PodDisruptionBudget == nil || c.Spec.PodDisruptionBudget.MinAvailable == nil || *c.Spec.PodDisruptionBudget.MinAvailable < 2 {
					t.Errorf("%s: no PodDisruptionBudget keeping 2 gateways", d.where)
				}
				checkSpread(t, d.where, c.Spec.TopologySpreadConstraints, map[string]string{"app.kubernetes.io/name": c.Name + "-collector"})
			}
		case "HelmValues":
			v := decodeHelm(t, d)
			if !selects(v.PodLabels) {
				t.Errorf("%s: the PodMonitor does not select its pods (podLabels %v)", d.where, v.PodLabels)
			}
			if strings.HasPrefix(d.where, filepath.FromSlash("helm/gateway-values.yaml")) {
				if v.PodDisruptionBudget == nil || !v.PodDisruptionBudget.Enabled || v.PodDisruptionBudget.MinAvailable == nil || *v.PodDisruptionBudget.MinAvailable < 2 {
					t.Errorf("%s: no PodDisruptionBudget keeping 2 gateways", d.where)
				}
				checkSpread(t, d.where, v.TopologySpreadConstraints, chartSelectorLabels("llm-gateway"))
				for _, p := range ports {
					if !v.Ports[p].Enabled {
						t.Errorf("%s: port %s not enabled", d.where, p)
					}
				}
			}
		}
	}
}

// checkSpread wants a spread over nodes whose selector matches the pods.
func checkSpread(t *testing.T, where string, cs []corev1.TopologySpreadConstraint, podLabels map[string]string) {
	t.Helper()
	for _, c := range cs {
		if c.TopologyKey != "kubernetes.io/hostname" || c.LabelSelector == nil {
			continue
		}
		match := true
		for k, v := range c.LabelSelector.MatchLabels {
			if podLabels[k] != v {
				match = false
			}
		}
		if match {
			return
		}
	}
	t.Errorf("%s: no topology spread over kubernetes.io/hostname selecting the gateway's pods", where)
}
