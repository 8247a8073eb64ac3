package statuspage

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testMaxBody = 1 << 20

// fetchErr fetches and returns the *Error, failing when there is none.
func fetchErr(t *testing.T, c *Client, endpoint string, f Format) *Error {
	t.Helper()
	_, err := c.Fetch(context.Background(), endpoint, f)
	require.Error(t, err)
	var e *Error
	require.ErrorAs(t, err, &e)
	return e
}

func fetchOK(t *testing.T, c *Client, endpoint string, f Format) Snapshot {
	t.Helper()
	snap, err := c.Fetch(context.Background(), endpoint, f)
	require.NoError(t, err)
	return snap
}

func TestAutoDetection(t *testing.T) {
	tests := []struct {
		name      string
		routes    map[string]http.HandlerFunc
		endpoint  string // path appended to the site URL
		want      Format
		firstHits map[string]int // requests of the first (detecting) fetch
		nextHits  map[string]int // requests of the second (remembered) fetch
	}{
		{
			name:      "statuspage",
			routes:    map[string]http.HandlerFunc{pathSummary: serveJSON(readTestdata(t, "statuspage/degraded.json"))},
			want:      FormatStatuspage,
			firstHits: map[string]int{pathSummary: 1},
			nextHits:  map[string]int{pathSummary: 1},
		},
		{
			name: "incident.io reads components.json too",
			routes: map[string]http.HandlerFunc{
				pathSummary:    serveJSON(readTestdata(t, "incidentio/summary.json")),
				pathComponents: serveJSON(readTestdata(t, "incidentio/components.json")),
			},
			want:      FormatIncidentIO,
			firstHits: map[string]int{pathSummary: 1, pathComponents: 1},
			nextHits:  map[string]int{pathSummary: 1, pathComponents: 1},
		},
		{
			name:      "rootly with incidents in status.json",
			routes:    map[string]http.HandlerFunc{pathRootlyStatus: serveJSON(readTestdata(t, "rootly/status_incident.json"))},
			want:      FormatRootly,
			firstHits: map[string]int{pathSummary: 1, pathRootlyStatus: 1},
			nextHits:  map[string]int{pathRootlyStatus: 1},
		},
		{
			name: "rootly without incidents in status.json",
			routes: map[string]http.HandlerFunc{
				pathRootlyStatus:    serveJSON(readTestdata(t, "rootly/status_no_incidents.json")),
				pathRootlyIncidents: serveJSON(readTestdata(t, "rootly/incidents.json")),
			},
			want:      FormatRootly,
			firstHits: map[string]int{pathSummary: 1, pathRootlyStatus: 1, pathRootlyIncidents: 1},
			nextHits:  map[string]int{pathRootlyStatus: 1, pathRootlyIncidents: 1},
		},
		{
			name:      "rss at /feed.rss (Mistral's old page: no JSON)",
			routes:    map[string]http.HandlerFunc{"/feed.rss": serveRSS(readTestdata(t, "feed/mistral.rss"))},
			want:      FormatRSS,
			firstHits: map[string]int{pathSummary: 1, pathRootlyStatus: 1, "/feed.rss": 1},
			nextHits:  map[string]int{"/feed.rss": 1},
		},
		{
			name:      "atom at /history.atom",
			routes:    map[string]http.HandlerFunc{"/history.atom": serveAtom(readTestdata(t, "feed/statuspage_history.atom"))},
			want:      FormatAtom,
			firstHits: map[string]int{pathSummary: 1, pathRootlyStatus: 1, "/feed.rss": 1, "/history.rss": 1, "/history.atom": 1},
			nextHits:  map[string]int{"/history.atom": 1},
		},
		{
			name:      "endpoint is a feed URL: read first",
			routes:    map[string]http.HandlerFunc{"/status/feed.xml": serveRSS(readTestdata(t, "feed/mistral.rss"))},
			endpoint:  "/status/feed.xml",
			want:      FormatRSS,
			firstHits: map[string]int{"/status/feed.xml": 1},
			nextHits:  map[string]int{"/status/feed.xml": 1},
		},
		{
			name:     "endpoint answering a feed without a feed extension: tried last",
			routes:   map[string]http.HandlerFunc{"/updates": serveAtom(readTestdata(t, "feed/mistral.atom"))},
			endpoint: "/updates",
			want:     FormatAtom,
			firstHits: map[string]int{
				"/updates" + pathSummary: 1, "/updates" + pathRootlyStatus: 1, "/updates/feed.rss": 1,
				"/updates/history.rss": 1, "/updates/history.atom": 1, "/updates": 1,
			},
			nextHits: map[string]int{"/updates": 1},
		},
		{
			name: "a base path is kept (fake service under /mistral)",
			routes: map[string]http.HandlerFunc{
				"/mistral" + pathSummary: serveJSON(readTestdata(t, "statuspage/operational.json")),
			},
			endpoint:  "/mistral/",
			want:      FormatStatuspage,
			firstHits: map[string]int{"/mistral" + pathSummary: 1},
			nextHits:  map[string]int{"/mistral" + pathSummary: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t)
			for p, h := range tt.routes {
				s.set(p, h)
			}
			c, _ := testClient(t, testMaxBody)
			endpoint := s.url(tt.endpoint)

			snap := fetchOK(t, c, endpoint, FormatAuto)
			assert.Equal(t, tt.want, snap.Format)
			assert.Equal(t, tt.firstHits, s.takeHits(), "first fetch")

			again := fetchOK(t, c, endpoint, FormatAuto)
			assert.Equal(t, snap, again)
			assert.Equal(t, tt.nextHits, s.takeHits(), "second fetch")
		})
	}
}

func TestAutoSnapshotContent(t *testing.T) {
	s := newSite(t)
	s.set(pathSummary, serveJSON(readTestdata(t, "incidentio/summary.json")))
	s.set(pathComponents, serveJSON(readTestdata(t, "incidentio/components.json")))
	c, _ := testClient(t, testMaxBody)
	got := fetchOK(t, c, s.url(""), FormatAuto)
	want, err := parseIncidentIO(readTestdata(t, "incidentio/summary.json"), readTestdata(t, "incidentio/components.json"))
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

func TestConcreteFormatsArePolite(t *testing.T) {
	s := newSite(t)
	s.set(pathSummary, serveJSON(readTestdata(t, "incidentio/summary.json")))
	s.set(pathComponents, serveJSON(readTestdata(t, "incidentio/components.json")))
	s.set(pathRootlyStatus, serveJSON(readTestdata(t, "rootly/status_no_incidents.json")))
	s.set(pathRootlyIncidents, serveJSON(readTestdata(t, "rootly/incidents.json")))
	s.set("/history.rss", serveRSS(readTestdata(t, "feed/statuspage_history.rss")))
	s.set("/history.atom", serveAtom(readTestdata(t, "feed/statuspage_history.atom")))
	c, _ := testClient(t, testMaxBody)

	tests := []struct {
		format Format
		want   Format
		hits   map[string]int
		again  map[string]int
	}{
		// The concrete format is trusted: an incident.io-looking summary read
		// as statuspage costs one request, full_outage still mapped.
		{FormatStatuspage, FormatStatuspage, map[string]int{pathSummary: 1}, map[string]int{pathSummary: 1}},
		{FormatIncidentIO, FormatIncidentIO, map[string]int{pathSummary: 1, pathComponents: 1}, map[string]int{pathSummary: 1, pathComponents: 1}},
		{FormatRootly, FormatRootly, map[string]int{pathRootlyStatus: 1, pathRootlyIncidents: 1}, map[string]int{pathRootlyStatus: 1, pathRootlyIncidents: 1}},
		// /feed.rss 404s, then /history.rss; remembered afterwards.
		{FormatRSS, FormatRSS, map[string]int{"/feed.rss": 1, "/history.rss": 1}, map[string]int{"/history.rss": 1}},
		{FormatAtom, FormatAtom, map[string]int{"/history.atom": 1}, map[string]int{"/history.atom": 1}},
	}
	for _, tt := range tests {
		t.Run(string(tt.format), func(t *testing.T) {
			s.takeHits()
			snap := fetchOK(t, c, s.url(""), tt.format)
			assert.Equal(t, tt.want, snap.Format)
			assert.Equal(t, tt.hits, s.takeHits())
			for _, comp := range snap.Components {
				assert.NotEqual(t, ComponentStatus("full_outage"), comp.Status)
			}
			fetchOK(t, c, s.url(""), tt.format)
			assert.Equal(t, tt.again, s.takeHits())
		})
	}
}

func TestRequestHeaders(t *testing.T) {
	s := newSite(t)
	s.set(pathSummary, serveJSON(readTestdata(t, "statuspage/operational.json")))
	s.set("/feed.rss", serveRSS(readTestdata(t, "feed/mistral.rss")))
	c, _ := testClient(t, testMaxBody)
	fetchOK(t, c, s.url(""), FormatStatuspage)
	fetchOK(t, c, s.url(""), FormatRSS)
	s.mu.Lock()
	defer s.mu.Unlock()
	require.Len(t, s.headers, 2)
	assert.Equal(t, "application/json", s.headers[0].Get("Accept"))
	assert.Contains(t, s.headers[1].Get("Accept"), "application/rss+xml")
	for _, h := range s.headers {
		assert.Empty(t, h.Get("Authorization"), "status pages never get credentials")
	}
}

func TestUnreadableSources(t *testing.T) {
	challenge := readTestdata(t, "html/cloudflare_challenge.html")
	statusHTML := readTestdata(t, "html/status_page.html")
	huge := bytes.Repeat([]byte(" "), 3*testMaxBody)
	huge[0] = '{'

	tests := []struct {
		name       string
		routes     map[string]http.HandlerFunc
		format     Format
		reason     Reason
		statusCode int
		urlPath    string
		hits       map[string]int // nil: not checked
	}{
		{
			name: "cloudflare 403 challenge everywhere (status.mistral.ai on Rootly)",
			routes: map[string]http.HandlerFunc{
				pathSummary:      serve(403, "text/html; charset=UTF-8", challenge, "Cf-Mitigated", "challenge", "Server", "cloudflare"),
				pathRootlyStatus: serve(403, "text/html; charset=UTF-8", challenge, "Cf-Mitigated", "challenge", "Server", "cloudflare"),
				"/feed.rss":      serve(403, "text/html; charset=UTF-8", challenge, "Cf-Mitigated", "challenge", "Server", "cloudflare"),
			},
			format: FormatAuto, reason: ReasonChallenge, statusCode: 403, urlPath: pathSummary,
		},
		{
			name: "challenge without the header, recognised from the page; beats later 404s",
			routes: map[string]http.HandlerFunc{
				pathRootlyStatus: serve(403, "text/html", challenge),
			},
			format: FormatAuto, reason: ReasonChallenge, statusCode: 403, urlPath: pathRootlyStatus,
		},
		{
			name:   "503 challenge on a concrete format",
			routes: map[string]http.HandlerFunc{pathSummary: serve(503, "text/html", challenge)},
			format: FormatStatuspage, reason: ReasonChallenge, statusCode: 503, urlPath: pathSummary,
			hits: map[string]int{pathSummary: 1},
		},
		{
			name:   "plain 403 is an HTTP status",
			routes: map[string]http.HandlerFunc{pathSummary: serve(403, "text/plain", []byte("forbidden"))},
			format: FormatStatuspage, reason: ReasonHTTPStatus, statusCode: 403, urlPath: pathSummary,
		},
		{
			name: "301 to an HTML page",
			routes: map[string]http.HandlerFunc{
				pathSummary: redirect("/login", http.StatusMovedPermanently),
				"/login":    serve(200, "text/html; charset=utf-8", statusHTML),
			},
			format: FormatStatuspage, reason: ReasonHTML, statusCode: 200, urlPath: pathSummary,
			hits: map[string]int{pathSummary: 1, "/login": 1},
		},
		{
			name: "301 to an HTML page, auto: html beats the 404s",
			routes: map[string]http.HandlerFunc{
				pathSummary: redirect("/login", http.StatusMovedPermanently),
				"/login":    serve(200, "text/html; charset=utf-8", statusHTML),
			},
			format: FormatAuto, reason: ReasonHTML, statusCode: 200, urlPath: pathSummary,
		},
		{
			name: "200 HTML everywhere (a single-page app answering every path)",
			routes: map[string]http.HandlerFunc{
				pathSummary: serve(200, "text/html", statusHTML), pathRootlyStatus: serve(200, "text/html", statusHTML),
				"/feed.rss": serve(200, "text/html", statusHTML), "/history.rss": serve(200, "text/html", statusHTML),
				"/history.atom": serve(200, "text/html", statusHTML), "/": serve(200, "text/html", statusHTML),
			},
			format: FormatAuto, reason: ReasonHTML, statusCode: 200, urlPath: pathSummary,
			hits: map[string]int{pathSummary: 1, pathRootlyStatus: 1, "/feed.rss": 1, "/history.rss": 1, "/history.atom": 1, "/": 1},
		},
		{
			name:   "HTML served as JSON is still HTML",
			routes: map[string]http.HandlerFunc{pathSummary: serve(200, "application/json", statusHTML)},
			format: FormatStatuspage, reason: ReasonHTML, statusCode: 200, urlPath: pathSummary,
		},
		{
			name:   "text/html that does not parse is HTML",
			routes: map[string]http.HandlerFunc{pathSummary: serve(200, "text/html", []byte("Service unavailable"))},
			format: FormatStatuspage, reason: ReasonHTML, statusCode: 200, urlPath: pathSummary,
		},
		{
			name:   "truncated JSON, 404 elsewhere",
			routes: map[string]http.HandlerFunc{pathSummary: serveJSON(readTestdata(t, "invalid/truncated_summary.json"))},
			format: FormatAuto, reason: ReasonInvalidBody, statusCode: 200, urlPath: pathSummary,
		},
		{
			name:   "JSON of the wrong shape",
			routes: map[string]http.HandlerFunc{pathSummary: serveJSON(readTestdata(t, "invalid/wrong_shape.json"))},
			format: FormatStatuspage, reason: ReasonInvalidBody, statusCode: 200, urlPath: pathSummary,
		},
		{
			name:   "truncated feed",
			routes: map[string]http.HandlerFunc{"/feed.rss": serveRSS(readTestdata(t, "invalid/truncated.rss"))},
			format: FormatRSS, reason: ReasonInvalidBody, statusCode: 200, urlPath: "/feed.rss",
			hits: map[string]int{"/feed.rss": 1},
		},
		{
			name:   "empty body",
			routes: map[string]http.HandlerFunc{pathSummary: serveJSON(nil)},
			format: FormatStatuspage, reason: ReasonInvalidBody, statusCode: 200, urlPath: pathSummary,
		},
		{
			name:   "404 everywhere",
			format: FormatAuto, reason: ReasonNotFound, statusCode: 404, urlPath: pathSummary,
			hits: map[string]int{pathSummary: 1, pathRootlyStatus: 1, "/feed.rss": 1, "/history.rss": 1, "/history.atom": 1, "/": 1},
		},
		{
			name:   "404 on both rss candidates",
			format: FormatRSS, reason: ReasonNotFound, statusCode: 404, urlPath: "/feed.rss",
			hits: map[string]int{"/feed.rss": 1, "/history.rss": 1},
		},
		{
			name:   "500",
			routes: map[string]http.HandlerFunc{pathSummary: serve(500, "text/plain", []byte("oops"))},
			format: FormatAuto, reason: ReasonHTTPStatus, statusCode: 500, urlPath: pathSummary,
		},
		{
			name:   "429 stops detection",
			routes: map[string]http.HandlerFunc{pathSummary: serve(429, "application/json", []byte(`{}`), "Retry-After", "60")},
			format: FormatAuto, reason: ReasonHTTPStatus, statusCode: 429, urlPath: pathSummary,
			hits: map[string]int{pathSummary: 1},
		},
		{
			name:   "huge body with Content-Length",
			routes: map[string]http.HandlerFunc{pathSummary: serveJSON(huge)},
			format: FormatStatuspage, reason: ReasonTooLarge, statusCode: 200, urlPath: pathSummary,
		},
		{
			name: "huge body streamed without Content-Length",
			routes: map[string]http.HandlerFunc{pathSummary: func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				chunk := bytes.Repeat([]byte(" "), 64<<10)
				for range 3 * testMaxBody / len(chunk) {
					if _, err := w.Write(chunk); err != nil {
						return
					}
					w.(http.Flusher).Flush()
				}
			}},
			format: FormatStatuspage, reason: ReasonTooLarge, statusCode: 200, urlPath: pathSummary,
		},
		{
			name: "redirect loop",
			routes: map[string]http.HandlerFunc{
				pathSummary: redirect("/a", http.StatusFound),
				"/a":        redirect("/b", http.StatusFound),
				"/b":        redirect("/a", http.StatusFound),
			},
			format: FormatStatuspage, reason: ReasonRedirectLoop, urlPath: pathSummary,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t)
			for p, h := range tt.routes {
				s.set(p, h)
			}
			c, _ := testClient(t, testMaxBody)
			e := fetchErr(t, c, s.url(""), tt.format)
			assert.Equal(t, tt.reason, e.Reason, e.Error())
			assert.Equal(t, tt.statusCode, e.StatusCode)
			assert.Equal(t, s.url(tt.urlPath), e.URL)
			if tt.hits != nil {
				assert.Equal(t, tt.hits, s.takeHits())
			}
		})
	}
}

func TestTimeoutStopsDetection(t *testing.T) {
	s := newSite(t)
	s.set(pathSummary, func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	c, _ := testClient(t, testMaxBody)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.Fetch(ctx, s.url(""), FormatAuto)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, ReasonTimeout, e.Reason)
	assert.Equal(t, 0, e.StatusCode)
	assert.Equal(t, map[string]int{pathSummary: 1}, s.takeHits())
}

func TestClientTimeout(t *testing.T) {
	s := newSite(t)
	s.set("/feed.rss", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.WriteHeader(200)
		_, _ = w.Write([]byte("<rss><channel>"))
		w.(http.Flusher).Flush()
		<-r.Context().Done() // hang mid-body
	})
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	c := NewClient(&http.Client{Transport: tr, Timeout: 150 * time.Millisecond}, testMaxBody)
	e := fetchErr(t, c, s.url(""), FormatRSS)
	assert.Equal(t, ReasonTimeout, e.Reason, e.Error())
}

func TestConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	c, _ := testClient(t, testMaxBody)
	e := fetchErr(t, c, "http://"+addr, FormatAuto)
	assert.Equal(t, ReasonConnection, e.Reason)
	assert.Equal(t, "http://"+addr+pathSummary, e.URL)
}

func TestInvalidEndpoint(t *testing.T) {
	c, _ := testClient(t, testMaxBody)
	for _, ep := range []string{"", "status.mistral.ai", "ftp://x/y", "http://%zz", "http://"} {
		e := fetchErr(t, c, ep, FormatAuto)
		assert.Equal(t, ReasonConnection, e.Reason, ep)
	}
}

func TestUnknownFormat(t *testing.T) {
	c, _ := testClient(t, testMaxBody)
	_, err := c.Fetch(context.Background(), "http://127.0.0.1:1", Format("instatus"))
	require.ErrorContains(t, err, "unknown format instatus")
}

func TestErrorsHideSecrets(t *testing.T) {
	s := newSite(t)
	s.set("/feed.rss", serve(403, "text/html", readTestdata(t, "html/cloudflare_challenge.html")))
	c, _ := testClient(t, testMaxBody)
	ep := strings.Replace(s.url("/feed.rss?token=sekrit-token"), "http://", "http://user:sekrit-pass@", 1)
	e := fetchErr(t, c, ep, FormatRSS)
	assert.Equal(t, ReasonChallenge, e.Reason)
	assert.Equal(t, s.url("/feed.rss"), e.URL)
	assert.NotContains(t, e.Error(), "sekrit")
	assert.NotContains(t, e.Error(), "Just a moment", "bodies are not quoted")

	// A transport error's text does not repeat the query either.
	e = fetchErr(t, c, "http://127.0.0.1:1/x.rss?token=sekrit-token", FormatRSS)
	assert.NotContains(t, e.Error(), "sekrit")
}

func TestIncidentIOComponentsUnreadable(t *testing.T) {
	s := newSite(t)
	s.set(pathSummary, serveJSON(readTestdata(t, "incidentio/summary.json")))
	s.set(pathComponents, serve(403, "text/html", readTestdata(t, "html/cloudflare_challenge.html")))
	c, _ := testClient(t, testMaxBody)
	snap := fetchOK(t, c, s.url(""), FormatAuto)
	assert.Equal(t, FormatIncidentIO, snap.Format)
	assert.True(t, snap.Partial)
	assert.Len(t, snap.Components, 2)

	s.set(pathComponents, serveJSON([]byte(`{"nope":1}`)))
	snap = fetchOK(t, c, s.url(""), FormatIncidentIO)
	assert.True(t, snap.Partial)
}

func TestRootlyIncidentsUnreadable(t *testing.T) {
	s := newSite(t)
	s.set(pathRootlyStatus, serveJSON(readTestdata(t, "rootly/status_no_incidents.json")))
	s.set(pathRootlyIncidents, serveJSON([]byte(`{"data":[`)))
	c, _ := testClient(t, testMaxBody)
	snap := fetchOK(t, c, s.url(""), FormatRootly)
	assert.True(t, snap.Partial)
	assert.Equal(t, IndicatorMinor, snap.Indicator)
}

func TestRedetectWhenPageFlips(t *testing.T) {
	s := newSite(t)
	c, _ := testClient(t, testMaxBody)
	ep := s.url("")

	// Statuspage.
	s.set(pathSummary, serveJSON(readTestdata(t, "statuspage/operational.json")))
	assert.Equal(t, FormatStatuspage, fetchOK(t, c, ep, FormatAuto).Format)
	s.takeHits()

	// The same summary.json now answers incident.io's shape: seen at once.
	s.set(pathSummary, serveJSON(readTestdata(t, "incidentio/summary.json")))
	s.set(pathComponents, serveJSON(readTestdata(t, "incidentio/components.json")))
	assert.Equal(t, FormatIncidentIO, fetchOK(t, c, ep, FormatAuto).Format)
	assert.Equal(t, map[string]int{pathSummary: 1, pathComponents: 1}, s.takeHits())

	// The vendor changes to a feed: summary.json 404s; re-detected in the
	// same fetch, without requesting summary.json twice.
	s.clear()
	s.set("/feed.rss", serveRSS(readTestdata(t, "feed/mistral.rss")))
	assert.Equal(t, FormatRSS, fetchOK(t, c, ep, FormatAuto).Format)
	assert.Equal(t, map[string]int{pathSummary: 1, pathRootlyStatus: 1, "/feed.rss": 1}, s.takeHits())
	assert.Equal(t, FormatRSS, fetchOK(t, c, ep, FormatAuto).Format)
	assert.Equal(t, map[string]int{"/feed.rss": 1}, s.takeHits())

	// Then to Rootly: the feed path now serves the HTML app.
	s.clear()
	s.set("/feed.rss", serve(200, "text/html", readTestdata(t, "html/status_page.html")))
	s.set(pathRootlyStatus, serveJSON(readTestdata(t, "rootly/status_incident.json")))
	assert.Equal(t, FormatRootly, fetchOK(t, c, ep, FormatAuto).Format)
	assert.Equal(t, map[string]int{"/feed.rss": 1, pathSummary: 1, pathRootlyStatus: 1}, s.takeHits())

	// A transient failure that is not a move (500) is reported, not re-detected.
	s.set(pathRootlyStatus, serve(500, "text/plain", []byte("oops")))
	e := fetchErr(t, c, ep, FormatAuto)
	assert.Equal(t, ReasonHTTPStatus, e.Reason)
	assert.Equal(t, map[string]int{pathRootlyStatus: 1}, s.takeHits())
}

func TestRedetectAfterExpiry(t *testing.T) {
	s := newSite(t)
	s.set("/history.rss", serveRSS(readTestdata(t, "feed/statuspage_history.rss")))
	c, clk := testClient(t, testMaxBody)
	c.redetectAfter = 30 * time.Minute
	ep := s.url("")
	assert.Equal(t, FormatRSS, fetchOK(t, c, ep, FormatAuto).Format)
	s.takeHits()

	// Transiently broken JSON made detection settle on the history feed;
	// once the memo expires, the JSON summary is preferred again.
	s.set(pathSummary, serveJSON(readTestdata(t, "statuspage/operational.json")))
	clk.advance(29 * time.Minute)
	assert.Equal(t, FormatRSS, fetchOK(t, c, ep, FormatAuto).Format)
	assert.Equal(t, map[string]int{"/history.rss": 1}, s.takeHits())
	clk.advance(2 * time.Minute)
	assert.Equal(t, FormatStatuspage, fetchOK(t, c, ep, FormatAuto).Format)
	assert.Equal(t, map[string]int{pathSummary: 1}, s.takeHits())
}

func TestFailedDetectionIsPolite(t *testing.T) {
	s := newSite(t)
	challenge := serve(403, "text/html", readTestdata(t, "html/cloudflare_challenge.html"), "Cf-Mitigated", "challenge")
	for _, p := range []string{pathSummary, pathRootlyStatus, pathRootlyIncidents, "/feed.rss", "/history.rss", "/history.atom", "/"} {
		s.set(p, challenge)
	}
	c, clk := testClient(t, testMaxBody)
	ep := s.url("")

	e := fetchErr(t, c, ep, FormatAuto)
	assert.Equal(t, ReasonChallenge, e.Reason)
	assert.Len(t, s.takeHits(), 6, "the first detection tries every endpoint once")

	// Afterwards only the most informative endpoint is polled.
	for range 3 {
		clk.advance(time.Minute)
		e = fetchErr(t, c, ep, FormatAuto)
		assert.Equal(t, ReasonChallenge, e.Reason)
		assert.Equal(t, map[string]int{pathSummary: 1}, s.takeHits())
	}

	// After retryFailedAfter, a full detection again.
	clk.advance(c.retryFailedAfter)
	fetchErr(t, c, ep, FormatAuto)
	assert.Len(t, s.takeHits(), 6)

	// The challenge is lifted on the JSON API (Rootly): the polled URL now
	// 404s, a different failure, so detection runs at once and finds Rootly.
	s.set(pathSummary, nil)
	s.set(pathRootlyStatus, serveJSON(readTestdata(t, "rootly/status_operational.json")))
	clk.advance(time.Minute)
	assert.Equal(t, FormatRootly, fetchOK(t, c, ep, FormatAuto).Format)
	assert.Equal(t, map[string]int{pathSummary: 1, pathRootlyStatus: 1}, s.takeHits())

	// The polled URL itself recovering is a success found without detection.
	c2, _ := testClient(t, testMaxBody)
	s.set(pathSummary, challenge)
	s.set(pathRootlyStatus, challenge)
	fetchErr(t, c2, ep, FormatAuto)
	s.takeHits()
	s.set(pathSummary, serveJSON(readTestdata(t, "statuspage/operational.json")))
	assert.Equal(t, FormatStatuspage, fetchOK(t, c2, ep, FormatAuto).Format)
	assert.Equal(t, FormatStatuspage, fetchOK(t, c2, ep, FormatAuto).Format)
	assert.Equal(t, map[string]int{pathSummary: 2}, s.takeHits())
}

func TestConcurrentFetches(t *testing.T) {
	c, _ := testClient(t, testMaxBody)
	sites := make([]*site, 4)
	for i := range sites {
		sites[i] = newSite(t)
	}
	sites[0].set(pathSummary, serveJSON(readTestdata(t, "statuspage/major_outage.json")))
	sites[1].set(pathRootlyStatus, serveJSON(readTestdata(t, "rootly/status_incident.json")))
	sites[2].set("/feed.rss", serveRSS(readTestdata(t, "feed/mistral.rss")))
	sites[3].set(pathSummary, serve(403, "text/html", readTestdata(t, "html/cloudflare_challenge.html")))
	want := []Format{FormatStatuspage, FormatRootly, FormatRSS, ""}

	var wg sync.WaitGroup
	for round := range 5 {
		for i, s := range sites {
			wg.Add(1)
			go func() {
				defer wg.Done()
				snap, err := c.Fetch(context.Background(), s.url(""), FormatAuto)
				if want[i] == "" {
					var e *Error
					if !errors.As(err, &e) || e.Reason != ReasonChallenge {
						t.Errorf("round %d site %d: %v", round, i, err)
					}
					return
				}
				if err != nil || snap.Format != want[i] {
					t.Errorf("round %d site %d: %v %v", round, i, snap.Format, err)
				}
			}()
		}
	}
	wg.Wait()
}

func TestNewClientKeepsCallerRedirectPolicy(t *testing.T) {
	s := newSite(t)
	s.set(pathSummary, redirect("/elsewhere", http.StatusFound))
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	called := false
	hc := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error {
		called = true
		return http.ErrUseLastResponse
	}}
	c := NewClient(hc, 0)
	assert.Equal(t, int64(4<<20), c.maxBody)
	e := fetchErr(t, c, s.url(""), FormatStatuspage)
	assert.True(t, called)
	assert.Equal(t, ReasonHTTPStatus, e.Reason)
	assert.Equal(t, http.StatusFound, e.StatusCode)
	assert.NotNil(t, hc.CheckRedirect, "the caller's client is not changed")

	assert.NotNil(t, NewClient(nil, 10).http)
}
