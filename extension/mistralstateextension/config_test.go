package mistralstateextension

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/extension/extensiontest"

	"github.com/otelcol-mistral/otelcol-mistral/extension/mistralstateextension/internal/metadata"
	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralstate"
)

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"default", func(*Config) {}, ""},
		{"no services", func(c *Config) { c.MaxServices = 0 }, "max_services: must be between 1 and 10000, got 0"},
		{"too many models", func(c *Config) { c.MaxModels = 10001 }, "max_models: must be between 1 and 10000, got 10001"},
		{"window too short", func(c *Config) { c.DiagnosisWindow = time.Second }, "diagnosis_window: must be between 10s and 14m50s, got 1s"},
		{"window too long", func(c *Config) { c.DiagnosisWindow = time.Hour }, "diagnosis_window: must be between 10s and 14m50s, got 1h0m0s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := createDefaultConfig().(*Config)
			tc.edit(cfg)
			err := cfg.Validate()
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			assert.EqualError(t, err, tc.want)
		})
	}
}

func TestExtensionSharesOneStore(t *testing.T) {
	f := NewFactory()
	cfg := f.CreateDefaultConfig().(*Config)
	cfg.DiagnosisWindow = time.Minute
	ext, err := f.Create(context.Background(), extensiontest.NewNopSettings(metadata.Type), cfg)
	require.NoError(t, err)
	require.NoError(t, ext.Start(context.Background(), componenttest.NewNopHost()))
	p, ok := ext.(mistralstate.Provider)
	require.True(t, ok)
	assert.Same(t, p.MistralState(), p.MistralState())
	assert.Equal(t, time.Minute, p.MistralState().DiagnosisWindow())
	require.NoError(t, ext.Shutdown(context.Background()))
}
