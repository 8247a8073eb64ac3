package llmenrichprocessor

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// Every key scan reads passes the key filter and changes what scan finds;
// keys of the same lengths and first bytes that it does not read change
// nothing.
func TestReadKeys(t *testing.T) {
	for _, k := range readKeys {
		require.LessOrEqual(t, len(k), maxKeyLen, k)
		assert.True(t, readFilter.mayHold(k), k)
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

// Each attribute that marks an LLM span does so alone; look-alikes do not.
func TestDetectKeys(t *testing.T) {
	span := ptrace.NewSpan()
	for _, k := range detectKeys {
		span.Attributes().Clear()
		span.Attributes().PutStr("http.request.method", "POST")
		span.Attributes().PutStr(k, "x")
		assert.True(t, mayBeLLM(span, false), k)
	}
	for _, k := range []string{keyResponseModel, "gen_ai.prompt.0.role", "llm.input_messages.0.message.role", "gen_ai.usage.input_tokens",
		"llm.token_count.prompt", "ai.operationId", "http.status_code", "server.address"} {
		span.Attributes().Clear()
		span.Attributes().PutStr(k, "x")
		assert.False(t, mayBeLLM(span, false), k)
	}
	span.Attributes().Clear()
	span.SetName("mistralai.chat")
	assert.True(t, mayBeLLM(span, true))
	assert.False(t, mayBeLLM(span, false))
}

// The README lists every attribute the processor reads and writes.
func TestDocumentedAttributes(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	for _, k := range append(readKeys[:], writtenAttributes[:]...) {
		assert.True(t, strings.Contains(string(readme), "`"+k+"`"), "README.md does not list `%s`", k)
	}
}
