package fakemistral

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
)

// Request headers that steer the fake's answers (the real API ignores them).
const (
	// HeaderFakePromptTokens overrides the estimated prompt tokens.
	HeaderFakePromptTokens = "x-fake-prompt-tokens"
	// HeaderFakeCompletionTokens sets the completion tokens (still capped by max_tokens).
	HeaderFakeCompletionTokens = "x-fake-completion-tokens"
	// HeaderFakeCachedTokens adds usage.prompt_tokens_details.cached_tokens
	// (at most the prompt tokens).
	HeaderFakeCachedTokens = "x-fake-cached-tokens"
	// HeaderFakeChunkDelay is a Go duration slept before each streamed chunk
	// after the first (role-only) one: the time to first token is one delay.
	HeaderFakeChunkDelay = "x-fake-chunk-delay"
)

// DefaultCompletionTokens is the length of an answer when max_tokens allows it.
const DefaultCompletionTokens = 16

// chatFields are the members a chat completion request may have.
var chatFields = setOf("model", "messages", "temperature", "top_p", "max_tokens", "stream", "stop",
	"random_seed", "response_format", "tools", "tool_choice", "presence_penalty", "frequency_penalty",
	"n", "prediction", "parallel_tool_calls", "prompt_mode", "safe_prompt", "metadata")

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

type usage struct {
	PromptTokens        int64                `json:"prompt_tokens"`
	CompletionTokens    int64                `json:"completion_tokens"`
	TotalTokens         int64                `json:"total_tokens"`
	PromptTokensDetails *promptTokensDetails `json:"prompt_tokens_details,omitempty"`
}

type promptTokensDetails struct {
	CachedTokens int64 `json:"cached_tokens"`
}

type chatMessage struct {
	Role      string `json:"role"`
	Content   string `json:"content"`
	ToolCalls *[]any `json:"tool_calls"`
	Prefix    bool   `json:"prefix"`
}

type chatChoice struct {
	Index        int         `json:"index"`
	Message      chatMessage `json:"message"`
	FinishReason string      `json:"finish_reason"`
}

type chatCompletion struct {
	ID      string       `json:"id"`
	Object  string       `json:"object"`
	Created int64        `json:"created"`
	Model   string       `json:"model"`
	Choices []chatChoice `json:"choices"`
	Usage   usage        `json:"usage"`
}

type chunkDelta struct {
	Role    string `json:"role,omitempty"`
	Content string `json:"content"`
}

type chunkChoice struct {
	Index        int        `json:"index"`
	Delta        chunkDelta `json:"delta"`
	FinishReason *string    `json:"finish_reason"`
}

type chatChunk struct {
	ID      string        `json:"id"`
	Object  string        `json:"object"`
	Created int64         `json:"created"`
	Model   string        `json:"model"`
	Choices []chunkChoice `json:"choices"`
	Usage   *usage        `json:"usage,omitempty"`
	// P is the padding La Plateforme adds to every chunk after the first
	// (a run of letters of varying length).
	P string `json:"p,omitempty"`
}

// padding is the "p" of the i-th chunk: "abcdefghijklmnopqrstuvwxyz" cut
// to a length that varies from chunk to chunk, as recorded.
func padding(i int) string {
	const letters = "abcdefghijklmnopqrstuvwxyz"
	return letters[:1+(i*7)%len(letters)]
}

// answerWords are the tokens of every answer, one token each.
var answerWords = []string{"This", " is", " a", " reply", " from", " the", " fake", " La", " Plateforme", ",",
	" which", " answers", " every", " question", " alike", "."}

func answerTokens(n int64) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = answerWords[i%len(answerWords)]
	}
	return out
}

func estimateTokens(chars int) int64 { return max(1, int64((chars+3)/4)) }

// headerInt reads a non-negative integer request header; -1 when absent or bad.
func headerInt(r *http.Request, name string) int64 {
	v := r.Header.Get(name)
	if v == "" {
		return -1
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// serveChat answers a chat completion. Order as on the wire: the body's
// schema (422), the model (400 invalid_model), the model's request limit
// (429 with the request pair), its token limits (429 with every window),
// then the answer: JSON with the rate-limit headers, or a stream without
// them. The answer's "model" echoes the name the caller sent.
func (s *Server) serveChat(w http.ResponseWriter, r *http.Request, ws string, legacy bool) {
	fs, verr := readObject(r.Body)
	c := &checker{}
	if verr != nil {
		c.errs = append(c.errs, *verr)
		writeBody(w, http.StatusUnprocessableEntity, string(c.body()))
		return
	}
	m := c.fields(fs, chatFields)
	model := c.str(m, "model", true)
	maxTokens := c.integer(m, "max_tokens")
	stream := c.boolean(m, "stream")
	chars := 0
	if v, ok := m["messages"]; !ok || isNull(v) {
		c.add("missing", "Field required", "messages")
	} else {
		var msgs []json.RawMessage
		if json.Unmarshal(v, &msgs) != nil {
			c.add("list_type", "Input should be a valid list", "messages")
		}
		for i, raw := range msgs {
			var msg struct {
				Role    *string         `json:"role"`
				Content json.RawMessage `json:"content"`
			}
			if json.Unmarshal(raw, &msg) != nil {
				c.add("model_type", "Input should be a valid dictionary or instance of Message", "messages", i)
				continue
			}
			if msg.Role == nil {
				c.add("missing", "Field required", "messages", i, "role")
			}
			n, err := textLen(msg.Content)
			if err != nil {
				c.add("string_type", "Input should be a valid string", "messages", i, "content")
			}
			chars += n
		}
	}
	if len(c.errs) > 0 {
		writeBody(w, http.StatusUnprocessableEntity, string(c.body()))
		return
	}
	card, ok := s.resolveModel(model)
	if !ok {
		writeBody(w, http.StatusBadRequest, BodyInvalidModel(model))
		return
	}
	if !s.admit(w, ws, card.ID, legacy) {
		return
	}

	u := usage{PromptTokens: estimateTokens(chars), CompletionTokens: DefaultCompletionTokens}
	if n := headerInt(r, HeaderFakePromptTokens); n >= 0 {
		u.PromptTokens = n
	}
	if n := headerInt(r, HeaderFakeCompletionTokens); n >= 0 {
		u.CompletionTokens = n
	}
	finish := "stop"
	if maxTokens >= 0 && maxTokens < u.CompletionTokens {
		u.CompletionTokens, finish = maxTokens, "length"
	}
	u.TotalTokens = u.PromptTokens + u.CompletionTokens
	if n := headerInt(r, HeaderFakeCachedTokens); n >= 0 {
		u.PromptTokensDetails = &promptTokensDetails{CachedTokens: min(n, u.PromptTokens)}
	}

	now := s.now()
	tsnap, lim := s.lim.admitTokens(ws, card.ID, now, u.TotalTokens)
	if lim != mistralapi.LimitNone {
		setRateLimitHeaders(w.Header(), tsnap, legacy, headersAll)
		writeBody(w, http.StatusTooManyRequests, BodyRateLimit)
		return
	}
	id := newID()
	tokens := answerTokens(u.CompletionTokens)
	if !stream {
		setRateLimitHeaders(w.Header(), tsnap, legacy, headersAll)
		writeJSON(w, http.StatusOK, chatCompletion{
			ID: id, Object: "chat.completion", Created: now.Unix(), Model: model,
			Choices: []chatChoice{{Message: chatMessage{Role: "assistant", Content: strings.Join(tokens, "")}, FinishReason: finish}},
			Usage:   u,
		})
		return
	}
	var delay time.Duration
	if d, err := time.ParseDuration(r.Header.Get(HeaderFakeChunkDelay)); err == nil && d > 0 {
		delay = d
	}
	s.streamChat(w, r, chatChunk{ID: id, Object: "chat.completion.chunk", Created: now.Unix(), Model: model}, tokens, finish, u, delay)
}

// streamChat writes the SSE stream: a role chunk with empty content (no
// token yet: time to first token skips it), one chunk per token, a last
// chunk with empty content, finish_reason and usage, then [DONE], flushing
// each. Chunks after the first carry the padding field "p". No rate-limit
// headers: La Plateforme never sends them on a stream.
func (s *Server) streamChat(w http.ResponseWriter, r *http.Request, base chatChunk, tokens []string, finish string, u usage, delay time.Duration) {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	_ = rc.Flush()
	send := func(payload string, d time.Duration) bool {
		if !s.wait(r.Context(), d) {
			return false
		}
		if _, err := fmt.Fprintf(w, "data: %s\n\n", payload); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	n := 0
	chunk := func(d chunkDelta, fin *string, u *usage) string {
		c := base
		c.Choices = []chunkChoice{{Delta: d, FinishReason: fin}}
		c.Usage = u
		if n > 0 {
			c.P = padding(n)
		}
		n++
		b, _ := json.Marshal(c)
		return string(b)
	}
	if !send(chunk(chunkDelta{Role: "assistant"}, nil, nil), 0) {
		return
	}
	for _, t := range tokens {
		if !send(chunk(chunkDelta{Content: t}, nil, nil), delay) {
			return
		}
	}
	if !send(chunk(chunkDelta{}, &finish, &u), delay) {
		return
	}
	send("[DONE]", 0)
}
