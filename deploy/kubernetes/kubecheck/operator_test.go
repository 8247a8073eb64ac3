package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	// The OpenTelemetry Operator's module, pinned in go.mod: its
	// config/crd/bases hold the CRDs the Operator installs. This package (no
	// imports of its own) keeps the requirement; the CRD is read from the
	// module's directory.
	_ "github.com/open-telemetry/opentelemetry-operator/pkg/constants"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/listtype"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	"sigs.k8s.io/yaml"
)

const (
	operatorModule = "github.com/open-telemetry/opentelemetry-operator"
	collectorCRD   = "config/crd/bases/opentelemetry.io_opentelemetrycollectors.yaml"
)

// crdValidator checks custom resources of one served version of a CRD the way
// the API server does on create: the openAPIV3Schema (types, enums, formats,
// required, bounds), unknown fields (what the server prunes, and refuses with
// kubectl's default strict field validation), list-type uniqueness and the
// x-kubernetes-validations CEL rules.
type crdValidator struct {
	apiVersion, kind string
	structural       *structuralschema.Structural
	schema           validation.SchemaValidator
	cel              *cel.Validator
}

// newCRDValidator reads a CRD file and builds the validator of its version.
func newCRDValidator(path, version string) (*crdValidator, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var crd apiextensionsv1.CustomResourceDefinition
	if err := yaml.UnmarshalStrict(b, &crd); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for _, v := range crd.Spec.Versions {
		if v.Name != version || !v.Served {
			continue
		}
		if v.Schema == nil || v.Schema.OpenAPIV3Schema == nil {
			return nil, fmt.Errorf("%s: version %s has no openAPIV3Schema", path, version)
		}
		var internal apiextensions.JSONSchemaProps
		if err := apiextensionsv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(v.Schema.OpenAPIV3Schema, &internal, nil); err != nil {
			return nil, err
		}
		s, err := structuralschema.NewStructural(&internal)
		if err != nil {
			return nil, fmt.Errorf("%s: %s is not a structural schema: %w", path, version, err)
		}
		if errs := structuralschema.ValidateStructural(nil, s); len(errs) > 0 {
			return nil, fmt.Errorf("%s: %s is not a structural schema: %v", path, version, errs.ToAggregate())
		}
		sv, _, err := validation.NewSchemaValidator(&internal)
		if err != nil {
			return nil, err
		}
		return &crdValidator{
			apiVersion: crd.Spec.Group + "/" + version,
			kind:       crd.Spec.Names.Kind,
			structural: s,
			schema:     sv,
			cel:        cel.NewValidator(s, true, celconfig.PerCallLimit),
		}, nil
	}
	return nil, fmt.Errorf("%s: no served version %s", path, version)
}

// validate returns every error the API server would report for the object.
func (v *crdValidator) validate(raw []byte) field.ErrorList {
	var obj map[string]any
	if err := yaml.Unmarshal(raw, &obj); err != nil {
		return field.ErrorList{field.Invalid(nil, nil, err.Error())}
	}
	var errs field.ErrorList
	if obj["apiVersion"] != v.apiVersion || obj["kind"] != v.kind {
		errs = append(errs, field.Invalid(field.NewPath("apiVersion"), obj["apiVersion"], "want "+v.apiVersion+" "+v.kind))
	}
	if m, ok := obj["metadata"]; ok {
		b, _ := json.Marshal(m)
		var meta metav1.ObjectMeta
		if err := yaml.UnmarshalStrict(b, &meta); err != nil {
			errs = append(errs, field.Invalid(field.NewPath("metadata"), nil, err.Error()))
		}
	}
	errs = append(errs, validation.ValidateCustomResource(nil, obj, v.schema)...)
	pruned := pruning.PruneWithOptions(runtimeCopy(obj), v.structural, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true})
	for _, p := range pruned {
		errs = append(errs, field.Forbidden(field.NewPath(p), "unknown field (not in the CRD schema)"))
	}
	errs = append(errs, listtype.ValidateListSetsAndMaps(nil, v.structural, obj)...)
	if v.cel != nil {
		celErrs, _ := v.cel.Validate(context.Background(), nil, v.structural, obj, nil, celconfig.RuntimeCELCostBudget)
		errs = append(errs, celErrs...)
	}
	return errs
}

// runtimeCopy deep-copies a decoded JSON object (pruning edits it in place).
func runtimeCopy(obj map[string]any) map[string]any {
	b, _ := json.Marshal(obj)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return out
}

var (
	collectorValidatorOnce sync.Once
	collectorValidator     *crdValidator
	collectorValidatorErr  error
)

// operatorCollectorValidator is the validator of the Operator's
// OpenTelemetryCollector v1beta1, from the CRD in the module go.mod pins.
func operatorCollectorValidator(t *testing.T) *crdValidator {
	t.Helper()
	collectorValidatorOnce.Do(func() {
		out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", operatorModule).Output()
		if err != nil {
			collectorValidatorErr = fmt.Errorf("go list -m %s: %w", operatorModule, err)
			return
		}
		dir := strings.TrimSpace(string(out)) // downloaded: this test imports a package of it
		collectorValidator, collectorValidatorErr = newCRDValidator(filepath.Join(dir, collectorCRD), "v1beta1")
	})
	if collectorValidatorErr != nil {
		t.Fatal(collectorValidatorErr)
	}
	return collectorValidator
}

// checkCollector validates an OpenTelemetryCollector against the Operator's
// CRD and returns the fields the other checks read.
func checkCollector(t *testing.T, d document) collectorPod {
	t.Helper()
	for _, e := range operatorCollectorValidator(t).validate(d.raw) {
		t.Errorf("%s (OpenTelemetryCollector, Operator CRD): %v", d.where, e)
	}
	var c collectorPod
	if err := yaml.Unmarshal(d.raw, &c); err != nil {
		t.Errorf("%s: %v", d.where, err)
	}
	return c
}

// collectorPod is what the checks of this module read from an
// OpenTelemetryCollector that the CRD accepted: the pod's fields (typed with
// the k8s.io/api types the Operator embeds, for Pod Security Admission), the
// ports, the disruption budget and the configuration. Decoding it is not the
// validation: the CRD is.
type collectorPod struct {
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Image               string `json:"image"`
		PodDisruptionBudget *struct {
			MinAvailable *int32 `json:"minAvailable,omitempty"`
		} `json:"podDisruptionBudget,omitempty"`
		TopologySpreadConstraints []corev1.TopologySpreadConstraint `json:"topologySpreadConstraints,omitempty"`
		ServiceAccount            string                            `json:"serviceAccount"`
		PodSecurityContext        *corev1.PodSecurityContext        `json:"podSecurityContext"`
		SecurityContext           *corev1.SecurityContext           `json:"securityContext"`
		Ports                     []struct {
			corev1.ServicePort `json:",inline"`
			HostPort           int32 `json:"hostPort,omitempty"`
		} `json:"ports,omitempty"`
		Config map[string]any `json:"config"`
	} `json:"spec"`
}

// TestOperatorCRDCatchesMistakes proves the CRD check is live: the shipped
// gateway passes, and each mistake below, made on a copy of it, is refused
// with an error naming the field.
func TestOperatorCRDCatchesMistakes(t *testing.T) {
	v := operatorCollectorValidator(t)
	var gateway []byte
	for _, d := range documents(t) {
		if d.kind == "OpenTelemetryCollector" {
			gateway = d.raw
			break
		}
	}
	if errs := v.validate(gateway); len(errs) > 0 {
		t.Fatalf("the shipped gateway is refused: %v", errs.ToAggregate())
	}
	for _, tc := range []struct {
		name, field string
		edit        func(spec map[string]any)
	}{
		{"unknown field", "spec.replicaCount", func(s map[string]any) { s["replicaCount"] = 3 }},
		{"unknown nested field", "spec.autoscaler.minReplica", func(s map[string]any) {
			s["autoscaler"].(map[string]any)["minReplica"] = 3
		}},
		{"wrong type", "spec.autoscaler.maxReplicas", func(s map[string]any) {
			s["autoscaler"].(map[string]any)["maxReplicas"] = "twelve"
		}},
		{"mode not in the enum", "spec.mode", func(s map[string]any) { s["mode"] = "replicaset" }},
		{"port missing its required port", "spec.ports[0].port", func(s map[string]any) {
			delete(s["ports"].([]any)[0].(map[string]any), "port")
		}},
		{"CEL rule: tolerations in sidecar mode", "spec", func(s map[string]any) {
			s["mode"] = "sidecar"
			s["tolerations"] = []any{map[string]any{"key": "k", "operator": "Exists"}}
			delete(s, "autoscaler")
			delete(s, "podDisruptionBudget")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var obj map[string]any
			if err := yaml.Unmarshal(gateway, &obj); err != nil {
				t.Fatal(err)
			}
			tc.edit(obj["spec"].(map[string]any))
			b, _ := yaml.Marshal(obj)
			errs := v.validate(b)
			if len(errs) == 0 {
				t.Fatalf("accepted")
			}
			for _, e := range errs {
				if strings.HasPrefix(e.Field, tc.field) {
					t.Logf("refused: %v", e)
					return
				}
			}
			t.Errorf("no error on %s: %v", tc.field, errs.ToAggregate())
		})
	}
}
