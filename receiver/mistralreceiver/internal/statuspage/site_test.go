package statuspage

import (
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"testing"
	"time"
)

// site is a fake status page host on 127.0.0.1 that counts its requests.
type site struct {
	mu      sync.Mutex
	routes  map[string]http.HandlerFunc
	hits    map[string]int
	headers []http.Header
	srv     *httptest.Server
}

func newSite(t *testing.T) *site {
	t.Helper()
	s := &site{routes: make(map[string]http.HandlerFunc), hits: make(map[string]int)}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.headers = append(s.headers, r.Header.Clone())
		h := s.routes[r.URL.Path]
		s.mu.Unlock()
		if h == nil {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte("404 page not found\n"))
			return
		}
		h(w, r)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

// set routes path to h (nil removes the route).
func (s *site) set(path string, h http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h == nil {
		delete(s.routes, path)
		return
	}
	s.routes[path] = h
}

// clear removes every route.
func (s *site) clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.routes = make(map[string]http.HandlerFunc)
}

// takeHits returns the requests per path since the last call, and resets.
func (s *site) takeHits() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.hits
	s.hits = make(map[string]int)
	return h
}

// paths lists the paths hit since the last takeHits, sorted.
func sortedPaths(h map[string]int) []string {
	var out []string
	for p := range h {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// url returns the site's base URL plus p.
func (s *site) url(p string) string { return s.srv.URL + p }

// serve answers with status, content type and body, plus headers.
func serve(status int, contentType string, body []byte, kv ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(kv); i += 2 {
			w.Header().Set(kv[i], kv[i+1])
		}
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}
}

func serveJSON(body []byte) http.HandlerFunc {
	return serve(http.StatusOK, "application/json; charset=utf-8", body)
}

func serveRSS(body []byte) http.HandlerFunc {
	return serve(http.StatusOK, "application/rss+xml; charset=utf-8", body)
}

func serveAtom(body []byte) http.HandlerFunc {
	return serve(http.StatusOK, "application/atom+xml; charset=utf-8", body)
}

func redirect(to string, code int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, code) }
}

// testClient returns a Client with its own transport (closed at cleanup) and
// a fake clock.
func testClient(t *testing.T, maxBody int64) (*Client, *fakeClock) {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	c := NewClient(&http.Client{Transport: tr, Timeout: 5 * time.Second}, maxBody)
	clk := &fakeClock{t: time.Date(2026, 11, 7, 12, 0, 0, 0, time.UTC)}
	c.now = clk.now
	return c, clk
}

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (f *fakeClock) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
}
