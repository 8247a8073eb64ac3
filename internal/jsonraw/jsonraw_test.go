package jsonraw

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTrimBOM(t *testing.T) {
	assert.Equal(t, `{"a":1}`, string(TrimBOM([]byte("\xef\xbb\xbf{\"a\":1}"))))
	assert.Equal(t, `{}`, string(TrimBOM([]byte(`{}`))))
}

func TestIsObject(t *testing.T) {
	for raw, want := range map[string]bool{` {"a":1}`: true, `[]`: false, `null`: false, ``: false, "\n{": true} {
		assert.Equal(t, want, IsObject([]byte(raw)), raw)
	}
}

func TestIsNullAbsent(t *testing.T) {
	assert.True(t, IsNull([]byte(" null ")))
	assert.False(t, IsNull([]byte(`[]`)))
	assert.True(t, IsAbsent(nil))
	assert.True(t, IsAbsent([]byte("null")))
	assert.False(t, IsAbsent([]byte(`[]`)))
}
