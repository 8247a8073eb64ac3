package fakemistral

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
)

// noLimits checks that an answer carries no rate-limit header: only
// non-streaming successes and 429s for the caller's limit do.
func noLimits(t *testing.T, h http.Header) {
	t.Helper()
	assert.False(t, mistralapi.ParseRateLimitHTTP(h, time.Now()).Announced(), "%v", h)
}

func TestFaultErrorBodies(t *testing.T) {
	tests := []struct {
		mode   FaultMode
		status int
		body   string
		class  mistralapi.Class
		limit  mistralapi.Limit
		check  func(t *testing.T, h http.Header)
	}{
		{Fault429Code1300, 429, BodyRateLimit, mistralapi.ClassRateLimit, mistralapi.LimitRequestsPerMinute, func(t *testing.T, h http.Header) {
			assert.Equal(t, "0", h.Get(mistralapi.HeaderRemainingReqMinute))
			assert.Equal(t, "60", h.Get(mistralapi.HeaderLimitReqMinute))
			assert.Empty(t, h.Get(mistralapi.HeaderLimitTokensMinute), "a request-limit 429 sends only the request pair")
		}},
		{Fault429Bare, 429, BodyRateLimitBare, mistralapi.ClassRateLimit, mistralapi.LimitRequestsPerMinute, func(t *testing.T, h http.Header) {
			assert.Empty(t, h.Get(mistralapi.HeaderLimitReqMinute))
		}},
		{Fault429ZeroAllowance, 429, BodyRateLimit, mistralapi.ClassQuotaExhausted, mistralapi.LimitRequestsPerMinute, func(t *testing.T, h http.Header) {
			assert.Equal(t, "0", h.Get(mistralapi.HeaderLimitReqMinute))
			assert.Equal(t, "0", h.Get(mistralapi.HeaderRemainingReqMinute))
		}},
		{Fault429TokensMonth, 429, BodyRateLimit, mistralapi.ClassQuotaExhausted, mistralapi.LimitTokensPerMonth, func(t *testing.T, h http.Header) {
			assert.Equal(t, "0", h.Get(mistralapi.HeaderRemainingTokensMonth))
		}},
		{Fault429Capacity, 429, BodyCapacityTier, mistralapi.ClassProviderCapacity, "", noLimits},
		{Fault429CapacityBackend, 429, BodyCapacityBackend, mistralapi.ClassProviderCapacity, "", noLimits},
		{Fault503Capacity, 503, BodyCapacity, mistralapi.ClassProviderCapacity, "", noLimits},
		{Fault500, 500, BodyServerError, mistralapi.ClassServerError, "", noLimits},
		{Fault401, 401, `{"detail":"Unauthorized"}`, mistralapi.ClassAuthentication, "", noLimits},
		{Fault401InvalidKey, 401, `{"detail":"Invalid API Key"}`, mistralapi.ClassAuthentication, "", noLimits},
		{Fault402Budget, 402, BodyBudgetExhausted, mistralapi.ClassQuotaExhausted, "", noLimits},
		{Fault402SpendingLimit, 402, BodySpendingLimit, mistralapi.ClassQuotaExhausted, "", noLimits},
		{Fault403, 403, BodyForbidden, mistralapi.ClassPermission, "", noLimits},
		{Fault403Tier, 403, BodyTierNotAllowed, mistralapi.ClassPermission, "", noLimits},
		{Fault403Guardrail, 403, BodyGuardrail, mistralapi.ClassPermission, "", noLimits},
		{Fault403Labs, 403, BodyLabsModel, mistralapi.ClassPermission, "", noLimits},
		{Fault400, 400, BodyMessageOrder, mistralapi.ClassInvalidRequest, "", noLimits},
		{Fault400ContextOverflow, 400, BodyContextOverflow, mistralapi.ClassInvalidRequest, "", noLimits},
		{FaultInvalidModel, 400, BodyInvalidModel("mistral-small-latest"), mistralapi.ClassModelNotFound, "", noLimits},
		{Fault404NoRoute, 404, BodyNoRoute, mistralapi.ClassEndpointNotFound, "", noLimits},
		{Fault422, 422, `{"detail":[{"type":"extra_forbidden","loc":["body","seed"],"msg":"Extra inputs are not permitted"}]}`,
			mistralapi.ClassInvalidRequest, "", noLimits},
		{Fault422Nested, 422, BodyValidationNested, mistralapi.ClassInvalidRequest, "", noLimits},
	}
	clk := newClock()
	s := startFake(t, Options{Now: clk.Now})
	c := newClient(t, s)
	for _, tt := range tests {
		t.Run(string(tt.mode), func(t *testing.T) {
			s.SetFault(Fault{Mode: tt.mode})
			r := call(t, c, "POST", s.URL()+"/v1/chat/completions", "test-key", helloChat)
			assert.Equal(t, tt.status, r.status)
			assert.Equal(t, tt.body, r.body)
			assert.Equal(t, "application/json", r.header.Get("Content-Type"))
			cl := classify(r, clk.Now())
			assert.Equal(t, tt.class, cl.Class)
			if tt.limit != "" {
				assert.Equal(t, tt.limit, cl.Limit)
			}
			if tt.check != nil {
				tt.check(t, r.header)
			}
		})
	}
	// A fault answers before authentication and consumes no allowance.
	s.SetFault(Fault{Mode: Fault503Capacity})
	assert.Equal(t, 503, call(t, c, "GET", s.URL()+"/v1/models", "", "").status)
	s.SetFault(Fault{})
	assert.Equal(t, 200, call(t, c, "GET", s.URL()+"/v1/models", "test-key", "").status)
}

func TestFaultLegacyHeaders(t *testing.T) {
	clk := newClock()
	s := startFake(t, Options{Now: clk.Now, LegacyHeaders: true})
	c := newClient(t, s)
	s.SetFault(Fault{Mode: Fault429Code1300})
	r := call(t, c, "GET", s.URL()+"/v1/models", "test-key", "")
	assert.Equal(t, "0", r.header.Get(mistralapi.LegacyHeaderRemaining))
	assert.Empty(t, r.header.Get(mistralapi.HeaderRemainingReqMinute))
	assert.Equal(t, mistralapi.ClassRateLimit, classify(r, clk.Now()).Class)

	s.SetFault(Fault{Mode: Fault429TokensMonth})
	r = call(t, c, "GET", s.URL()+"/v1/models", "test-key", "")
	assert.Equal(t, "0", r.header.Get(mistralapi.LegacyHeaderRemainingTokensMonth))
	assert.Equal(t, mistralapi.ClassQuotaExhausted, classify(r, clk.Now()).Class)

	s.SetFault(Fault{Mode: Fault429ZeroAllowance})
	r = call(t, c, "POST", s.URL()+"/v1/chat/completions", "test-key", helloChat)
	assert.Equal(t, 429, r.status)
	assert.Equal(t, "0", r.header.Get(mistralapi.HeaderLimitReqMinute), "zero allowance has no legacy name")
	assert.Equal(t, mistralapi.ClassQuotaExhausted, classify(r, clk.Now()).Class)
}

// A key without allowance still lists the catalogue: the zero-allowance
// fault answers only the calls that ask a model.
func TestFaultZeroAllowanceSparesModels(t *testing.T) {
	s := startFake(t, Options{Tier: unlimited})
	c := newClient(t, s)
	s.SetFault(Fault{Mode: Fault429ZeroAllowance})
	for _, path := range []string{"/v1/models", "/v1/models/mistral-small-latest"} {
		r := call(t, c, "GET", s.URL()+path, "test-key", "")
		assert.Equal(t, 200, r.status, path)
		noLimits(t, r.header)
	}
	assert.Equal(t, 401, call(t, c, "GET", s.URL()+"/v1/models", "", "").status, "the catalogue still needs a key")
	r := call(t, c, "POST", s.URL()+"/v1/embeddings", "test-key", `{"model":"mistral-embed","input":["hi"]}`)
	assert.Equal(t, 429, r.status)
	assert.Equal(t, "0", r.header.Get(mistralapi.HeaderLimitReqMinute))
}

func TestFaultRetryAfterAndEvery(t *testing.T) {
	s := startFake(t, Options{Tier: unlimited})
	c := newClient(t, s)
	s.SetFault(Fault{Mode: Fault429Code1300, RetryAfter: 7, Every: 2})
	var got []int
	for range 6 {
		r := call(t, c, "GET", s.URL()+"/v1/models", "test-key", "")
		got = append(got, r.status)
		if r.status == 429 {
			assert.Equal(t, "7", r.header.Get("Retry-After"))
		} else {
			assert.Empty(t, r.header.Get("Retry-After"))
		}
	}
	assert.Equal(t, []int{200, 429, 200, 429, 200, 429}, got)
}

func TestFaultLatency(t *testing.T) {
	s := startFake(t, Options{Tier: unlimited})
	c := newClient(t, s)
	s.SetFault(Fault{Latency: 80 * time.Millisecond})
	start := time.Now()
	r := call(t, c, "GET", s.URL()+"/v1/models", "test-key", "")
	assert.Equal(t, 200, r.status)
	assert.GreaterOrEqual(t, time.Since(start), 80*time.Millisecond)
}

func TestFaultHangClientGivesUp(t *testing.T) {
	s := startFake(t, Options{Tier: unlimited})
	c := newClient(t, s)
	c.Timeout = 100 * time.Millisecond
	s.SetFault(Fault{Mode: FaultHang})
	_, err := c.Get(s.URL() + "/v1/models")
	require.Error(t, err)
	var te interface{ Timeout() bool }
	require.True(t, errors.As(err, &te) && te.Timeout(), "%v", err)
}

func TestFaultHangReleasedByClose(t *testing.T) {
	s := New(Options{Tier: unlimited})
	require.NoError(t, s.Start("", ""))
	c := newClient(t, s)
	c.Timeout = 0
	s.SetFault(Fault{Mode: FaultHang})
	done := make(chan error, 1)
	go func() {
		resp, err := c.Get(s.URL() + "/v1/models")
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	require.Eventually(t, func() bool { return s.CountRequests("/v1/models") == 1 }, 5*time.Second, 5*time.Millisecond)
	s.Close()
	select {
	case err := <-done:
		assert.Error(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("the hanging request was not released by Close")
	}
	s.Close() // idempotent
}

func TestFaultHangViaHandler(t *testing.T) {
	// Close also releases hangs when the handler is mounted elsewhere.
	s := New(Options{Tier: unlimited})
	s.SetFault(Fault{Mode: FaultHang})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req := httptestRequest(ctx, "GET", "/v1/models")
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			assert.Equal(t, http.ErrAbortHandler, recover(), "a released hang aborts, never answers")
		}()
		s.APIHandler().ServeHTTP(discardWriter{}, req)
	}()
	require.Eventually(t, func() bool { return s.CountRequests("/v1/models") == 1 }, 5*time.Second, 5*time.Millisecond)
	s.Close()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("not released")
	}
}

func TestFaultReset(t *testing.T) {
	for _, mode := range []TLSMode{TLSNone, TLSSelfSigned} {
		t.Run(mode.String(), func(t *testing.T) {
			s := startFake(t, Options{Tier: unlimited, TLS: mode})
			c := newClient(t, s)
			s.SetFault(Fault{Mode: FaultReset})
			resp, err := c.Get(s.URL() + "/v1/models")
			require.NoError(t, err, "headers arrive")
			defer resp.Body.Close()
			assert.Equal(t, 200, resp.StatusCode)
			b, err := io.ReadAll(resp.Body)
			require.Error(t, err, "the body is cut")
			assert.True(t, strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json"))
			assert.Less(t, len(b), 4096)
		})
	}
}

func TestFaultHugeBody(t *testing.T) {
	s := startFake(t, Options{Tier: unlimited})
	c := newClient(t, s)
	s.SetFault(Fault{Mode: FaultHugeBody})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	resp, err := c.Get(s.URL() + "/v1/models")
	require.NoError(t, err)
	head := make([]byte, 16)
	_, err = io.ReadFull(resp.Body, head)
	require.NoError(t, err)
	n, err := io.Copy(io.Discard, resp.Body)
	require.NoError(t, err)
	resp.Body.Close()
	runtime.ReadMemStats(&after)
	assert.Equal(t, int64(HugeBodySize), n+16)
	assert.Equal(t, `{"object":"list"`, string(head))
	assert.Equal(t, int64(HugeBodySize), resp.ContentLength)
	// Client and server together allocate far less than the body.
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(8<<20))
}

func TestFaultOddBodies(t *testing.T) {
	s := startFake(t, Options{Tier: unlimited})
	c := newClient(t, s)

	s.SetFault(Fault{Mode: FaultInvalidJSON})
	r := call(t, c, "GET", s.URL()+"/v1/models", "test-key", "")
	assert.Equal(t, 200, r.status)
	assert.Equal(t, "application/json", r.header.Get("Content-Type"))
	assert.False(t, json.Valid([]byte(r.body)))

	s.SetFault(Fault{Mode: FaultHTML})
	r = call(t, c, "GET", s.URL()+"/v1/models", "test-key", "")
	assert.Equal(t, 200, r.status)
	assert.Equal(t, "text/html; charset=utf-8", r.header.Get("Content-Type"))
	assert.Contains(t, r.body, "<html")

	s.SetFault(Fault{Mode: FaultRedirectLoop})
	_, err := c.Get(s.URL() + "/v1/models?x=1")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "stopped after 10 redirects")
	assert.GreaterOrEqual(t, s.CountRequests("/v1/models")-2, 10)
	noFollow := &http.Client{Transport: c.Transport, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	resp, err := noFollow.Get(s.URL() + "/v1/models?x=1")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusFound, resp.StatusCode)
	assert.Equal(t, "/v1/models?x=1", resp.Header.Get("Location"))
}

func TestFaultJSON(t *testing.T) {
	var f Fault
	require.NoError(t, json.Unmarshal([]byte(`{"mode":"rate_limit_1300","latency":"2s","retry_after":0,"every":2}`), &f))
	assert.Equal(t, Fault{Mode: Fault429Code1300, Latency: 2 * time.Second, Every: 2}, f)
	b, err := json.Marshal(f)
	require.NoError(t, err)
	assert.JSONEq(t, `{"mode":"rate_limit_1300","latency":"2s","retry_after":0,"every":2}`, string(b))
	require.NoError(t, json.Unmarshal([]byte(`{"mode":"none"}`), &f))
	assert.Equal(t, Fault{}, f)

	for body, want := range map[string]string{
		`{"mode":"teapot"}`:                `unknown fault mode "teapot"`,
		`{"mode":"hang","latency":"2"}`:    `latency "2"`,
		`{"mode":"hang","latency":"-1s"}`:  `latency "-1s"`,
		`{"mode":"hang","every":-1}`:       `every -1`,
		`{"mode":"hang","retry_after":-3}`: `retry_after -3`,
		`[]`:                               `fault:`,
	} {
		err := json.Unmarshal([]byte(body), &f)
		require.Error(t, err, body)
		assert.Contains(t, err.Error(), want)
	}
	for _, m := range FaultModes() {
		got, err := ParseFaultMode(string(m))
		require.NoError(t, err)
		assert.Equal(t, m, got)
	}
}
