package mistralapi

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// vocabulary is the repository's top-level metadata.yaml.
type vocabulary struct {
	ErrorClasses map[string]struct {
		Retryable bool `yaml:"retryable"`
		Fallback  bool `yaml:"fallback"`
	} `yaml:"error_classes"`
	Limits []string `yaml:"limits"`
}

func loadVocabulary(t *testing.T) vocabulary {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "metadata.yaml"))
	require.NoError(t, err)
	var v vocabulary
	require.NoError(t, yaml.Unmarshal(b, &v))
	return v
}

// TestVocabularyMatchesMetadata keeps the Go constants equal to the
// repository's top-level metadata.yaml, the contract alerts rely on.
func TestVocabularyMatchesMetadata(t *testing.T) {
	v := loadVocabulary(t)
	require.Len(t, v.ErrorClasses, len(Classes), "classes in metadata.yaml vs mistralapi.Classes")
	for _, c := range Classes {
		e, ok := v.ErrorClasses[string(c)]
		require.True(t, ok, "class %q is not in metadata.yaml", c)
		require.Equal(t, e.Retryable, c.Retryable(), "retryable of %q", c)
		require.Equal(t, e.Fallback, c.Fallback(), "fallback of %q", c)
	}
	var limits []string
	for _, l := range Limits {
		limits = append(limits, string(l))
	}
	require.Equal(t, v.Limits, limits)
}
