package llmenrichprocessor

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
)

// Every key scan reads passes the key filter and changes what scan finds;
// keys of the same lengths and first bytes that it does not read change
// nothing.
func TestReadKeys(t *testing.T) {
	for _, k := range readKeys {
		require.LessOrEqual(t, len(k), maxReadKeyLen, k)
		assert.True(t, mayRead(k), k)
		m := pcommon.NewMap()
		m.PutStr(k, "1")
		var f fields
		f.scan(m)
		assert.NotEqual(t, fields{}, f, "scan ignores %s", k)
	}
	for _, k := range []string{"", "http.request.method", "url.full", "db.system.name", "gen_ai.prompt.0.role", "llm.input_messages.0.message.role"} {
		m := pcommon.NewMap()
		m.PutStr(k, "1")
		var f fields
		f.scan(m)
		assert.Equal(t, fields{}, f, k)
	}
}

// The README lists every attribute the processor reads and writes.
func TestDocumentedAttributes(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	for _, k := range append(readKeys[:], writtenAttributes[:]...) {
		assert.True(t, strings.Contains(string(readme), "`"+k+"`"), "README.md does not list `%s`", k)
	}
}
