package fakemistral

import (
	"bufio"
	"encoding/json"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
)

func TestAuth(t *testing.T) {
	s := startFake(t, Options{Tier: unlimited, APIKeys: map[string]string{"k1": "ws"}})
	c := newClient(t, s)
	for _, key := range []string{"", "wrong", "test-key"} {
		r := call(t, c, "GET", s.URL()+"/v1/models", key, "")
		assert.Equal(t, http.StatusUnauthorized, r.status, "key %q", key)
		want := BodyInvalidAPIKey
		if key == "" {
			want = BodyUnauthorized
		}
		assert.Equal(t, want, r.body, "key %q", key)
		assert.Empty(t, r.header.Get(mistralapi.HeaderLimitReqMinute), "no rate-limit headers for an unknown key")
	}
	r := call(t, c, "GET", s.URL()+"/v1/models", "k1", "")
	assert.Equal(t, http.StatusOK, r.status)
	// Scheme is case-insensitive; other schemes are refused.
	req, _ := http.NewRequest("GET", s.URL()+"/v1/models", nil)
	req.Header.Set("Authorization", "bearer k1")
	resp, err := c.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	req.Header.Set("Authorization", "Basic k1")
	resp, err = c.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}

func TestModelsList(t *testing.T) {
	clk := newClock()
	s := startFake(t, Options{Now: clk.Now})
	r := call(t, newClient(t, s), "GET", s.URL()+"/v1/models", "test-key", "")
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "application/json", r.header.Get("Content-Type"))

	var raw struct {
		Object string                       `json:"object"`
		Data   []map[string]json.RawMessage `json:"data"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.body), &raw))
	assert.Equal(t, "list", raw.Object)
	require.NotEmpty(t, raw.Data)
	for _, card := range raw.Data {
		for _, k := range []string{"id", "object", "created", "owned_by", "capabilities", "name", "description",
			"max_context_length", "aliases", "deprecation", "deprecation_replacement_model", "default_model_temperature", "type"} {
			assert.Contains(t, card, k)
		}
		assert.NotEqual(t, "null", string(card["aliases"]), "aliases is a list, never null")
	}

	var list modelList
	require.NoError(t, json.Unmarshal([]byte(r.body), &list))
	byID := map[string]ModelCard{}
	for _, c := range list.Data {
		byID[c.ID] = c
	}
	for id, alias := range map[string]string{"mistral-small-2506": "mistral-small-latest", "mistral-large-2512": "mistral-large-latest",
		"ministral-8b-2512": "ministral-8b-latest", "codestral-2508": "codestral-latest"} {
		require.Contains(t, byID, id)
		assert.Contains(t, byID[id].Aliases, alias)
		assert.Nil(t, byID[id].Deprecation)
	}
	assert.Contains(t, byID, "mistral-embed")
	var past, future int
	for _, c := range list.Data {
		if c.Deprecation == nil {
			continue
		}
		require.NotNil(t, c.DeprecationReplacementModel, c.ID)
		assert.Contains(t, byID, *c.DeprecationReplacementModel, "replacement of %s is in the catalogue", c.ID)
		if c.Deprecation.Before(clk.Now()) {
			past++
		} else {
			future++
			days := c.Deprecation.Sub(clk.Now()).Hours() / 24
			assert.InDelta(t, 60, days, 1)
		}
	}
	assert.Equal(t, 1, past)
	assert.Equal(t, 1, future)
	assert.Contains(t, r.body, `"deprecation":"2026-10-15T10:30:15Z"`, "ISO-8601 UTC")
	assert.Contains(t, r.body, `"deprecation":null`)

	// GET /v1/models carries no rate-limit headers (maruel/genai, 8 recordings).
	assert.False(t, mistralapi.ParseRateLimitHTTP(r.header, clk.Now()).Announced(), "%v", r.header)
	assert.NotEmpty(t, r.header.Get("x-kong-request-id"))
}

func TestModelByID(t *testing.T) {
	s := startFake(t, Options{Tier: unlimited})
	c := newClient(t, s)
	r := call(t, c, "GET", s.URL()+"/v1/models/mistral-small-latest", "test-key", "")
	require.Equal(t, http.StatusOK, r.status)
	var card ModelCard
	require.NoError(t, json.Unmarshal([]byte(r.body), &card))
	assert.Equal(t, "mistral-small-2506", card.ID)

	r = call(t, c, "GET", s.URL()+"/v1/models/nope", "test-key", "")
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Equal(t, BodyInvalidModel("nope"), r.body)

	r = call(t, c, "POST", s.URL()+"/v1/models", "test-key", "{}")
	assert.Equal(t, http.StatusMethodNotAllowed, r.status)
	r = call(t, c, "GET", s.URL()+"/v1/nothing", "test-key", "")
	assert.Equal(t, http.StatusNotFound, r.status)
	assert.Equal(t, BodyNoRoute, r.body, "the gateway's 404")
	assert.False(t, mistralapi.ParseRateLimitHTTP(r.header, time.Now()).Announced())
	r = call(t, c, "GET", s.URL()+"/elsewhere", "", "")
	assert.Equal(t, http.StatusNotFound, r.status)
	assert.Equal(t, BodyNoRoute, r.body)
}

func TestChatCompletion(t *testing.T) {
	clk := newClock()
	s := startFake(t, Options{Now: clk.Now, Tier: unlimited})
	c := newClient(t, s)

	r := call(t, c, "POST", s.URL()+"/v1/chat/completions", "test-key", helloChat)
	require.Equal(t, http.StatusOK, r.status, r.body)
	var out chatCompletion
	require.NoError(t, json.Unmarshal([]byte(r.body), &out))
	assert.Equal(t, "chat.completion", out.Object)
	assert.Equal(t, "mistral-small-latest", out.Model, "the requested name is echoed, not the concrete model")
	assert.Len(t, out.ID, 32)
	assert.Equal(t, clk.Now().Unix(), out.Created)
	require.Len(t, out.Choices, 1)
	assert.Equal(t, "assistant", out.Choices[0].Message.Role)
	assert.Equal(t, "stop", out.Choices[0].FinishReason)
	assert.NotEmpty(t, out.Choices[0].Message.Content)
	// "Hello, world" is 12 characters: 3 tokens.
	assert.Equal(t, usage{PromptTokens: 3, CompletionTokens: DefaultCompletionTokens, TotalTokens: 3 + DefaultCompletionTokens}, out.Usage)
	assert.NotContains(t, r.body, "prompt_tokens_details")

	rl := mistralapi.ParseRateLimitHTTP(r.header, clk.Now())
	assert.Equal(t, mistralapi.Value{V: out.Usage.TotalTokens, OK: true}, rl.QueryCost)
	tokMin, _ := rl.Find(mistralapi.UnitTokens, 60)
	tokMon, _ := rl.Find(mistralapi.UnitTokens, 2592000)
	assert.Equal(t, mistralapi.Value{V: 500000 - out.Usage.TotalTokens, OK: true}, tokMin.Remaining)
	assert.Equal(t, mistralapi.Value{V: 1_000_000_000 - out.Usage.TotalTokens, OK: true}, tokMon.Remaining)
	_, hasReq := rl.Find(mistralapi.UnitRequests, 60)
	assert.False(t, hasReq, "unlimited requests send no request headers")

	// max_tokens caps the answer; chunked content counts; test headers steer usage.
	body := `{"model":"mistral-large-2512","max_tokens":5,"random_seed":1,"messages":[{"role":"user","content":[{"type":"text","text":"abcdefgh"}]}]}`
	r = call(t, c, "POST", s.URL()+"/v1/chat/completions", "test-key", body,
		HeaderFakeCachedTokens, "100", HeaderFakePromptTokens, "40")
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.NoError(t, json.Unmarshal([]byte(r.body), &out))
	assert.Equal(t, "length", out.Choices[0].FinishReason)
	assert.Equal(t, "This is a reply from", out.Choices[0].Message.Content)
	assert.Equal(t, usage{PromptTokens: 40, CompletionTokens: 5, TotalTokens: 45,
		PromptTokensDetails: &promptTokensDetails{CachedTokens: 40}}, out.Usage)
	assert.Contains(t, r.body, `"prompt_tokens_details":{"cached_tokens":40}`)
}

func TestChatValidation(t *testing.T) {
	s := startFake(t, Options{Tier: unlimited})
	c := newClient(t, s)
	url := s.URL() + "/v1/chat/completions"
	tests := []struct {
		name, body string
		status     int
		want       string
	}{
		{"openai seed", `{"model":"mistral-small-latest","seed":1,"messages":[{"role":"user","content":"hi"}]}`, 422, BodyExtraSeed},
		{"fields in order", `{"user":"u","model":"mistral-small-latest","logit_bias":{},"messages":[]}`, 422,
			`{"detail":[{"type":"extra_forbidden","loc":["body","user"],"msg":"Extra inputs are not permitted"},` +
				`{"type":"extra_forbidden","loc":["body","logit_bias"],"msg":"Extra inputs are not permitted"}]}`},
		{"missing", `{}`, 422,
			`{"detail":[{"type":"missing","loc":["body","model"],"msg":"Field required"},{"type":"missing","loc":["body","messages"],"msg":"Field required"}]}`},
		{"not json", `{"model":`, 422, ""},
		{"not an object", `[1]`, 422, ""},
		{"bad types", `{"model":1,"messages":"x","stream":"yes","max_tokens":-1}`, 422, ""},
		{"unknown model", `{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}`, 400, BodyInvalidModel("gpt-4o")},
		{"ok", `{"model":"codestral-latest","messages":[{"role":"user","content":"hi"}],"stream":false,"temperature":0.2}`, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, c, "POST", url, "test-key", tt.body)
			assert.Equal(t, tt.status, r.status, r.body)
			if tt.want != "" {
				assert.Equal(t, tt.want, r.body)
			}
			if tt.status == 200 {
				return
			}
			eb, ok := mistralapi.ParseErrorBody([]byte(r.body))
			require.True(t, ok, r.body)
			cl := mistralapi.Classify(mistralapi.Evidence{StatusCode: r.status, Body: eb, HasBody: true})
			want := mistralapi.ClassInvalidRequest
			if tt.name == "unknown model" {
				want = mistralapi.ClassModelNotFound
			}
			assert.Equal(t, want, cl.Class)
			assert.False(t, mistralapi.ParseRateLimitHTTP(r.header, time.Now()).Announced(), "no rate-limit headers on a 400 or 422")
		})
	}
}

func TestChatStream(t *testing.T) {
	s := startFake(t, Options{Tier: unlimited})
	c := newClient(t, s)
	body := `{"model":"mistral-small-latest","stream":true,"messages":[{"role":"user","content":"Hello, world"}]}`
	r := call(t, c, "POST", s.URL()+"/v1/chat/completions", "test-key", body, HeaderFakeChunkDelay, "1ms")
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "text/event-stream; charset=utf-8", r.header.Get("Content-Type"))
	// Streams carry no rate-limit headers (maruel/genai GenStream-Text, 257 recordings).
	assert.False(t, mistralapi.ParseRateLimitHTTP(r.header, time.Now()).Announced(), "%v", r.header)

	require.True(t, strings.HasSuffix(r.body, "data: [DONE]\n\n"), r.body)
	events := strings.Split(strings.TrimSuffix(r.body, "\n\n"), "\n\n")
	require.Len(t, events, 1+DefaultCompletionTokens+1+1)
	var content strings.Builder
	for i, ev := range events[:len(events)-1] {
		require.True(t, strings.HasPrefix(ev, "data: {"), ev)
		var ch chatChunk
		require.NoError(t, json.Unmarshal([]byte(strings.TrimPrefix(ev, "data: ")), &ch))
		assert.Equal(t, "chat.completion.chunk", ch.Object)
		assert.Equal(t, "mistral-small-latest", ch.Model, "the requested name is echoed")
		require.Len(t, ch.Choices, 1)
		content.WriteString(ch.Choices[0].Delta.Content)
		last := i == len(events)-2
		switch {
		case i == 0:
			assert.Equal(t, "assistant", ch.Choices[0].Delta.Role)
			assert.Contains(t, ev, `"delta":{"role":"assistant","content":""}`, "the first chunk has empty content")
			assert.Contains(t, ev, `"finish_reason":null`)
			assert.NotContains(t, ev, `"p":`)
		case !strings.Contains(ev, `"p":"a`):
			t.Errorf("chunk %d has no padding field p: %s", i, ev)
		case last:
			require.NotNil(t, ch.Choices[0].FinishReason)
			assert.Equal(t, "stop", *ch.Choices[0].FinishReason)
			require.NotNil(t, ch.Usage)
			assert.Equal(t, int64(3), ch.Usage.PromptTokens)
			assert.Equal(t, int64(DefaultCompletionTokens), ch.Usage.CompletionTokens)
			assert.Equal(t, int64(3+DefaultCompletionTokens), ch.Usage.TotalTokens)
		default:
			assert.Nil(t, ch.Choices[0].FinishReason)
			assert.Nil(t, ch.Usage)
			assert.NotEmpty(t, ch.Choices[0].Delta.Content)
		}
	}
	assert.Equal(t, strings.Join(answerTokens(DefaultCompletionTokens), ""), content.String())
}

// TestChatStreamFlushes reads the first chunk while the server waits (an
// hour) before the next one: it was flushed.
func TestChatStreamFlushes(t *testing.T) {
	s := startFake(t, Options{Tier: unlimited})
	c := newClient(t, s)
	body := `{"model":"mistral-small-latest","stream":true,"messages":[{"role":"user","content":"hi"}]}`
	req, err := http.NewRequest("POST", s.URL()+"/v1/chat/completions", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer test-key")
	req.Header.Set(HeaderFakeChunkDelay, "1h")
	resp, err := c.Do(req)
	require.NoError(t, err)
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	require.NoError(t, err)
	assert.Contains(t, line, `"role":"assistant"`)
	resp.Body.Close() // the handler notices and returns
}

func TestEmbeddings(t *testing.T) {
	s := startFake(t, Options{Tier: unlimited})
	c := newClient(t, s)
	url := s.URL() + "/v1/embeddings"
	r := call(t, c, "POST", url, "test-key", `{"model":"mistral-embed","input":["hello there","hello there","other"]}`)
	require.Equal(t, http.StatusOK, r.status, r.body)
	var out embeddingList
	require.NoError(t, json.Unmarshal([]byte(r.body), &out))
	assert.Equal(t, "list", out.Object)
	assert.Equal(t, "mistral-embed", out.Model)
	require.Len(t, out.Data, 3)
	for i, e := range out.Data {
		assert.Equal(t, "embedding", e.Object)
		assert.Equal(t, i, e.Index)
		require.Len(t, e.Embedding, EmbeddingDimension)
		var norm float64
		for _, f := range e.Embedding {
			norm += float64(f) * float64(f)
		}
		assert.InDelta(t, 1, math.Sqrt(norm), 1e-3)
	}
	assert.Equal(t, out.Data[0].Embedding, out.Data[1].Embedding, "deterministic")
	assert.NotEqual(t, out.Data[0].Embedding, out.Data[2].Embedding)
	// 11+11+5 = 27 characters: 7 tokens.
	assert.Equal(t, usage{PromptTokens: 7, TotalTokens: 7}, out.Usage)
	assert.Contains(t, r.body, `"usage":{"prompt_tokens":7,"completion_tokens":0,"total_tokens":7}`)

	r = call(t, c, "POST", url, "test-key", `{"model":"mistral-embed-2312","input":"x","output_dimension":8}`)
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.NoError(t, json.Unmarshal([]byte(r.body), &out))
	assert.Len(t, out.Data[0].Embedding, 8)
	assert.Equal(t, "mistral-embed-2312", out.Model, "the requested name is echoed")

	r = call(t, c, "POST", url, "test-key", `{"model":"mistral-embed","input":"x","user":"u"}`)
	assert.Equal(t, 422, r.status)
	r = call(t, c, "POST", url, "test-key", `{"model":"mistral-embed","input":3}`)
	assert.Equal(t, 422, r.status)
	r = call(t, c, "POST", url, "test-key", `{"model":"nope","input":"x"}`)
	assert.Equal(t, 400, r.status)
	assert.Equal(t, BodyInvalidModel("nope"), r.body)
}

func TestLegacyHeaders(t *testing.T) {
	clk := newClock()
	s := startFake(t, Options{Now: clk.Now, LegacyHeaders: true})
	c := newClient(t, s)
	r := call(t, c, "POST", s.URL()+"/v1/chat/completions", "test-key", helloChat)
	require.Equal(t, http.StatusOK, r.status)
	for _, h := range []string{mistralapi.HeaderLimitReqMinute, mistralapi.HeaderRemainingReqMinute, mistralapi.HeaderLimitTokensMinute,
		mistralapi.HeaderRemainingTokensMinute, mistralapi.HeaderLimitTokensMonth, mistralapi.HeaderRemainingTokensMonth, mistralapi.HeaderQueryCost} {
		assert.Empty(t, r.header.Get(h), h)
	}
	for _, h := range []string{mistralapi.LegacyHeaderLimit, mistralapi.LegacyHeaderRemaining, mistralapi.LegacyHeaderReset,
		mistralapi.LegacyHeaderQueryCost, mistralapi.LegacyHeaderLimitTokensMinute, mistralapi.LegacyHeaderRemainingTokensMinute,
		mistralapi.LegacyHeaderLimitTokensMonth, mistralapi.LegacyHeaderRemainingTokensMonth} {
		assert.NotEmpty(t, r.header.Get(h), h)
	}
	rl := mistralapi.ParseRateLimitHTTP(r.header, clk.Now())
	assert.True(t, rl.Legacy)
	assert.Equal(t, mistralapi.Value{V: 19, OK: true}, rl.QueryCost)
	tokMin, _ := rl.Find(mistralapi.UnitTokens, 60)
	tokMon, _ := rl.Find(mistralapi.UnitTokens, 2592000)
	assert.Equal(t, mistralapi.Value{V: 500000, OK: true}, tokMin.Limit)
	assert.Equal(t, mistralapi.Value{V: 500000 - 19, OK: true}, tokMin.Remaining)
	assert.Equal(t, mistralapi.Value{V: 1_000_000_000 - 19, OK: true}, tokMon.Remaining)
	assert.Equal(t, mistralapi.Value{V: 45, OK: true}, rl.Reset, "10:30:15 → 45 s to the minute")

	s.SetLegacyHeaders(false)
	clk.Advance(time.Second)
	r = call(t, c, "POST", s.URL()+"/v1/chat/completions", "test-key", helloChat)
	assert.NotEmpty(t, r.header.Get(mistralapi.HeaderLimitReqMinute))
	assert.Empty(t, r.header.Get(mistralapi.LegacyHeaderLimit))
}
