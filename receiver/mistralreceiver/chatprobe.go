package mistralreceiver // import "github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver"

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
	"github.com/otelcol-mistral/otelcol-mistral/internal/outbound"
	"github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver/internal/metadata"
)

// chatPrompt is the chat probe's message: one token of answer is enough.
const chatPrompt = "Reply with one word: ok"

// chatRequest is the body of the chat probe. Only fields La Plateforme's
// schema knows: it answers 422 to unknown ones.
type chatRequest struct {
	Model     string        `json:"model"`
	Messages  []chatMessage `json:"messages"`
	MaxTokens int           `json:"max_tokens"`
	Stream    bool          `json:"stream"`
}

type chatMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// chatChunk is one streamed chunk (or a whole non-streamed completion).
type chatChunk struct {
	Object  string `json:"object"`
	Choices []struct {
		Delta        *chatContent `json:"delta"`
		Message      *chatContent `json:"message"`
		FinishReason *string      `json:"finish_reason"`
	} `json:"choices"`
	Usage *struct {
		PromptTokens     int64 `json:"prompt_tokens"`
		CompletionTokens int64 `json:"completion_tokens"`
	} `json:"usage"`
}

type chatContent struct {
	// Content is a string, or an array of chunks for reasoning models.
	Content json.RawMessage `json:"content"`
}

// hasText reports whether content carries any text.
func (c *chatContent) hasText() bool {
	if c == nil || len(c.Content) == 0 {
		return false
	}
	switch c.Content[0] {
	case '"':
		var s string
		return json.Unmarshal(c.Content, &s) == nil && s != ""
	case '[':
		var parts []json.RawMessage
		return json.Unmarshal(c.Content, &parts) == nil && len(parts) > 0
	}
	return false
}

// chatResult is the outcome of one chat probe.
type chatResult struct {
	exchange
	Model string
	// TTFT is the time to the first chunk with content; HasTTFT false when
	// no content arrived.
	TTFT    time.Duration
	HasTTFT bool
	// Tokens from the usage of the last chunk.
	InputTokens, OutputTokens int64
	HasUsage                  bool

	// Headroom is the non-streaming call that read the rate-limit
	// headers, nil when it was not made.
	Headroom *exchange

	finishSeen bool
}

// requests is the number of requests the chat probe sent.
func (c *chatResult) requests() int64 {
	n := int64(0)
	if c.Sent {
		n++
	}
	if c.Headroom != nil && c.Headroom.Sent {
		n++
	}
	return n
}

// headroomSource is the response whose rate-limit headers tell the model's
// headroom: the headroom call's, or the stream's own 429 (a request-limit
// 429 carries the request pair). nil when neither answered.
func (c *chatResult) headroomSource() *exchange {
	if c.Headroom != nil && c.Headroom.HasResponse {
		return c.Headroom
	}
	if c.StatusCode == http.StatusTooManyRequests {
		return &c.exchange
	}
	return nil
}

// probeChat runs the chat probe: a streamed one-token completion that
// measures the time to first token, then, chat_probe.delay later, a
// non-streaming one-token completion for the rate-limit headroom. La
// Plateforme sends the rate-limit headers only on non-streaming successes
// and on 429s, never on streams nor on GET /v1/models. The second call is
// skipped when the stream failed (a 429 of the stream tells the headroom
// itself).
func (s *mistralScraper) probeChat(ctx context.Context) chatResult {
	res := s.probeStream(ctx)
	if res.Failure != nil || !s.sleep(ctx, s.cfg.ChatProbe.Delay) {
		return res
	}
	h := s.probeHeadroom(ctx)
	res.Headroom = &h
	return res
}

// probeHeadroom sends a non-streaming one-token completion and keeps only
// its exchange: status, failure and rate-limit headers.
func (s *mistralScraper) probeHeadroom(ctx context.Context) (ex exchange) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.probeTimeout())
	defer cancel()
	payload, err := json.Marshal(chatRequest{
		Model:     s.cfg.ChatProbe.Model,
		Messages:  []chatMessage{{Role: "user", Content: chatPrompt}},
		MaxTokens: 1,
	})
	if err != nil {
		ex.fail(metadata.AttributeErrorTypeOther, err)
		return ex
	}
	req, err := s.newAPIRequest(ctx, http.MethodPost, s.chatURL, bytes.NewReader(payload))
	if err != nil {
		ex.fail(metadata.AttributeErrorTypeOther, err)
		return ex
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	s.fetch(ctx, s.apiClient, req, &ex, "POST /v1/chat/completions", true)
	return ex
}

// probeStream streams a one-token chat completion, bounded by timeout.
func (s *mistralScraper) probeStream(ctx context.Context) (res chatResult) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.probeTimeout())
	defer cancel()
	res.Model = s.cfg.ChatProbe.Model

	payload, err := json.Marshal(chatRequest{
		Model:     res.Model,
		Messages:  []chatMessage{{Role: "user", Content: chatPrompt}},
		MaxTokens: 1,
		Stream:    true,
	})
	if err != nil {
		res.fail(metadata.AttributeErrorTypeOther, err)
		return res
	}
	req, err := s.newAPIRequest(ctx, http.MethodPost, s.chatURL, bytes.NewReader(payload))
	if err != nil {
		res.fail(metadata.AttributeErrorTypeOther, err)
		return res
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	resp, tr, err := s.send(s.apiClient, req, &res.exchange)
	defer func() { res.Duration = tr.total() }()
	if err != nil {
		res.fail(classifyError(ctx, err, tr), err)
		return res
	}
	defer resp.Body.Close()

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		body, rerr := outbound.ReadBody(resp.Body, s.cfg.MaxBodySize)
		tr.finish()
		if rerr != nil {
			res.fail(classifyError(ctx, rerr, tr), rerr)
			return res
		}
		res.fail(classifyStatus(resp.StatusCode, body, res.RateLimit),
			fmt.Errorf("POST /v1/chat/completions: HTTP %d", resp.StatusCode))
		return res
	}

	mediaType, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if mediaType == "application/json" {
		err = s.readCompletion(resp.Body, &res)
	} else {
		err = s.readStream(resp.Body, tr, &res)
	}
	tr.finish()
	if err != nil {
		res.fail(classifyError(ctx, err, tr), fmt.Errorf("POST /v1/chat/completions: %w", err))
	}
	return res
}

// readStream reads the server-sent events of a streamed completion.
func (s *mistralScraper) readStream(body io.Reader, tr *phaseTracker, res *chatResult) error {
	limited := &io.LimitedReader{R: body, N: s.cfg.MaxBodySize + 1}
	r := bufio.NewReader(limited)
	chunks, finished := 0, false
	for {
		line, err := r.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			// An event line longer than the buffer: gather it whole.
			rest, rerr := r.ReadBytes('\n')
			line, err = append(bytes.Clone(line), rest...), rerr
		}
		if limited.N <= 0 {
			return fmt.Errorf("%w (%d bytes)", outbound.ErrBodyTooLarge, s.cfg.MaxBodySize)
		}
		if data, ok := bytes.CutPrefix(bytes.TrimSpace(line), []byte("data:")); ok {
			data = bytes.TrimSpace(data)
			if bytes.Equal(data, []byte("[DONE]")) {
				finished = true
				break
			}
			if len(data) > 0 {
				if perr := s.readChunk(data, tr, res); perr != nil {
					return perr
				}
				chunks++
				if res.finishSeen {
					finished = true
				}
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	switch {
	case chunks == 0:
		return fmt.Errorf("%w: the stream carried no chunk", errInvalidBody)
	case !finished:
		return fmt.Errorf("%w: the stream ended without [DONE] or a finish_reason", io.ErrUnexpectedEOF)
	}
	return nil
}

// readChunk reads one event's JSON.
func (s *mistralScraper) readChunk(data []byte, tr *phaseTracker, res *chatResult) error {
	var c chatChunk
	if err := json.Unmarshal(data, &c); err != nil {
		return fmt.Errorf("%w: chunk: %s", errInvalidBody, bodyError(err))
	}
	if c.Object == "error" || (len(c.Choices) == 0 && c.Usage == nil) {
		// An error in the middle of the stream.
		eb, ok := mistralapi.ParseErrorBody(data)
		cl := mistralapi.Classify(mistralapi.Evidence{Body: eb, HasBody: ok})
		return &streamError{class: classOf(cl.Class)}
	}
	for _, ch := range c.Choices {
		// The first chunk is {"role":"assistant","content":""}: no token yet.
		if !res.HasTTFT && ch.Delta.hasText() {
			res.TTFT = time.Since(tr.startTime())
			res.HasTTFT = true
		}
		if ch.FinishReason != nil && *ch.FinishReason != "" {
			res.finishSeen = true
		}
	}
	if c.Usage != nil {
		res.InputTokens, res.OutputTokens, res.HasUsage = c.Usage.PromptTokens, c.Usage.CompletionTokens, true
	}
	return nil
}

// readCompletion reads a non-streamed completion, for servers that ignore
// "stream": tokens but no time to first token.
func (s *mistralScraper) readCompletion(body io.Reader, res *chatResult) error {
	b, err := outbound.ReadBody(body, s.cfg.MaxBodySize)
	if err != nil {
		return err
	}
	var c chatChunk
	if err := json.Unmarshal(b, &c); err != nil {
		return fmt.Errorf("%w: %s", errInvalidBody, bodyError(err))
	}
	if len(c.Choices) == 0 {
		return fmt.Errorf("%w: no choices", errInvalidBody)
	}
	if c.Usage != nil {
		res.InputTokens, res.OutputTokens, res.HasUsage = c.Usage.PromptTokens, c.Usage.CompletionTokens, true
	}
	return nil
}

// streamError is an error event inside a stream, already classified.
type streamError struct {
	class metadata.AttributeErrorType
}

func (e *streamError) Error() string {
	return "error event in the stream: " + e.class.String()
}
