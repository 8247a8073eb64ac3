package fakemistral

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAdminFault(t *testing.T) {
	s := startFake(t, Options{Tier: unlimited})
	c := newClient(t, s)
	r := call(t, c, "POST", s.URL()+"/_fake/fault", "", `{"mode":"rate_limit_1300","latency":"1ms","retry_after":3,"every":2}`)
	require.Equal(t, http.StatusOK, r.status, r.body)
	assert.Equal(t, Fault{Mode: Fault429Code1300, Latency: time.Millisecond, RetryAfter: 3, Every: 2}, s.CurrentFault())
	r = call(t, c, "GET", s.URL()+"/_fake/fault", "", "")
	assert.JSONEq(t, `{"mode":"rate_limit_1300","latency":"1ms","retry_after":3,"every":2}`, r.body)

	for body, msg := range map[string]string{
		`{"mode":"teapot"}`:           `unknown fault mode \"teapot\"`,
		`{"mode":"hang","latency":5}`: `fault`,
		`not json`:                    `invalid body`,
	} {
		r = call(t, c, "POST", s.URL()+"/_fake/fault", "", body)
		assert.Equal(t, http.StatusBadRequest, r.status, body)
		assert.Contains(t, r.body, msg, body)
	}
	assert.Equal(t, Fault429Code1300, s.CurrentFault().Mode, "a bad request changes nothing")
	r = call(t, c, "GET", s.URL()+"/_fake/fault/x", "", "")
	assert.Equal(t, http.StatusNotFound, r.status)
	r = call(t, c, "PUT", s.URL()+"/_fake/fault", "", "{}")
	assert.Equal(t, http.StatusNotFound, r.status)
}

func TestAdminModels(t *testing.T) {
	clk := newClock()
	s := startFake(t, Options{Now: clk.Now, Tier: unlimited})
	c := newClient(t, s)
	admin := s.URL() + "/_fake/models"

	r := call(t, c, "POST", admin+"/deprecate", "", `{"id":"mistral-small-latest","in":"240h","replacement":"mistral-small-2509"}`)
	require.Equal(t, http.StatusOK, r.status, r.body)
	card, ok := s.resolveModel("mistral-small-2506")
	require.True(t, ok)
	require.NotNil(t, card.Deprecation)
	assert.Equal(t, clk.Now().Add(240*time.Hour), *card.Deprecation)
	assert.Equal(t, "mistral-small-2509", *card.DeprecationReplacementModel)

	r = call(t, c, "POST", admin+"/deprecate", "", `{"id":"codestral-2508","at":"2026-01-01T00:00:00Z"}`)
	require.Equal(t, http.StatusOK, r.status, r.body)
	card, _ = s.resolveModel("codestral-2508")
	assert.Equal(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), *card.Deprecation)
	assert.Nil(t, card.DeprecationReplacementModel)

	for body, status := range map[string]int{
		`{"id":"nope","in":"1h"}`:                  404,
		`{"id":"codestral-2508"}`:                  400,
		`{"id":"codestral-2508","in":"soon"}`:      400,
		`{"id":"codestral-2508","at":"yesterday"}`: 400,
		`{"id":"codestral-2508","in":"1h","x":1}`:  400,
	} {
		assert.Equal(t, status, call(t, c, "POST", admin+"/deprecate", "", body).status, body)
	}

	r = call(t, c, "POST", admin+"/remove", "", `{"id":"mistral-large-latest"}`)
	require.Equal(t, http.StatusOK, r.status)
	assert.NotContains(t, r.body, "mistral-large-2512")
	r = call(t, c, "POST", s.URL()+"/v1/chat/completions", "test-key", `{"model":"mistral-large-latest","messages":[]}`)
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Equal(t, BodyInvalidModel("mistral-large-latest"), r.body)
	assert.Equal(t, http.StatusNotFound, call(t, c, "POST", admin+"/remove", "", `{"id":"mistral-large-latest"}`).status)

	r = call(t, c, "POST", admin, "", `[{"id":"only-model","aliases":["only-latest"]}]`)
	require.Equal(t, http.StatusOK, r.status, r.body)
	r = call(t, c, "GET", s.URL()+"/v1/models", "test-key", "")
	// One card per model, then one per alias (see models_test.go).
	caps := `"capabilities":{"completion_chat":false,"completion_fim":false,"function_calling":false,"fine_tuning":false,` +
		`"vision":false,"classification":false,"reasoning":false,"ocr":false,"moderation":false,"audio":false,` +
		`"audio_transcription":false,"audio_speech":false},`
	created := fmt.Sprint(clk.Now().Unix())
	assert.Equal(t, `{"object":"list","data":[{"id":"only-model","object":"model","created":`+created+`,"owned_by":"mistralai",`+caps+
		`"name":"only-model","description":"","max_context_length":0,"aliases":["only-latest"],"deprecation":null,`+
		`"deprecation_replacement_model":null,"default_model_temperature":null,"type":"base"},`+
		`{"id":"only-latest","object":"model","created":`+created+`,"owned_by":"mistralai",`+caps+
		`"name":"only-model","description":"","max_context_length":0,"aliases":["only-model"],"deprecation":null,`+
		`"deprecation_replacement_model":null,"default_model_temperature":null,"type":"base"}]}`, r.body)
	assert.Equal(t, http.StatusBadRequest, call(t, c, "POST", admin, "", `[{"name":"no id"}]`).status)
	r = call(t, c, "GET", admin, "", "")
	assert.Contains(t, r.body, "only-model")
}

func TestAdminStatusPages(t *testing.T) {
	s := startFake(t, Options{})
	c := newClient(t, s)
	r := call(t, c, "POST", s.URL()+"/_fake/status/mistral", "", `{"format":"challenge"}`)
	require.Equal(t, http.StatusOK, r.status, r.body)
	assert.Equal(t, StatusPage{FormatChallenge, ScenarioOperational}, s.StatusPages()["mistral"])
	assert.Equal(t, http.StatusForbidden, call(t, c, "GET", s.StatusURL()+"/mistral/feed.rss", "", "").status)

	r = call(t, c, "POST", s.URL()+"/_fake/status/new-page", "", `{"format":"rootly","scenario":"minor"}`)
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, http.StatusOK, call(t, c, "GET", s.StatusURL()+"/new-page/api/v1/status.json", "", "").status)

	for body, msg := range map[string]string{`{"format":"html"}`: `\"html\"`, `{"scenario":"fire"}`: `\"fire\"`, `{"colour":"red"}`: "unknown field"} {
		r = call(t, c, "POST", s.URL()+"/_fake/status/x", "", body)
		assert.Equal(t, http.StatusBadRequest, r.status)
		assert.Contains(t, r.body, msg)
	}
	r = call(t, c, "POST", s.URL()+"/_fake/status/b@d", "", `{}`)
	assert.Equal(t, http.StatusBadRequest, r.status)
	r = call(t, c, "GET", s.URL()+"/_fake/status", "", "")
	var pages map[string]StatusPage
	require.NoError(t, json.Unmarshal([]byte(r.body), &pages))
	assert.Equal(t, FormatRootly, pages["new-page"].Format)
}

func TestRequestLog(t *testing.T) {
	s := startFake(t, Options{Tier: unlimited})
	c := newClient(t, s)
	call(t, c, "GET", s.URL()+"/v1/models", "test-key", "")
	// A client that wrongly sends the key to the status page: the log shows it.
	call(t, c, "GET", s.StatusURL()+"/anthropic/api/v2/status.json", "test-key", "")
	call(t, c, "GET", s.StatusURL()+"/mistral/feed.rss", "", "")
	call(t, c, "GET", s.URL()+"/_fake/count?path=/v1/models", "", "")

	reqs := s.Requests()
	require.Len(t, reqs, 3, "admin requests are not logged")
	api, status, feed := reqs[0], reqs[1], reqs[2]
	assert.Equal(t, "api", api.Listener)
	assert.Equal(t, "GET", api.Method)
	assert.Equal(t, "/v1/models", api.Path)
	assert.Equal(t, strings.TrimPrefix(s.URL(), "http://"), api.Host)
	assert.Equal(t, "Bearer test-key", api.Authorization)
	assert.Equal(t, 200, api.Status)
	assert.False(t, api.Time.IsZero())
	assert.Equal(t, "status", status.Listener)
	assert.Equal(t, strings.TrimPrefix(s.StatusURL(), "http://"), status.Host)
	assert.Equal(t, "Bearer test-key", status.Authorization)
	assert.Empty(t, feed.Authorization)

	assert.Equal(t, 1, s.CountRequests("/v1/models"))
	assert.Equal(t, 1, s.CountRequests("/mistral/feed.rss"))
	assert.Equal(t, 0, s.CountRequests("/_fake/count"))
	assert.Equal(t, 0, s.CountRequests("/v1/chat/completions"))

	r := call(t, c, "GET", s.URL()+"/_fake/count?path=/v1/models", "", "")
	assert.JSONEq(t, `{"path":"/v1/models","count":1}`, r.body)
	assert.Equal(t, http.StatusBadRequest, call(t, c, "GET", s.URL()+"/_fake/count", "", "").status)

	r = call(t, c, "GET", s.URL()+"/_fake/requests", "", "")
	assert.NotContains(t, r.body, "test-key", "the admin log never shows key values")
	var log []map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.body), &log))
	require.Len(t, log, 3)
	assert.Equal(t, true, log[0]["has_auth"])
	assert.Equal(t, AuthFingerprint("Bearer test-key"), log[0]["auth_sha256"])
	assert.Equal(t, "status", log[1]["listener"])
	assert.Equal(t, false, log[2]["has_auth"])
	assert.NotContains(t, log[2], "auth_sha256")
	assert.Len(t, AuthFingerprint("x"), 12)
	assert.Empty(t, AuthFingerprint(""))
}

func TestRequestLogBounded(t *testing.T) {
	s := New(Options{Tier: unlimited})
	defer s.Close()
	for range maxLog + 10 {
		s.record("api", httptestRequest(t.Context(), "GET", "/v1/models"))
	}
	assert.LessOrEqual(t, len(s.Requests()), maxLog)
	assert.Equal(t, maxLog+10, s.CountRequests("/v1/models"))
}

func TestReset(t *testing.T) {
	clk := newClock()
	s := startFake(t, Options{Now: clk.Now})
	c := newClient(t, s)
	assert.Equal(t, 200, call(t, c, "GET", s.URL()+"/v1/models", "test-key", "").status)
	s.SetFault(Fault{Mode: Fault500})
	s.SetTier(Tier{RequestsPerSecond: 50})
	s.SetLegacyHeaders(true)
	require.NoError(t, s.RemoveModel("mistral-small-2506"))
	s.SetStatusPage("mistral", StatusPage{Format: FormatChallenge})
	s.SetStatusPage("extra", StatusPage{})

	r := call(t, c, "POST", s.URL()+"/_fake/reset", "", "")
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, Fault{}, s.CurrentFault())
	assert.Equal(t, DefaultTier, s.CurrentTier())
	assert.Equal(t, DefaultModels(clk.Now()), s.Models())
	assert.Equal(t, defaultPages(), s.StatusPages())
	assert.Empty(t, s.Requests())
	assert.Zero(t, s.CountRequests("/v1/models"))
	// The limiter forgot the first request: a new one is admitted at once,
	// with the current header names.
	r = call(t, c, "POST", s.URL()+"/v1/chat/completions", "test-key", helloChat)
	assert.Equal(t, 200, r.status)
	assert.Equal(t, "59", r.header.Get("x-ratelimit-remaining-req-minute"))
	assert.Equal(t, 429, call(t, c, "POST", s.URL()+"/v1/chat/completions", "test-key", helloChat).status)
}

func TestLifecycle(t *testing.T) {
	s := New(Options{})
	assert.Empty(t, s.URL())
	require.NoError(t, s.Start("", "127.0.0.1:0"))
	assert.Error(t, s.Start("", ""), "started twice")
	assert.NotEqual(t, s.URL(), s.StatusURL())
	s.Close()
	s.Close()
	assert.Error(t, s.Start("", ""), "closed")

	// Ports in use are reported.
	a := New(Options{})
	require.NoError(t, a.Start("", ""))
	defer a.Close()
	b := New(Options{})
	defer b.Close()
	err := b.Start(strings.TrimPrefix(a.URL(), "http://"), "")
	assert.ErrorContains(t, err, "api listener")
	err = b.Start("", strings.TrimPrefix(a.StatusURL(), "http://"))
	assert.ErrorContains(t, err, "status listener")

	// After Close, handlers mounted elsewhere refuse politely.
	rec := &recorder{header: http.Header{}}
	s.APIHandler().ServeHTTP(rec, httptestRequest(t.Context(), "GET", "/v1/models"))
	assert.Equal(t, http.StatusServiceUnavailable, rec.status)
}

type recorder struct {
	header http.Header
	status int
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(b []byte) (int, error) { return len(b), nil }
func (r *recorder) WriteHeader(code int)        { r.status = code }

func TestAdminTier(t *testing.T) {
	s := startFake(t, Options{})
	c := newClient(t, s)
	url := s.URL() + "/_fake/tier"
	r := call(t, c, "POST", url, "", `{"requests_per_second":6,"request_window":"60-second","models":{"mistral-large-2512":{"requests_per_second":20,"token_window":"5-minute"}}}`)
	require.Equal(t, http.StatusOK, r.status, r.body)
	assert.Equal(t, "60-second", s.CurrentTier().RequestWindow)
	assert.Equal(t, 20.0, s.CurrentTier().Models["mistral-large-2512"].RequestsPerSecond)
	for _, body := range []string{`{"request_window":"hour"}`, `{"models":{"m":{"token_window":"0-minute"}}}`, `{"models":{"m":{"models":{"n":{}}}}}`} {
		r = call(t, c, "POST", url, "", body)
		assert.Equal(t, http.StatusBadRequest, r.status, body)
		assert.Contains(t, r.body, "tier: ", body)
	}
}
