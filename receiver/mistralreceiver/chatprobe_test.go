package mistralreceiver

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver/internal/metadata"
)

func streamScraper(maxBody int64) *mistralScraper {
	cfg := NewFactory().CreateDefaultConfig().(*Config)
	cfg.MaxBodySize = maxBody
	return newScraper(cfg, receivertest.NewNopSettings(metadata.Type))
}

func readTestStream(t *testing.T, s *mistralScraper, body string) (chatResult, error) {
	t.Helper()
	tr := newPhaseTracker()
	tr.begin()
	var res chatResult
	err := s.readStream(strings.NewReader(body), tr, &res)
	return res, err
}

func TestReadStream(t *testing.T) {
	s := streamScraper(1 << 20)
	res, err := readTestStream(t, s, ""+
		"data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n"+
		"data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":null}]}\n\n"+
		"data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":1,\"total_tokens\":10}}\n\n"+
		"data: [DONE]\n\n")
	require.NoError(t, err)
	assert.True(t, res.HasTTFT)
	assert.True(t, res.HasUsage)
	assert.Equal(t, int64(9), res.InputTokens)
	assert.Equal(t, int64(1), res.OutputTokens)
}

// recordedStream is the body of maruel/genai's GenStream-Text cassette
// (ministral-14b-2512, 2025-12): a first chunk with empty content, the
// padding field "p", usage in the last chunk.
const recordedStream = `data: {"id":"8f9b22bc53274c3cad5656f80ac0cce6","object":"chat.completion.chunk","created":1765716932,"model":"ministral-14b-2512","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

data: {"id":"8f9b22bc53274c3cad5656f80ac0cce6","object":"chat.completion.chunk","created":1765716932,"model":"ministral-14b-2512","choices":[{"index":0,"delta":{"content":"Hello"},"finish_reason":null}],"p":"abcdefghijklmno"}

data: {"id":"8f9b22bc53274c3cad5656f80ac0cce6","object":"chat.completion.chunk","created":1765716932,"model":"ministral-14b-2512","choices":[{"index":0,"delta":{"content":"."},"finish_reason":null}],"p":"abcdefghijklmnopqrs"}

data: {"id":"8f9b22bc53274c3cad5656f80ac0cce6","object":"chat.completion.chunk","created":1765716932,"model":"ministral-14b-2512","choices":[{"index":0,"delta":{"content":""},"finish_reason":"stop"}],"usage":{"prompt_tokens":11,"total_tokens":14,"completion_tokens":3},"p":"ab"}

data: [DONE]

`

func TestReadStreamRecorded(t *testing.T) {
	s := streamScraper(1 << 20)
	res, err := readTestStream(t, s, recordedStream)
	require.NoError(t, err)
	assert.True(t, res.HasTTFT)
	assert.Equal(t, int64(11), res.InputTokens)
	assert.Equal(t, int64(3), res.OutputTokens)

	// The first chunk's empty content is not a token: a stream with no
	// other content has no time to first token.
	first, _, _ := strings.Cut(recordedStream, "\n\n")
	last := recordedStream[strings.LastIndex(recordedStream, "data: {"):]
	res, err = readTestStream(t, s, first+"\n\n"+last)
	require.NoError(t, err)
	assert.False(t, res.HasTTFT, "the empty first chunk does not count")
}

func TestReadStreamReasoningContent(t *testing.T) {
	s := streamScraper(1 << 20)
	res, err := readTestStream(t, s,
		"data: {\"choices\":[{\"delta\":{\"content\":[{\"type\":\"thinking\",\"thinking\":[]}]},\"finish_reason\":\"length\"}]}\r\n\r\n")
	require.NoError(t, err, "a finish_reason ends the stream even without [DONE]")
	assert.True(t, res.HasTTFT)
	assert.False(t, res.HasUsage)
}

func TestReadStreamFailures(t *testing.T) {
	s := streamScraper(256)
	tests := []struct {
		name, body string
		want       metadata.AttributeErrorType
	}{
		{"empty", "", metadata.AttributeErrorTypeInvalidBody},
		{"html", "<html><body>maintenance</body></html>", metadata.AttributeErrorTypeInvalidBody},
		{"bad chunk", "data: {\"choices\":[\n\n", metadata.AttributeErrorTypeInvalidBody},
		{"cut short", "data: {\"choices\":[{\"delta\":{\"content\":\"ok\"},\"finish_reason\":null}]}\n\n", metadata.AttributeErrorTypeTransport},
		{"error event", "data: {\"object\":\"error\",\"message\":\"Internal server error\",\"type\":\"server_error\"}\n\n", metadata.AttributeErrorTypeServerError},
		{"too large", "data: " + strings.Repeat("x", 300) + "\n\n", metadata.AttributeErrorTypeBodyTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readTestStream(t, s, tt.body)
			require.Error(t, err)
			assert.Equal(t, tt.want.String(), classifyError(t.Context(), err, nil).String(), err.Error())
		})
	}
}

func FuzzReadStream(f *testing.F) {
	for _, seed := range []string{
		"data: {\"choices\":[{\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}\n\ndata: [DONE]\n\n",
		"data: [DONE]\n",
		"event: ping\ndata: {}\n\n",
		"data: {\"object\":\"error\",\"message\":\"x\"}\n\n",
		"data: {\"choices\":[{\"delta\":{\"content\":[1]}}]}\n",
		recordedStream,
	} {
		f.Add(seed)
	}
	s := streamScraper(4096)
	f.Fuzz(func(t *testing.T, body string) {
		tr := newPhaseTracker()
		tr.begin()
		var res chatResult
		err := s.readStream(strings.NewReader(body), tr, &res)
		if err == nil && !res.finishSeen && !strings.Contains(body, "[DONE]") {
			t.Fatalf("a stream without an end was accepted: %q", body)
		}
	})
}
