package pricing

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBuiltinTableIsTheReferenceCopy keeps the constants, the README and the
// package documentation in step with the embedded JSON.
func TestBuiltinTableIsTheReferenceCopy(t *testing.T) {
	var meta struct {
		Meta struct {
			Caveats []string `json:"caveats"`
			Copied  string   `json:"copied"`
			Source  string   `json:"source"`
		} `json:"_meta"`
	}
	require.NoError(t, json.Unmarshal(builtinJSON, &meta))
	assert.Equal(t, BuiltinDate, meta.Meta.Copied)
	assert.Equal(t, builtinSource, meta.Meta.Source)
	assert.Len(t, meta.Meta.Caveats, 4)

	rows, err := parseLiteLLM(builtinJSON)
	require.NoError(t, err)
	assert.Len(t, rows, builtinRowCount)
	for key, p := range rows {
		assert.True(t, strings.HasPrefix(key, "mistral/"), key)
		assert.NotEqual(t, "ocr", p.Mode, key)
		assert.NoError(t, p.Validate(), key)
	}

	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	for _, s := range []string{BuiltinDate, "00035b69f416be24e2e323c13198d9b7d2d1bdf9", "rows: 54"} {
		assert.Contains(t, string(readme), s)
	}
	for _, a := range builtinAliases {
		assert.Contains(t, string(readme), "`"+a.Alias+"` → `"+a.Target+"`")
	}
}

// TestBuiltinAliases checks that every alias has a target row and either
// fills a gap or replaces a row the caveats call stale.
func TestBuiltinAliases(t *testing.T) {
	rows, err := parseLiteLLM(builtinJSON)
	require.NoError(t, err)
	stale := map[string]bool{"codestral-latest": true}
	seen := map[string]bool{}
	for _, a := range builtinAliases {
		assert.False(t, seen[a.Alias], "duplicate alias %s", a.Alias)
		seen[a.Alias] = true
		assert.Contains(t, rows, "mistral/"+a.Target, a.Alias)
		_, hasRow := rows["mistral/"+a.Alias]
		assert.Equal(t, stale[a.Alias], hasRow, "%s: an alias must fill a gap or replace a stale row", a.Alias)
		assert.NotEmpty(t, a.Reason)
		assert.Equal(t, BuiltinDate, a.Added)
	}
}

func TestBuiltinLookup(t *testing.T) {
	tab, err := Build(Options{Builtin: true})
	require.NoError(t, err)
	assert.Equal(t, builtinRowCount+len(builtinAliases)-1, tab.Len()) // codestral-latest is a row and an alias

	tests := []struct {
		name          string
		model, alias  string
		input, output float64
		mode          string
	}{
		{"codestral-latest", "codestral-2508", "codestral-latest", 0.3, 0.9, "chat"},
		{"mistral/codestral-latest", "codestral-2508", "codestral-latest", 0.3, 0.9, "chat"},
		{"codestral-2405", "codestral-2405", "", 1, 3, "chat"},
		{"Mistral-Large-Latest", "mistral-large-latest", "", 0.5, 1.5, "chat"},
		{"mistralai/mistral-small-latest", "mistral-small-latest", "", 0.06, 0.18, "chat"},
		{"mistral-small-2506", "mistral-small-3-2-2506", "mistral-small-2506", 0.06, 0.18, "chat"},
		{"ministral-3b-latest", "ministral-3-3b-2512", "ministral-3b-latest", 0.1, 0.1, "chat"},
		{"ministral-14b-2512", "ministral-3-14b-2512", "ministral-14b-2512", 0.2, 0.2, "chat"},
		{"pixtral-12b-latest", "pixtral-12b-2409", "pixtral-12b-latest", 0.15, 0.15, "chat"},
		{"mistral-embed", "mistral-embed", "", 0.1, 0, modeEmbedding},
		{"mistral_ai/mistral-embed-2312", "mistral-embed", "mistral-embed-2312", 0.1, 0, modeEmbedding},
		{"mistral-medium-latest", "mistral-medium-latest", "", 1.5, 7.5, "chat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, ok := tab.Lookup(tt.name)
			require.True(t, ok)
			assert.Equal(t, tt.model, e.Model)
			assert.Equal(t, "mistral/"+tt.model, e.Key)
			assert.Equal(t, tt.alias, e.Alias)
			assert.Equal(t, SourceBuiltin, e.Source)
			assert.Equal(t, tt.input, e.Price.Input)
			assert.Equal(t, tt.output, e.Price.Output)
			assert.Equal(t, tt.mode, e.Price.Mode)
		})
	}
	for _, missing := range []string{
		"mistral-ocr-latest", "mistral-ocr-2512", // priced per page: not loaded
		"voxtral-mini-latest", "mistral-saba-latest", // no rows (caveat)
		"mistral-large", "mistral-large-2499", "codestral", // no suffix guessing
		"gpt-4o", "", "/", "mistral/",
	} {
		_, ok := tab.Lookup(missing)
		assert.False(t, ok, missing)
	}
}
