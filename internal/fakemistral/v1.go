package fakemistral

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
)

// Error bodies as La Plateforme sends them (see cmd/fakemistral/README.md
// for the recording or source of each).
const (
	BodyRateLimit        = `{"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300","raw_status_code":429}`
	BodyRateLimitBare    = `{"message":"Requests rate limit exceeded"}`
	BodyCapacityTier     = `{"object":"error","message":"Service tier capacity exceeded for this model.","type":"service_tier_capacity_exceeded","param":null,"code":"3505"}`
	BodyCapacityBackend  = `{"object":"error","message":"Not enough capacity available for this request, please retry later.","type":"backend_out_of_capacity","param":null,"code":"3505"}`
	BodyCapacity         = `{"object":"error","message":"Service tier capacity exceeded for this model.","type":"invalid_request_error","param":null,"code":null}`
	BodyServerError      = `{"object":"error","message":"Service unavailable.","type":"internal_server_error","param":null,"code":"1000","raw_status_code":500}`
	BodyUnauthorized     = `{"detail":"Unauthorized"}`
	BodyInvalidAPIKey    = `{"detail":"Invalid API Key"}`
	BodyBudgetExhausted  = `{"object":"error","message":"API budget exhausted.","type":"billing_api_budget_exhausted","param":null,"code":"2303","raw_status_code":402}`
	BodySpendingLimit    = `{"object":"error","message":"Monthly spending limit reached.","type":"billing_customer_monthly_spending_limit_reached","param":null,"code":"2300","raw_status_code":402}`
	BodyForbidden        = `{"detail":"Forbidden"}`
	BodyTierNotAllowed   = `{"object":"error","message":"Your current tier does not allow this model.","type":"tier_not_allowed","param":null,"code":"1910","raw_status_code":403}`
	BodyLabsModel        = `{"object":"error","message":"This model is a Labs model; enable Labs models for the workspace.","type":"invalid_request_error","param":null,"code":"1913","raw_status_code":403}`
	BodyGuardrail        = `{"object":"error","message":"The request was blocked by a guardrail.","type":"guardrail_violation","param":null,"code":"1920","raw_status_code":403}`
	BodyMessageOrder     = `{"object":"error","message":"Unexpected role 'tool' after role 'system'","type":"invalid_request_message_order","param":null,"code":"3230","raw_status_code":400}`
	BodyContextOverflow  = `{"object":"error","message":"Prompt contains 140000 tokens and 0 draft tokens, too large for model with 131072 maximum context length","type":"invalid_request_error","param":null,"code":null,"raw_status_code":400}`
	BodyExtraSeed        = `{"detail":[{"type":"extra_forbidden","loc":["body","seed"],"msg":"Extra inputs are not permitted"}]}`
	BodyValidationNested = `{"object":"error","message":{"detail":[{"type":"extra_forbidden","loc":["body","seed"],"msg":"Extra inputs are not permitted","input":1}]},"type":"invalid_request_error","param":null,"code":null,"raw_status_code":422}`
	// BodyNoRoute is the gateway's 404 for a path it does not route.
	BodyNoRoute    = `{"message":"no Route matched with those values"}`
	bodyNotAllowed = `{"detail":"Method Not Allowed"}`
)

// BodyInvalidModel is the 400 body for an unknown or retired model.
func BodyInvalidModel(model string) string {
	msg, _ := json.Marshal("Invalid model: " + model)
	return `{"object":"error","message":` + string(msg) + `,"type":"invalid_model","param":null,"code":"1500","raw_status_code":400}`
}

func (s *Server) newAPIMux() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/", s.serveV1)
	s.registerAdmin(mux)
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeBody(w, http.StatusNotFound, BodyNoRoute)
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
	if f.Mode == Fault429ZeroAllowance && isModelsPath(r.URL.Path) {
		f.Mode = FaultNone
	}
	if f.Mode != FaultNone {
		s.serveFault(w, r, f, ws, known)
		return
	}
	if !known {
		// A bearer key La Plateforme does not know gets "Invalid API Key"
		// (0xPlaygrounds/rig list_models_rejected_key cassette); a request
		// without one, "Unauthorized".
		body := BodyUnauthorized
		if _, key, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && strings.TrimSpace(key) != "" {
			body = BodyInvalidAPIKey
		}
		writeBody(w, http.StatusUnauthorized, body)
		return
	}
	legacy := s.legacyHeaders()
	path := r.URL.Path
	switch {
	case isModelsPath(path):
		if !allow(w, r, http.MethodGet) || !s.admit(w, ws, "", legacy) {
			return
		}
		if path == "/v1/models" {
			writeJSON(w, http.StatusOK, modelList{Object: "list", Data: s.servedModels(s.now())})
			return
		}
		s.serveModel(w, strings.TrimPrefix(path, "/v1/models/"))
	case path == "/v1/chat/completions":
		if allow(w, r, http.MethodPost) {
			s.serveChat(w, r, ws, legacy)
		}
	case path == "/v1/embeddings":
		if allow(w, r, http.MethodPost) {
			s.serveEmbeddings(w, r, ws, legacy)
		}
	default:
		writeBody(w, http.StatusNotFound, BodyNoRoute)
	}
}

// isModelsPath reports whether path is /v1/models or /v1/models/{id}.
func isModelsPath(path string) bool {
	return path == "/v1/models" || strings.HasPrefix(path, "/v1/models/")
}

// admit counts a request against the row of the workspace's model ("" for
// GET /v1/models) and answers the 429 when the request limit is spent, with
// only the request pair.
func (s *Server) admit(w http.ResponseWriter, ws, model string, legacy bool) bool {
	snap, lim := s.lim.admitRequest(ws, model, s.now())
	if lim == mistralapi.LimitNone {
		return true
	}
	set := headersRequests
	if legacy {
		// The legacy names have no request pair: they show the tokens.
		set, snap.tokMinRemaining = headersAll, 0
	}
	setRateLimitHeaders(w.Header(), snap, legacy, set)
	writeBody(w, http.StatusTooManyRequests, BodyRateLimit)
	return false
}

// rowModel is the limiter row of a requested model: the concrete model an
// alias points to, so that aliases share their model's limits.
func (s *Server) rowModel(requested string) string {
	if card, ok := s.resolveModel(requested); ok {
		return card.ID
	}
	return requested
}

// allow answers 405 unless the method is the one wanted (GET admits HEAD).
func allow(w http.ResponseWriter, r *http.Request, method string) bool {
	if r.Method == method || (method == http.MethodGet && r.Method == http.MethodHead) {
		return true
	}
	w.Header().Set("Allow", method)
	writeBody(w, http.StatusMethodNotAllowed, bodyNotAllowed)
	return false
}

type modelList struct {
	Object string      `json:"object"`
	Data   []ModelCard `json:"data"`
}

func (s *Server) serveModel(w http.ResponseWriter, id string) {
	card, ok := s.resolveModel(id)
	if !ok {
		writeBody(w, http.StatusBadRequest, BodyInvalidModel(id))
		return
	}
	writeJSON(w, http.StatusOK, card)
}
