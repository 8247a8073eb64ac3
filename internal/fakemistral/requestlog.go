package fakemistral

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"time"
)

// Request is one entry of the request log.
type Request struct {
	// Time is when the request arrived, by Options.Now.
	Time time.Time
	// Listener is "api" or "status".
	Listener string
	Method   string
	Path     string
	// Query is the raw query string.
	Query string
	// Host is the Host header as received.
	Host string
	// Authorization is the raw header value as received, so that tests can
	// check where a key was sent. It is never logged.
	Authorization string
	// Status is the HTTP status answered; 0 while the request is running or
	// when no answer was written (FaultHang).
	Status int
}

// AuthFingerprint is the first 12 hex digits of the SHA-256 of an
// Authorization value, "" for an empty one. The admin request log shows this
// instead of the value.
func AuthFingerprint(authorization string) string {
	if authorization == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(authorization))
	return hex.EncodeToString(sum[:])[:12]
}

// maxLog bounds the request log; CountRequests keeps counting past it.
const maxLog = 10000

// Requests returns a copy of the log of requests on both listeners, oldest
// first. Admin requests (/_fake/*) are not logged. The log keeps the latest
// 10000 entries.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.reqs))
	for i, r := range s.reqs {
		out[i] = *r
	}
	return out
}

// CountRequests returns how many requests had exactly this URL path, on
// either listener, since New or Reset.
func (s *Server) CountRequests(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[path]
}

func (s *Server) record(listener string, r *http.Request) *Request {
	e := &Request{
		Time:          s.now(),
		Listener:      listener,
		Method:        r.Method,
		Path:          r.URL.Path,
		Query:         r.URL.RawQuery,
		Host:          r.Host,
		Authorization: r.Header.Get("Authorization"),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.reqs) >= maxLog {
		s.reqs = append(s.reqs[:0:0], s.reqs[len(s.reqs)-maxLog/2:]...)
	}
	s.reqs = append(s.reqs, e)
	s.counts[e.Path]++
	return e
}

// track logs and counts requests and registers running handlers for Close.
func (s *Server) track(listener string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.enter() {
			http.Error(w, "fakemistral: server closed", http.StatusServiceUnavailable)
			return
		}
		defer s.active.Done()
		var entry *Request
		if !(listener == "api" && strings.HasPrefix(r.URL.Path, "/_fake/")) {
			entry = s.record(listener, r)
		}
		rw := &statusWriter{ResponseWriter: w}
		start := time.Now()
		defer func() {
			if entry != nil {
				s.mu.Lock()
				entry.Status = rw.status
				s.mu.Unlock()
			}
			if s.log != nil {
				s.log.Info("request", "listener", listener, "method", r.Method, "path", r.URL.Path,
					"host", r.Host, "status", rw.status, "duration", time.Since(start),
					"has_auth", r.Header.Get("Authorization") != "")
			}
		}()
		h.ServeHTTP(rw, r)
	})
}

// statusWriter remembers the status written. Unwrap lets
// http.ResponseController reach Flush and Hijack.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Flush implements http.Flusher.
func (w *statusWriter) Flush() {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap returns the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
