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

// componentEnum returns the enum of an attribute in a component's metadata.yaml.
func componentEnum(t *testing.T, path, attr string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(path)))
	require.NoError(t, err)
	var md struct {
		Attributes map[string]struct {
			Enum []string `yaml:"enum"`
		} `yaml:"attributes"`
	}
	require.NoError(t, yaml.Unmarshal(b, &md))
	a, ok := md.Attributes[attr]
	require.True(t, ok, "%s has no attribute %q", path, attr)
	return a.Enum
}

// TestComponentsUseVocabulary checks that both components declare every
// shared error class, so a class the processor writes on a span is a value
// the receiver's error.type can take too, and alerts can use one list.
func TestComponentsUseVocabulary(t *testing.T) {
	v := loadVocabulary(t)
	for _, c := range []struct{ path, attr string }{
		{"receiver/mistralreceiver/metadata.yaml", "error.type"},
		{"processor/llmenrichprocessor/metadata.yaml", "error_class"},
	} {
		enum := componentEnum(t, c.path, c.attr)
		for class := range v.ErrorClasses {
			require.Contains(t, enum, class, "%s attribute %s", c.path, c.attr)
		}
	}
}
