package fakemistral

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
)

// classify runs the shared classifier on a response.
func classify(r response, now time.Time) mistralapi.Classification {
	eb, ok := mistralapi.ParseErrorBody([]byte(r.body))
	return mistralapi.Classify(mistralapi.Evidence{StatusCode: r.status, Body: eb, HasBody: ok,
		RateLimit: mistralapi.ParseRateLimit(mistralapi.HTTPHeader(r.header), now)})
}

func TestLimiterOneRequestPerSecond(t *testing.T) {
	clk := newClock()
	s := startFake(t, Options{Now: clk.Now})
	c := newClient(t, s)
	url := s.URL() + "/v1/chat/completions"

	r := call(t, c, "POST", url, "test-key", helloChat)
	require.Equal(t, http.StatusOK, r.status)
	r = call(t, c, "POST", url, "test-key", helloChat)
	require.Equal(t, http.StatusTooManyRequests, r.status)
	assert.Equal(t, BodyRateLimit, r.body)
	assert.Equal(t, "0", r.header.Get(mistralapi.HeaderRemainingReqMinute))
	assert.Equal(t, "60", r.header.Get(mistralapi.HeaderLimitReqMinute))
	assert.Empty(t, r.header.Get("Retry-After"), "real 429s carry no Retry-After")
	cl := classify(r, clk.Now())
	assert.Equal(t, mistralapi.ClassRateLimit, cl.Class)
	assert.Equal(t, mistralapi.LimitRequestsPerMinute, cl.Limit)
	assert.Equal(t, "1300", cl.Code)

	clk.Advance(500 * time.Millisecond)
	r = call(t, c, "POST", url, "test-key", helloChat)
	assert.Equal(t, http.StatusTooManyRequests, r.status, "half a token is not a request")
	clk.Advance(500 * time.Millisecond)
	r = call(t, c, "POST", url, "test-key", helloChat)
	assert.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "58", r.header.Get(mistralapi.HeaderRemainingReqMinute), "rejected requests are not counted")
}

func TestLimiterPerWorkspace(t *testing.T) {
	clk := newClock()
	s := startFake(t, Options{Now: clk.Now, APIKeys: map[string]string{"a1": "alpha", "a2": "alpha", "b1": "beta"}})
	c := newClient(t, s)
	url := s.URL() + "/v1/models"
	assert.Equal(t, http.StatusOK, call(t, c, "GET", url, "a1", "").status)
	assert.Equal(t, http.StatusTooManyRequests, call(t, c, "GET", url, "a2", "").status, "keys of a workspace share its limits")
	assert.Equal(t, http.StatusOK, call(t, c, "GET", url, "b1", "").status, "workspaces are independent")
}

func TestLimiterRequestsPerMinute(t *testing.T) {
	clk := newClock()
	// 0.05 req/s: 3 per minute, bucket of 1.
	s := startFake(t, Options{Now: clk.Now, Tier: Tier{RequestsPerSecond: 0.05}})
	c := newClient(t, s)
	url := s.URL() + "/v1/chat/completions"
	r := call(t, c, "POST", url, "test-key", helloChat)
	assert.Equal(t, "3", r.header.Get(mistralapi.HeaderLimitReqMinute))
	assert.Equal(t, "2", r.header.Get(mistralapi.HeaderRemainingReqMinute))
	clk.Advance(10 * time.Second)
	assert.Equal(t, http.StatusTooManyRequests, call(t, c, "POST", url, "test-key", helloChat).status)
	clk.Advance(10 * time.Second)
	assert.Equal(t, http.StatusOK, call(t, c, "POST", url, "test-key", helloChat).status)
}

func TestLimiterTokensPerMinute(t *testing.T) {
	clk := newClock()
	s := startFake(t, Options{Now: clk.Now, Tier: Tier{RequestsPerSecond: 100, TokensPerMinute: 1000}})
	c := newClient(t, s)
	url := s.URL() + "/v1/chat/completions"
	r := call(t, c, "POST", url, "test-key", helloChat, HeaderFakePromptTokens, "900")
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "916", r.header.Get(mistralapi.HeaderQueryCost))
	assert.Equal(t, "84", r.header.Get(mistralapi.HeaderRemainingTokensMinute))

	r = call(t, c, "POST", url, "test-key", helloChat, HeaderFakePromptTokens, "100")
	require.Equal(t, http.StatusTooManyRequests, r.status)
	assert.Equal(t, BodyRateLimit, r.body)
	assert.Equal(t, "0", r.header.Get(mistralapi.HeaderRemainingTokensMinute))
	cl := classify(r, clk.Now())
	assert.Equal(t, mistralapi.ClassRateLimit, cl.Class)
	assert.Equal(t, mistralapi.LimitTokensPerMinute, cl.Limit)

	// Another model has a row of its own; models costs no tokens.
	assert.Equal(t, http.StatusOK, call(t, c, "POST", url, "test-key", `{"model":"codestral-latest","messages":[{"role":"user","content":"hi"}]}`,
		HeaderFakePromptTokens, "100").status, "limits are per model")
	assert.Equal(t, http.StatusOK, call(t, c, "GET", s.URL()+"/v1/models", "test-key", "").status)

	clk.Advance(time.Minute)
	r = call(t, c, "POST", url, "test-key", helloChat, HeaderFakePromptTokens, "100")
	assert.Equal(t, http.StatusOK, r.status, "a new minute")
}

func TestLimiterTokensPerMonth(t *testing.T) {
	clk := newClock()
	s := startFake(t, Options{Now: clk.Now, Tier: Tier{RequestsPerSecond: 100, TokensPerMonth: 2000}})
	c := newClient(t, s)
	url := s.URL() + "/v1/embeddings"
	r := call(t, c, "POST", url, "test-key", `{"model":"mistral-embed","input":"x"}`, HeaderFakePromptTokens, "1500")
	require.Equal(t, http.StatusOK, r.status)
	assert.Empty(t, r.header.Get(mistralapi.HeaderRemainingTokensMonth), "embeddings send only the request pair")
	clk.Advance(time.Hour)
	r = call(t, c, "POST", url, "test-key", `{"model":"mistral-embed","input":"x"}`, HeaderFakePromptTokens, "600")
	require.Equal(t, http.StatusTooManyRequests, r.status)
	assert.Equal(t, "0", r.header.Get(mistralapi.HeaderRemainingTokensMonth))
	cl := classify(r, clk.Now())
	assert.Equal(t, mistralapi.ClassQuotaExhausted, cl.Class)
	assert.Equal(t, mistralapi.LimitTokensPerMonth, cl.Limit)

	clk.Advance(20 * 24 * time.Hour) // into December
	r = call(t, c, "POST", url, "test-key", `{"model":"mistral-embed","input":"x"}`, HeaderFakePromptTokens, "600")
	assert.Equal(t, http.StatusOK, r.status, "a new month")
}

func TestSetTier(t *testing.T) {
	clk := newClock()
	s := startFake(t, Options{Now: clk.Now})
	c := newClient(t, s)
	s.SetTier(Tier{RequestsPerSecond: 5})
	assert.Equal(t, Tier{RequestsPerSecond: 5, TokensPerMinute: 500000, TokensPerMonth: 1_000_000_000, RequestWindow: "minute", TokenWindow: "minute"}, s.CurrentTier())
	for i := range 5 {
		assert.Equal(t, http.StatusOK, call(t, c, "GET", s.URL()+"/v1/models", "test-key", "").status, "request %d", i)
	}
	assert.Equal(t, http.StatusTooManyRequests, call(t, c, "GET", s.URL()+"/v1/models", "test-key", "").status)

	b, err := json.Marshal(DefaultTier)
	require.NoError(t, err)
	assert.JSONEq(t, `{"requests_per_second":1,"tokens_per_minute":500000,"tokens_per_month":1000000000,"request_window":"minute","token_window":"minute"}`, string(b))
}

// TestLimiterPerModel: limits are per model with their own windows, aliases
// share their model's row (maruel/genai GenSync recordings, 2025-12: 360
// req/60 s for one model, 1200 for another).
func TestLimiterPerModel(t *testing.T) {
	clk := newClock()
	s := startFake(t, Options{Now: clk.Now, Tier: Tier{RequestsPerSecond: 6, RequestWindow: "60-second",
		Models: map[string]Tier{"mistral-large-2512": {RequestsPerSecond: 20, RequestWindow: "60-second", TokenWindow: "5-minute"}}}})
	c := newClient(t, s)
	url := s.URL() + "/v1/chat/completions"
	chat := func(model string) response {
		return call(t, c, "POST", url, "test-key", `{"model":"`+model+`","messages":[{"role":"user","content":"hi"}]}`)
	}
	r := chat("mistral-small-latest")
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "360", r.header.Get("x-ratelimit-limit-req-60-second"))
	assert.Equal(t, "359", r.header.Get("x-ratelimit-remaining-req-60-second"))
	assert.NotEmpty(t, r.header.Get(mistralapi.HeaderLimitTokensMinute))
	r = chat("mistral-small-2506")
	assert.Equal(t, "358", r.header.Get("x-ratelimit-remaining-req-60-second"), "the alias shares its model's row")
	r = chat("mistral-large-latest")
	assert.Equal(t, "1200", r.header.Get("x-ratelimit-limit-req-60-second"))
	assert.Equal(t, "1199", r.header.Get("x-ratelimit-remaining-req-60-second"))
	assert.NotEmpty(t, r.header.Get("x-ratelimit-limit-tokens-5-minute"))
	assert.Empty(t, r.header.Get(mistralapi.HeaderLimitTokensMinute))
	rl := mistralapi.ParseRateLimitHTTP(r.header, clk.Now())
	_, ok := rl.Find(mistralapi.UnitTokens, 300)
	assert.True(t, ok, "the five-minute window parses as 300 s")

	// GET /v1/models has no rate-limit headers; embeddings only the request pair.
	r = call(t, c, "GET", s.URL()+"/v1/models", "test-key", "")
	require.Equal(t, http.StatusOK, r.status)
	assert.False(t, mistralapi.ParseRateLimitHTTP(r.header, clk.Now()).Announced())
	r = call(t, c, "POST", s.URL()+"/v1/embeddings", "test-key", `{"model":"mistral-embed","input":"x"}`)
	require.Equal(t, http.StatusOK, r.status)
	rl = mistralapi.ParseRateLimitHTTP(r.header, clk.Now())
	require.Len(t, rl.Windows, 1, "%v", r.header)
	assert.Equal(t, mistralapi.UnitRequests, rl.Windows[0].Unit)
	assert.False(t, rl.QueryCost.OK)
}

func TestTierValidate(t *testing.T) {
	for _, w := range []string{"minute", "second", "60-second", "10-second", "5-minute"} {
		assert.NoError(t, Tier{RequestWindow: w, TokenWindow: w}.Validate(), w)
	}
	for _, w := range []string{"hour", "0-second", "-second", "+5-minute", "5-", "month"} {
		assert.ErrorContains(t, Tier{RequestWindow: w}.Validate(), "request_window", w)
	}
	assert.ErrorContains(t, Tier{Models: map[string]Tier{"m": {TokenWindow: "x"}}}.Validate(), `models["m"]`)
}
