package fakemistral

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
)

// Error bodies, byte for byte as La Plateforme sends them.
const (
	BodyRateLimit     = `{"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300"}`
	BodyRateLimitBare = `{"message":"Requests rate limit exceeded"}`
	BodyCapacity      = `{"object":"error","message":"Service tier capacity exceeded for this model.","type":"invalid_request_error","param":null,"code":null}`
	BodyServerError   = `{"object":"error","message":"Internal server error","type":"server_error","param":null,"code":null}`
	BodyUnauthorized  = `{"detail":"Unauthorized"}`
	BodyForbidden     = `{"detail":"Forbidden"}`
	BodyMessageOrder  = `{"object":"error","message":"Unexpected role 'tool' after role 'system'","type":"invalid_request_message_order","param":null,"code":"3230","raw_status_code":400}`
	BodyExtraSeed     = `{"detail":[{"type":"extra_forbidden","loc":["body","seed"],"msg":"Extra inputs are not permitted"}]}`
	bodyNotFound      = `{"detail":"Not Found"}`
	bodyNotAllowed    = `{"detail":"Method Not Allowed"}`
)

// BodyInvalidModel is the 404 body for an unknown or removed model.
func BodyInvalidModel(model string) string {
	msg, _ := json.Marshal("Invalid model: " + model)
	return `{"object":"error","message":` + string(msg) + `,"type":"invalid_model","param":null,"code":"1500"}`
}

func (s *Server) newAPIMux() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/", s.serveV1)
	s.registerAdmin(mux)
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeBody(w, http.StatusNotFound, bodyNotFound)
	})
	return mux
}

func writeBody(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeBody(w, http.StatusInternalServerError, BodyServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// workspace returns the workspace of the request's bearer key.
func (s *Server) workspace(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, key, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	ws, ok := s.keys[strings.TrimSpace(key)]
	return ws, ok
}

// serveV1 answers /v1/*: latency and fault, then auth, the request limiter
// and the endpoint.
func (s *Server) serveV1(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("x-kong-request-id", newID()[:24])
	w.Header().Set("x-envoy-upstream-service-time", "42")
	f := s.nextFault()
	if !s.wait(r.Context(), f.Latency) {
		return
	}
	ws, known := s.workspace(r)
	if f.Mode != FaultNone {
		s.serveFault(w, r, f, ws, known)
		return
	}
	if !known {
		writeBody(w, http.StatusUnauthorized, BodyUnauthorized)
		return
	}
	legacy := s.legacyHeaders()
	snap, lim := s.lim.admitRequest(ws, s.now())
	if lim != mistralapi.LimitNone {
		setRateLimitHeaders(w.Header(), snap, legacy)
		writeBody(w, http.StatusTooManyRequests, BodyRateLimit)
		return
	}
	path := r.URL.Path
	switch {
	case path == "/v1/models":
		if !allow(w, r, snap, legacy, http.MethodGet) {
			return
		}
		s.serveModels(w, snap, legacy)
	case strings.HasPrefix(path, "/v1/models/"):
		if !allow(w, r, snap, legacy, http.MethodGet) {
			return
		}
		s.serveModel(w, strings.TrimPrefix(path, "/v1/models/"), snap, legacy)
	case path == "/v1/chat/completions":
		if !allow(w, r, snap, legacy, http.MethodPost) {
			return
		}
		s.serveChat(w, r, ws, snap, legacy)
	case path == "/v1/embeddings":
		if !allow(w, r, snap, legacy, http.MethodPost) {
			return
		}
		s.serveEmbeddings(w, r, ws, snap, legacy)
	default:
		setRateLimitHeaders(w.Header(), snap, legacy)
		writeBody(w, http.StatusNotFound, bodyNotFound)
	}
}

// allow answers 405 unless the method is the one wanted (GET admits HEAD).
func allow(w http.ResponseWriter, r *http.Request, snap snapshot, legacy bool, method string) bool {
	if r.Method == method || (method == http.MethodGet && r.Method == http.MethodHead) {
		return true
	}
	setRateLimitHeaders(w.Header(), snap, legacy)
	w.Header().Set("Allow", method)
	writeBody(w, http.StatusMethodNotAllowed, bodyNotAllowed)
	return false
}

type modelList struct {
	Object string      `json:"object"`
	Data   []ModelCard `json:"data"`
}

func (s *Server) serveModels(w http.ResponseWriter, snap snapshot, legacy bool) {
	setRateLimitHeaders(w.Header(), snap, legacy)
	writeJSON(w, http.StatusOK, modelList{Object: "list", Data: s.servedModels(s.now())})
}

func (s *Server) serveModel(w http.ResponseWriter, id string, snap snapshot, legacy bool) {
	setRateLimitHeaders(w.Header(), snap, legacy)
	card, ok := s.resolveModel(id)
	if !ok {
		writeBody(w, http.StatusNotFound, BodyInvalidModel(id))
		return
	}
	writeJSON(w, http.StatusOK, card)
}
