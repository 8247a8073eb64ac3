package llmenrichprocessor

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor/internal/metadata"
)

func TestLoadConfig(t *testing.T) {
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)
	tests := []struct {
		id        string
		want      *Config
		errs      []string // each must appear in the error
		unmarshal string   // an unmarshal error
	}{
		{id: "", want: createDefaultConfig().(*Config)},
		{id: "full", want: &Config{
			Workspace: "acme-prod",
			Pricing: PricingConfig{
				Files: []string{"./prices.json", "./team-prices.json"},
				Models: map[string]ModelPrice{
					"my-finetune":   {Input: 2, Output: 6, CacheRead: ptr(0.2), CacheWrite: ptr(0.0)},
					"mistral-embed": {Input: 0.1, Mode: "embedding"},
				},
				Aliases:              map[string]string{"my-latest": "my-finetune"},
				OverrideExistingCost: true,
				Breakdown:            true,
				CostProposal:         true,
			},
			Classification: ClassificationConfig{Enabled: false},
		}},
		{id: "negative_price", errs: []string{"pricing.models[my-finetune].input", "-1"}},
		{id: "nan_price", errs: []string{"pricing.models[my-finetune].output", "NaN"}},
		{id: "negative_cache", errs: []string{"pricing.models[my-finetune].cache_read", "-0.5"}},
		{id: "huge_price", errs: []string{"pricing.models[my-finetune].input", "2e+09"}},
		{id: "bad_mode", errs: []string{"pricing.models[my-finetune].mode", `"image"`}},
		{id: "empty_file", errs: []string{"pricing.files[0]", "empty path"}},
		{id: "duplicate_file", errs: []string{"pricing.files[2]", `"a.json"`, "pricing.files[0]"}},
		{id: "empty_alias_target", errs: []string{"pricing.aliases[my-latest]", "empty target"}},
		{id: "self_alias", errs: []string{"pricing.aliases[my-latest]", "itself"}},
		{id: "workspace_spaces", errs: []string{"workspace", `" acme "`}},
		{id: "unknown_key", unmarshal: "modles"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			id := component.NewID(metadata.Type)
			if tt.id != "" {
				id = component.NewIDWithName(metadata.Type, tt.id)
			}
			sub, err := cm.Sub(id.String())
			require.NoError(t, err)
			cfg := createDefaultConfig().(*Config)
			err = sub.Unmarshal(cfg)
			if tt.unmarshal != "" {
				require.ErrorContains(t, err, tt.unmarshal)
				return
			}
			require.NoError(t, err)
			err = confmap.Validate(cfg)
			if len(tt.errs) == 0 {
				require.NoError(t, err)
				assert.Equal(t, tt.want, cfg)
				return
			}
			require.Error(t, err)
			for _, w := range tt.errs {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}
