package pricing

import (
	"math"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	samplePath  = "testdata/litellm_sample.json"
	openlitPath = "testdata/openlit_pricing.json"
)

// want describes the expected result of one lookup.
type want struct {
	key, model, alias string
	source            Source
	input, output     float64
}

func checkLookup(t *testing.T, tab *Table, name string, w *want) {
	t.Helper()
	e, ok := tab.Lookup(name)
	if w == nil {
		assert.False(t, ok, "%q should not match, got %+v", name, e)
		return
	}
	require.True(t, ok, "%q should match", name)
	assert.Equal(t, w.key, e.Key, "key for %q", name)
	assert.Equal(t, w.model, e.Model, "model for %q", name)
	assert.Equal(t, w.alias, e.Alias, "alias for %q", name)
	assert.Equal(t, w.source, e.Source, "source for %q", name)
	assert.Equal(t, w.input, e.Price.Input, "input price for %q", name)
	assert.Equal(t, w.output, e.Price.Output, "output price for %q", name)
}

func TestLookupNames(t *testing.T) {
	tab, err := Build(Options{Files: []string{samplePath}})
	require.NoError(t, err)
	assert.Equal(t, 9, tab.Len())

	file := func(key string, in, out float64) *want {
		_, model := splitPrefix(key)
		return &want{key: key, model: model, source: SourceFile, input: in, output: out}
	}
	tests := []struct {
		name string
		want *want
	}{
		{"gpt-4o", file("gpt-4o", 2.5, 10)},                    // exact
		{"GPT-4o", file("gpt-4o", 2.5, 10)},                    // lower-cased
		{"openai/gpt-4o", file("openai/gpt-4o", 2.5, 10)},      // exact prefixed row
		{"azure/gpt-4o", file("azure/gpt-4o", 2.75, 11)},       // the provider's own row
		{"Azure/GPT-4o", file("azure/gpt-4o", 2.75, 11)},       // lower-cased prefixed row
		{"vertex_ai/gpt-4o", file("gpt-4o", 2.5, 10)},          // unknown prefix stripped
		{"gpt-4o-mini", file("openai/gpt-4o-mini", 0.15, 0.6)}, // first-party prefix beats azure
		{"azure/gpt-4o-mini", file("azure/gpt-4o-mini", 0.165, 0.66)},
		{"claude-sonnet-4-5-20250929", file("claude-sonnet-4-5-20250929", 3, 15)},
		{"anthropic/claude-3-haiku-20240307", file("anthropic/claude-3-haiku-20240307", 0.25, 1.25)},
		{"claude-3-haiku-20240307", file("anthropic/claude-3-haiku-20240307", 0.25, 1.25)},
		{"mistral-large-latest", file("mistral/mistral-large-latest", 2, 6)},
		{"mistralai/Mistral-Large-Latest", file("mistral/mistral-large-latest", 2, 6)},
		{"mistral_ai/mistral-large-latest", file("mistral/mistral-large-latest", 2, 6)},
		{"mistral-7b-instruct", file("openrouter/mistralai/mistral-7b-instruct", 0.13, 0.13)},
		{"openrouter/mistralai/mistral-7b-instruct", file("openrouter/mistralai/mistral-7b-instruct", 0.13, 0.13)},
		{"mistralai/Mistral-7B-Instruct", file("openrouter/mistralai/mistral-7b-instruct", 0.13, 0.13)},
		{"mistral.mixtral-8x7b-instruct-v0:1", file("bedrock/us-west-2/mistral.mixtral-8x7b-instruct-v0:1", 0.45, 0.7)},
		{"output-only", file("example/output-only", 0, 1)},
		{"text-embedding-3-small", file("text-embedding-3-small", 0.02, 0)},
		// Not matched.
		{"gpt-4o-2024-08-06", nil}, // no date guessing
		{"gpt-4", nil},
		{"null-prices", nil},
		{"mistral-ocr-latest", nil},
		{"dall-e-2", nil},
		{"whisper-1", nil},
		{"sample_spec", nil},
		{"", nil},
		{"gpt-4o/", nil},
		{" gpt-4o", nil},
		{strings.Repeat("A", 300) + "/gpt-4o", nil}, // too long to lower-case
		{strings.Repeat("a", 300) + "/gpt-4o", file("gpt-4o", 2.5, 10)},
	}
	for _, tt := range tests {
		checkLookup(t, tab, tt.name, tt.want)
	}
}

func TestLookupNilAndEmptyTable(t *testing.T) {
	var nilTable *Table
	_, ok := nilTable.Lookup("gpt-4o")
	assert.False(t, ok)
	assert.Zero(t, nilTable.Len())

	empty, err := Build(Options{})
	require.NoError(t, err)
	_, ok = empty.Lookup("mistral-large-latest")
	assert.False(t, ok)
	assert.Zero(t, empty.Len())
}

func TestPrecedence(t *testing.T) {
	dir := t.TempDir()
	override := writeFile(t, dir, "override.json", `{
		"mistral/codestral-latest": {"input_cost_per_token": 5e-07, "output_cost_per_token": 1.5e-06, "mode": "chat"},
		"mistral/mistral-large-2411": {"input_cost_per_token": 1e-06, "output_cost_per_token": 1e-06}
	}`)
	builtin := func(key string, in, out float64) *want {
		_, model := splitPrefix(key)
		return &want{key: key, model: model, source: SourceBuiltin, input: in, output: out}
	}
	inFile := func(file, key string, in, out float64) *want {
		_, model := splitPrefix(key)
		return &want{key: key, model: model, source: SourceFile, input: in, output: out}
	}
	inline := func(key string, in, out float64) *want {
		return &want{key: key, model: key, source: SourceInline, input: in, output: out}
	}
	withAlias := func(w *want, alias string) *want { w.alias = alias; return w }

	tests := []struct {
		name   string
		opts   Options
		lookup string
		want   *want
	}{
		{"builtin only", Options{Builtin: true}, "mistral-large-latest", builtin("mistral/mistral-large-latest", 0.5, 1.5)},
		{"file beats builtin", Options{Builtin: true, Files: []string{samplePath}},
			"mistral-large-latest", inFile(samplePath, "mistral/mistral-large-latest", 2, 6)},
		{"file beats builtin for the prefixed name", Options{Builtin: true, Files: []string{samplePath}},
			"mistral/mistral-large-latest", inFile(samplePath, "mistral/mistral-large-latest", 2, 6)},
		{"later file wins", Options{Builtin: true, Files: []string{samplePath, openlitPath}},
			"mistral-large-latest", inFile(openlitPath, "mistral-large-latest", 3, 9)},
		{"later file wins, reversed", Options{Builtin: true, Files: []string{openlitPath, samplePath}},
			"mistral-large-latest", inFile(samplePath, "mistral/mistral-large-latest", 2, 6)},
		{"later unprefixed row beats earlier prefixed row for the prefixed name", Options{Files: []string{samplePath, openlitPath}},
			"mistral/mistral-large-latest", inFile(openlitPath, "mistral-large-latest", 3, 9)},
		{"inline beats files and builtin", Options{Builtin: true, Files: []string{samplePath, openlitPath},
			Models: map[string]Price{"mistral-large-latest": {Input: 9, Output: 27}}},
			"mistral/Mistral-Large-Latest", inline("mistral-large-latest", 9, 27)},
		{"inline bare name beats a file's provider row", Options{Files: []string{samplePath},
			Models: map[string]Price{"gpt-4o": {Input: 1, Output: 2}}},
			"azure/gpt-4o", inline("gpt-4o", 1, 2)},
		{"inline prefixed key", Options{Builtin: true, Models: map[string]Price{"mistral/my-finetune": {Input: 2, Output: 6}}},
			"my-finetune", &want{key: "mistral/my-finetune", model: "my-finetune", source: SourceInline, input: 2, output: 6}},
		{"builtin alias replaces the stale builtin row", Options{Builtin: true},
			"codestral-latest", withAlias(builtin("mistral/codestral-2508", 0.3, 0.9), "codestral-latest")},
		{"a file row beats a builtin alias", Options{Builtin: true, Files: []string{override}},
			"codestral-latest", inFile(override, "mistral/codestral-latest", 0.5, 1.5)},
		{"a file row beats a builtin alias for the prefixed name", Options{Builtin: true, Files: []string{override}},
			"mistral/codestral-latest", inFile(override, "mistral/codestral-latest", 0.5, 1.5)},
		{"an alias follows its target's override", Options{Builtin: true,
			Models: map[string]Price{"codestral-2508": {Input: 0.2, Output: 0.6}}},
			"codestral-latest", withAlias(inline("codestral-2508", 0.2, 0.6), "codestral-latest")},
		{"user alias", Options{Builtin: true, Aliases: map[string]string{"my-latest": "mistral-large-2411"}},
			"my-latest", withAlias(builtin("mistral/mistral-large-2411", 2, 6), "my-latest")},
		{"user alias target with a prefix", Options{Builtin: true, Aliases: map[string]string{"My-Latest": "mistral/Mistral-Large-2411"}},
			"my-latest", withAlias(builtin("mistral/mistral-large-2411", 2, 6), "My-Latest")},
		{"user alias target overridden by a file", Options{Builtin: true, Files: []string{override},
			Aliases: map[string]string{"my-latest": "mistral-large-2411"}},
			"my-latest", withAlias(inFile(override, "mistral/mistral-large-2411", 1, 1), "my-latest")},
		{"user alias beats a file row", Options{Builtin: true, Files: []string{samplePath},
			Aliases: map[string]string{"mistral-large-latest": "mistral-large-2512"}},
			"mistral/mistral-large-latest", withAlias(builtin("mistral/mistral-large-2512", 0.5, 1.5), "mistral-large-latest")},
		{"user alias beats a builtin alias", Options{Builtin: true, Aliases: map[string]string{"codestral-latest": "codestral-2405"}},
			"codestral-latest", withAlias(builtin("mistral/codestral-2405", 1, 3), "codestral-latest")},
		{"user alias may target a builtin alias", Options{Builtin: true, Aliases: map[string]string{"coder": "codestral-latest"}},
			"coder", withAlias(builtin("mistral/codestral-2508", 0.3, 0.9), "coder")},
		{"inline model beats a user alias of the same name", Options{Builtin: true,
			Models:  map[string]Price{"my-latest": {Input: 4, Output: 4}},
			Aliases: map[string]string{"my-latest": "mistral-large-2411"}},
			"my-latest", inline("my-latest", 4, 4)},
		{"no builtin aliases without the builtin table", Options{Files: []string{samplePath}}, "codestral-latest", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := Build(tt.opts)
			require.NoError(t, err)
			checkLookup(t, tab, tt.lookup, tt.want)
		})
	}
}

func TestInlinePricesKeepCacheFlags(t *testing.T) {
	tab, err := Build(Options{Models: map[string]Price{
		"my-finetune": {Input: 2, Output: 6, CacheRead: 0.2},
		"free-cache":  {Input: 2, Output: 6, HasCacheRead: true},
	}})
	require.NoError(t, err)
	e, ok := tab.Lookup("my-finetune")
	require.True(t, ok)
	assert.Equal(t, Price{Input: 2, Output: 6, CacheRead: 0.2, HasCacheRead: true}, e.Price)
	e, ok = tab.Lookup("free-cache")
	require.True(t, ok)
	assert.True(t, e.Price.HasCacheRead)
	assert.False(t, e.Price.HasCacheWrite)
}

func TestBuildErrors(t *testing.T) {
	t.Chdir(t.TempDir()) // relative paths, as users write them
	writeFile(t, ".", "good.json", `{"mistral/ok": {"input_cost_per_token": 1e-06}}`)
	writeFile(t, ".", "prices.json", `{"mistral/ok": {"input_cost_per_token": 1e-06}, "mistral/foo": {"input_cost_per_token": "abc"}}`)
	writeFile(t, ".", "broken.json", `{"mistral/ok": `)
	writeFile(t, ".", "neg.json", `{"chat": {"my-model": {"promptPrice": 0.001, "completionPrice": -0.002}}}`)

	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"bad entry in the second file", Options{Files: []string{"good.json", "prices.json"}},
			`pricing.files[1] "prices.json": entry "mistral/foo": input_cost_per_token: must be a non-negative number, got "abc"`},
		{"missing file", Options{Builtin: true, Files: []string{"missing.json"}},
			`pricing.files[0] "missing.json": cannot read file: no such file or directory`},
		{"invalid JSON", Options{Files: []string{"broken.json"}},
			`pricing.files[0] "broken.json": invalid JSON at line 1, column 15: unexpected end of JSON input`},
		{"negative OpenLIT price", Options{Files: []string{"good.json", "good.json", "neg.json"}},
			`pricing.files[2] "neg.json": chat "my-model": completionPrice: must be a non-negative number, got -0.002`},
		{"empty path", Options{Files: []string{" "}}, `pricing.files[0]: empty path`},
		{"negative inline price", Options{Models: map[string]Price{"my-finetune": {Input: 2, Output: -6}}},
			`pricing.models "my-finetune": output: must be a non-negative number, got -6`},
		{"NaN inline price", Options{Models: map[string]Price{"m": {Input: math.NaN()}}},
			`pricing.models "m": input: must be a non-negative number, got NaN`},
		{"infinite inline cache price", Options{Models: map[string]Price{"m": {CacheRead: math.Inf(1)}}},
			`pricing.models "m": cache_read: must be a non-negative number, got +Inf`},
		{"empty inline name", Options{Models: map[string]Price{"": {Input: 1}}}, `pricing.models "": empty model name`},
		{"inline prefix without model", Options{Models: map[string]Price{"mistral/": {Input: 1}}}, `pricing.models "mistral/": empty model name`},
		{"alias to nothing", Options{Builtin: true, Aliases: map[string]string{"my-latest": "mistral-huge-2999"}},
			`pricing.aliases "my-latest": target "mistral-huge-2999" has no price row`},
		{"alias to a builtin model without the builtin table", Options{Aliases: map[string]string{"my-latest": "codestral-2508"}},
			`pricing.aliases "my-latest": target "codestral-2508" has no price row`},
		{"aliases do not chain", Options{Builtin: true, Aliases: map[string]string{"a": "b", "b": "codestral-2508"}},
			`pricing.aliases "a": target "b" has no price row`},
		{"empty alias target", Options{Builtin: true, Aliases: map[string]string{"my-latest": ""}},
			`pricing.aliases "my-latest": empty target`},
		{"empty alias name", Options{Builtin: true, Aliases: map[string]string{"": "codestral-2508"}},
			`pricing.aliases "": empty model name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := Build(tt.opts)
			assert.EqualError(t, err, tt.want)
			assert.Nil(t, tab)
		})
	}
}

func TestBuildIsDeterministic(t *testing.T) {
	dir := t.TempDir()
	// Several rows fold to the same names: the winner must not depend on map order.
	path := writeFile(t, dir, "dups.json", `{
		"Foo": {"input_cost_per_token": 1e-06},
		"foo": {"input_cost_per_token": 2e-06},
		"zeta/bar": {"input_cost_per_token": 3e-06},
		"alpha/bar": {"input_cost_per_token": 4e-06},
		"mistralai/bar": {"input_cost_per_token": 5e-06}
	}`)
	for range 20 {
		tab, err := Build(Options{Files: []string{path}})
		require.NoError(t, err)
		e, ok := tab.Lookup("foo")
		require.True(t, ok)
		assert.Equal(t, "Foo", e.Key) // "F" < "f"
		e, ok = tab.Lookup("bar")
		require.True(t, ok)
		assert.Equal(t, "mistralai/bar", e.Key) // first-party prefix
		e, ok = tab.Lookup("other/bar")
		require.True(t, ok)
		assert.Equal(t, "mistralai/bar", e.Key)
		e, ok = tab.Lookup("zeta/bar")
		require.True(t, ok)
		assert.Equal(t, "zeta/bar", e.Key)
	}
}

func TestLookupDoesNotAllocate(t *testing.T) {
	tab, err := Build(Options{Builtin: true, Files: []string{samplePath}})
	require.NoError(t, err)
	names := []string{
		"mistral-large-latest", "Mistral-Large-Latest", "mistral/codestral-latest", "MistralAI/Codestral-Latest",
		"azure/gpt-4o", "vertex_ai/gpt-4o", "unknown-model", "Unknown/Model", "",
		strings.Repeat("X", 1000), strings.Repeat("x", 1000) + "/gpt-4o",
	}
	allocs := testing.AllocsPerRun(200, func() {
		for _, n := range names {
			tab.Lookup(n)
		}
	})
	assert.Zero(t, allocs)
}

func TestLookupConcurrent(t *testing.T) {
	tab, err := Build(Options{Builtin: true, Files: []string{samplePath}})
	require.NoError(t, err)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 1000 {
				name := []string{"codestral-latest", "Mistral/Mistral-Large-Latest", "gpt-4o", "nope"}[(g+i)%4]
				e, ok := tab.Lookup(name)
				if name == "nope" {
					assert.False(t, ok)
				} else if assert.True(t, ok) {
					assert.NotEmpty(t, e.Model)
				}
			}
		}()
	}
	wg.Wait()
}

func BenchmarkLookup(b *testing.B) {
	tab, err := Build(Options{Builtin: true, Files: []string{filepath.FromSlash(samplePath)}})
	require.NoError(b, err)
	for _, bc := range []struct{ name, model string }{
		{"exact", "mistral-small-2506"},
		{"alias", "codestral-latest"},
		{"mixed_case_prefixed", "MistralAI/Mistral-Large-Latest"},
		{"unknown_prefix", "vertex_ai/gpt-4o"},
		{"miss", "my-own-model-v3"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				tab.Lookup(bc.model)
			}
		})
	}
}

func BenchmarkBuild(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(Options{Builtin: true, Files: []string{samplePath}}); err != nil {
			b.Fatal(err)
		}
	}
}

// LookupUser sees only the user's prices: inline rows, files and user
// aliases (also one whose target is a built-in row), never a built-in row
// or a built-in alias.
func TestLookupUser(t *testing.T) {
	tab, err := Build(Options{Builtin: true, Files: []string{samplePath},
		Models:  map[string]Price{"mistral-large-latest": {Input: 9, Output: 9}},
		Aliases: map[string]string{"my-large": "mistral-large-2512"}})
	require.NoError(t, err)
	for name, want := range map[string]Source{
		"mistral-large-latest": SourceInline, "Mistral/Mistral-Large-Latest": SourceInline,
		"gpt-4o": SourceFile, "my-large": SourceBuiltin,
	} {
		e, ok := tab.LookupUser(name)
		require.True(t, ok, name)
		assert.Equal(t, want, e.Source, name)
	}
	for _, name := range []string{"mistral-large-2512", "codestral-latest", "mistral-small-2506", ""} {
		_, ok := tab.LookupUser(name)
		assert.False(t, ok, name)
	}
	var nilTable *Table
	_, ok := nilTable.LookupUser("x")
	assert.False(t, ok)
}
