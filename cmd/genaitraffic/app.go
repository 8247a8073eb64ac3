package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"
)

// app makes the calls an LLM application makes.
type app struct {
	cfg    config
	client *http.Client
}

// scenario is one kind of call the demo makes, in turn.
type scenario struct {
	model     string
	operation string // chat or embeddings
	dialect   dialect
}

var scenarios = []scenario{
	{"mistral-small-latest", "chat", dialectSemconv},
	{"mistral-large-latest", "chat", dialectOpenLLMetry},
	{"ministral-8b-latest", "chat", dialectSemconv},
	{"mistral-embed", "embeddings", dialectSemconv},
}

// result is what one HTTP call to the API gave.
type result struct {
	start, end    time.Time
	status        int
	body          []byte
	err           error
	responseModel string
	inputTokens   int64
	outputTokens  int64
}

// call makes one call; on a capacity or infrastructure error it records the
// failed call and a fallback call to a second provider. It reports whether
// the call failed over.
func (a *app) call(ctx context.Context, b *batch, n int) bool {
	sc := scenarios[n%len(scenarios)]
	r := a.do(ctx, sc)
	parent := b.addCall(sc, r)
	if r.err == nil && r.status == http.StatusOK {
		return false
	}
	if r.err == nil && r.status != 429 && r.status < 500 {
		return false // a configuration error: falling back would not help
	}
	b.addFallback(parent, r.end)
	return true
}

func (a *app) do(ctx context.Context, sc scenario) result {
	var path string
	var req any
	if sc.operation == "embeddings" {
		path = "/v1/embeddings"
		req = map[string]any{"model": sc.model, "input": []string{"How do I watch my Mistral rate limits?"}}
	} else {
		path = "/v1/chat/completions"
		req = map[string]any{
			"model":      sc.model,
			"max_tokens": 64,
			"messages":   []map[string]string{{"role": "user", "content": "Summarise why a 429 from an LLM provider deserves a fallback."}},
		}
	}
	body, _ := json.Marshal(req)
	r := result{start: time.Now()}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(a.cfg.api, "/")+path, bytes.NewReader(body))
	if err != nil {
		r.err, r.end = err, time.Now()
		return r
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("Authorization", "Bearer "+a.cfg.key)
	resp, err := a.client.Do(hreq)
	if err != nil {
		r.err, r.end = err, time.Now()
		return r
	}
	defer resp.Body.Close()
	r.status = resp.StatusCode
	r.body, r.err = io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	r.end = time.Now()
	if r.status == http.StatusOK {
		var ok struct {
			Model string `json:"model"`
			Usage struct {
				PromptTokens     int64 `json:"prompt_tokens"`
				CompletionTokens int64 `json:"completion_tokens"`
			} `json:"usage"`
		}
		if json.Unmarshal(r.body, &ok) == nil {
			r.responseModel = ok.Model
			r.inputTokens = ok.Usage.PromptTokens
			r.outputTokens = ok.Usage.CompletionTokens
		}
	}
	return r
}
