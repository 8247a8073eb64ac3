package fakemistral

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzRequestBodies sends arbitrary bodies to the chat and embeddings
// endpoints: the fake must answer 200, 400 (invalid_model) or 422 with JSON,
// never panic.
func FuzzRequestBodies(f *testing.F) {
	for _, seed := range []string{
		helloChat,
		`{"model":"mistral-small-latest","stream":true,"messages":[{"role":"user","content":[{"type":"text","text":"x"}]}]}`,
		`{"model":"mistral-small-latest","seed":1,"messages":[]}`,
		`{"model":"mistral-embed","input":["a","b"],"output_dimension":4}`,
		`{"model":null,"messages":null}`,
		`{"model":"x","messages":[1,"a",{"content":{}}]}`,
		`{"max_tokens":1e400}`,
		`{}{}`, `[`, ``, `"str"`, `{"a":}`,
	} {
		f.Add(seed)
	}
	s := New(Options{Tier: Tier{RequestsPerSecond: -1, TokensPerMinute: -1, TokensPerMonth: -1}})
	defer s.Close()
	h := s.APIHandler()
	f.Fuzz(func(t *testing.T, body string) {
		for _, path := range []string{"/v1/chat/completions", "/v1/embeddings"} {
			req := httptest.NewRequest("POST", path, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer test-key")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			switch rec.Code {
			case http.StatusOK:
				if strings.HasPrefix(rec.Header().Get("Content-Type"), "text/event-stream") {
					if !strings.HasSuffix(rec.Body.String(), "data: [DONE]\n\n") {
						t.Fatalf("%s: stream without [DONE]: %q", path, rec.Body.String())
					}
					continue
				}
			case http.StatusBadRequest, http.StatusUnprocessableEntity:
			default:
				t.Fatalf("%s: status %d for %q", path, rec.Code, body)
			}
			if !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("%s: invalid JSON answer %q for %q", path, rec.Body.String(), body)
			}
		}
	})
}
