package pricing

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

func TestLoadFileFormats(t *testing.T) {
	lite, err := loadRows("testdata/litellm_sample.json")
	require.NoError(t, err)
	assert.Len(t, lite, 12)
	assert.Equal(t, Price{Input: 2.5, Output: 10, CacheRead: 1.25, HasCacheRead: true, Mode: "chat"}, lite["gpt-4o"])

	openlit, err := loadRows("testdata/openlit_pricing.json")
	require.NoError(t, err)
	assert.Equal(t, Price{Input: 0.1, Output: 0.3, Mode: "chat"}, openlit["mistral-small-latest"])
	assert.Equal(t, Price{Input: 0.1, Mode: modeEmbedding}, openlit["mistral-embed"])

	builtin, err := loadRows("builtin_mistral.json")
	require.NoError(t, err)
	assert.Len(t, builtin, builtinRowCount)
}

func TestLoadFileErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		path string
		want string
	}{
		{"missing", filepath.Join(dir, "nope.json"), `"` + filepath.Join(dir, "nope.json") + `": cannot read file: no such file or directory`},
		{"directory", dir, `"` + dir + `": cannot read file: is a directory`},
		{"empty", writeFile(t, dir, "empty.json", ""), `"` + filepath.Join(dir, "empty.json") + `": empty file: expected a JSON object`},
		{"invalid JSON", writeFile(t, dir, "bad.json", "{\n\"a\": nope\n}"),
			`"` + filepath.Join(dir, "bad.json") + `": invalid JSON at line 2, column 7: invalid character 'o' in literal null (expecting 'u')`},
		{"bad field type", writeFile(t, dir, "type.json", `{"mistral/foo": {"input_cost_per_token": "abc"}}`),
			`"` + filepath.Join(dir, "type.json") + `": entry "mistral/foo": input_cost_per_token: must be a non-negative number, got "abc"`},
		{"negative", writeFile(t, dir, "neg.json", `{"mistral/foo": {"output_cost_per_token": -3e-06}}`),
			`"` + filepath.Join(dir, "neg.json") + `": entry "mistral/foo": output_cost_per_token: must be a non-negative number, got -3e-06`},
		{"openlit negative", writeFile(t, dir, "ol.json", `{"chat": {"gpt-4": {"promptPrice": -0.03}}}`),
			`"` + filepath.Join(dir, "ol.json") + `": chat "gpt-4": promptPrice: must be a non-negative number, got -0.03`},
		{"no token prices", writeFile(t, dir, "none.json", `{"sample_spec": {"input_cost_per_token": 0}, "x": {"ocr_cost_per_page": 0.001, "mode": "ocr"}}`),
			`"` + filepath.Join(dir, "none.json") + `": no token prices found (read as litellm format: expected LiteLLM rows with ` +
				`input_cost_per_token/output_cost_per_token, or OpenLIT "chat"/"embeddings" sections)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := loadRows(tt.path)
			assert.EqualError(t, err, tt.want)
			assert.Nil(t, got)
		})
	}
}

func loadRows(path string) (map[string]Price, error) {
	rows, _, err := loadFile(path)
	return rows, err
}
