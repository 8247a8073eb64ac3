package llmenrichprocessor

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/golden"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/ptracetest"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"
)

var update = flag.Bool("update", false, "rewrite the expected.yaml of every golden case")

// TestGolden processes testdata/<case>/input.yaml and compares the result
// with testdata/<case>/expected.yaml: every change to what the processor
// writes shows as a diff of those files (go test -run TestGolden -update
// rewrites them). A case's config.yaml, when present, is the processor's
// configuration; otherwise it runs with the default one.
func TestGolden(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("testdata", "*", "input.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, inputs)
	for _, in := range inputs {
		dir := filepath.Dir(in)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			cfg := createDefaultConfig().(*Config)
			if _, err := os.Stat(filepath.Join(dir, "config.yaml")); err == nil {
				cm, err := confmaptest.LoadConf(filepath.Join(dir, "config.yaml"))
				require.NoError(t, err)
				require.NoError(t, cm.Unmarshal(cfg))
				require.NoError(t, confmap.Validate(cfg))
			}
			e, err := newEnricher(cfg)
			require.NoError(t, err)
			td, err := golden.ReadTraces(in)
			require.NoError(t, err)
			out, err := e.processTraces(context.Background(), td)
			require.NoError(t, err)
			want := filepath.Join(dir, "expected.yaml")
			if *update {
				require.NoError(t, golden.WriteTracesToFile(want, out))
			}
			expected, err := golden.ReadTraces(want)
			require.NoError(t, err)
			require.NoError(t, ptracetest.CompareTraces(expected, out))
		})
	}
}
