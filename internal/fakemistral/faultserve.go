package fakemistral

import (
	"crypto/tls"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
)

const (
	invalidJSONBody = `{"object":"list","data":[{"id":"mistral-small-2506","object":"model","created":1750118400,"owned_by":"mistr`
	htmlFaultBody   = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Mistral AI</title></head>\n" +
		"<body><h1>We'll be right back</h1><p>La Plateforme is undergoing maintenance.</p></body></html>\n"
	resetPartialBody = `{"object":"list","data":[{"id":"mistral-sm`
)

// serveFault answers a /v1 request according to a fault mode.
func (s *Server) serveFault(w http.ResponseWriter, r *http.Request, f Fault, ws string, known bool) {
	legacy := s.legacyHeaders()
	h := w.Header()
	// limits writes the 429 headers of the requested model's row (nothing
	// for an unknown key): the request pair, or every window with set
	// headersAll. Only 429s carry rate-limit headers.
	limits := func(set headerSet, edit func(*snapshot)) {
		if !known && edit == nil {
			return
		}
		snap := s.lim.peek(ws, s.rowModel(requestedModel(r)), s.now())
		if edit != nil {
			edit(&snap)
		}
		setRateLimitHeaders(h, snap, legacy, set)
	}
	retryAfter := func() {
		if f.RetryAfter > 0 {
			h.Set(mistralapi.HeaderRetryAfter, strconv.Itoa(f.RetryAfter))
		}
	}
	switch f.Mode {
	case Fault429Code1300:
		set := headersRequests
		if legacy {
			set = headersAll
		}
		limits(set, func(sn *snapshot) {
			sn.reqRemaining = 0
			if legacy {
				sn.tokMinRemaining = 0
			}
		})
		retryAfter()
		writeBody(w, http.StatusTooManyRequests, BodyRateLimit)
	case Fault429Bare:
		retryAfter()
		writeBody(w, http.StatusTooManyRequests, BodyRateLimitBare)
	case Fault429ZeroAllowance:
		limits(headersRequests, func(sn *snapshot) {
			sn.reqLimit, sn.reqRemaining = 0, 0
		})
		if legacy {
			// The legacy names have no request pair: the current one says it.
			h.Set(mistralapi.HeaderLimitReqMinute, "0")
			h.Set(mistralapi.HeaderRemainingReqMinute, "0")
		}
		retryAfter()
		writeBody(w, http.StatusTooManyRequests, BodyRateLimit)
	case Fault429TokensMonth:
		limits(headersAll, func(sn *snapshot) {
			if sn.tokMonLimit < 0 {
				sn.tokMonLimit = DefaultTier.TokensPerMonth
			}
			sn.tokMonRemaining = 0
		})
		retryAfter()
		writeBody(w, http.StatusTooManyRequests, BodyRateLimit)
	case Fault429Capacity:
		writeBody(w, http.StatusTooManyRequests, BodyCapacityTier)
	case Fault429CapacityBackend:
		writeBody(w, http.StatusTooManyRequests, BodyCapacityBackend)
	case Fault503Capacity:
		writeBody(w, http.StatusServiceUnavailable, BodyCapacity)
	case Fault500:
		writeBody(w, http.StatusInternalServerError, BodyServerError)
	case Fault401:
		writeBody(w, http.StatusUnauthorized, BodyUnauthorized)
	case Fault401InvalidKey:
		writeBody(w, http.StatusUnauthorized, BodyInvalidAPIKey)
	case Fault402Budget:
		writeBody(w, http.StatusPaymentRequired, BodyBudgetExhausted)
	case Fault402SpendingLimit:
		writeBody(w, http.StatusPaymentRequired, BodySpendingLimit)
	case Fault403:
		writeBody(w, http.StatusForbidden, BodyForbidden)
	case Fault403Tier:
		writeBody(w, http.StatusForbidden, BodyTierNotAllowed)
	case Fault403Guardrail:
		writeBody(w, http.StatusForbidden, BodyGuardrail)
	case Fault403Labs:
		writeBody(w, http.StatusForbidden, BodyLabsModel)
	case Fault400:
		writeBody(w, http.StatusBadRequest, BodyMessageOrder)
	case Fault400ContextOverflow:
		writeBody(w, http.StatusBadRequest, BodyContextOverflow)
	case FaultInvalidModel:
		writeBody(w, http.StatusBadRequest, BodyInvalidModel(requestedModel(r)))
	case Fault404NoRoute:
		writeBody(w, http.StatusNotFound, BodyNoRoute)
	case Fault422:
		writeBody(w, http.StatusUnprocessableEntity, BodyExtraSeed)
	case Fault422Nested:
		writeBody(w, http.StatusUnprocessableEntity, BodyValidationNested)
	case FaultHang:
		select {
		case <-r.Context().Done():
		case <-s.done:
			// Closed: drop the connection rather than answer.
			panic(http.ErrAbortHandler)
		}
	case FaultReset:
		s.resetConnection(w)
	case FaultHugeBody:
		s.writeHugeBody(w, r)
	case FaultInvalidJSON:
		writeBody(w, http.StatusOK, invalidJSONBody)
	case FaultHTML:
		h.Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, htmlFaultBody)
	case FaultRedirectLoop:
		h.Set("Location", r.URL.RequestURI())
		w.WriteHeader(http.StatusFound)
	default:
		writeBody(w, http.StatusInternalServerError,
			`{"object":"error","message":"fakemistral: unknown fault mode","type":"server_error","param":null,"code":null}`)
	}
}

// requestedModel reads the "model" of a JSON request body, or the id of a
// /v1/models/{id} path, for the invalid_model message.
func requestedModel(r *http.Request) string {
	if id, ok := strings.CutPrefix(r.URL.Path, "/v1/models/"); ok && id != "" {
		return id
	}
	var body struct {
		Model string `json:"model"`
	}
	if r.Body != nil {
		_ = json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body)
	}
	if body.Model == "" {
		return "unknown"
	}
	return body.Model
}

// resetConnection sends the headers and part of the body, then resets the
// TCP connection (SO_LINGER 0, so the close sends an RST).
func (s *Server) resetConnection(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", "4096")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, resetPartialBody)
	rc := http.NewResponseController(w)
	_ = rc.Flush()
	conn, buf, err := rc.Hijack()
	if err != nil {
		// Not hijackable (HTTP/2): abort the stream instead.
		panic(http.ErrAbortHandler)
	}
	_ = buf.Flush()
	raw := conn
	if tc, ok := conn.(*tls.Conn); ok {
		// Close the TCP connection under TLS without a close_notify alert.
		raw = tc.NetConn()
	}
	if tcp, ok := raw.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = raw.Close()
}

// writeHugeBody streams a valid JSON object of HugeBodySize bytes from a
// 32 KiB buffer.
func (s *Server) writeHugeBody(w http.ResponseWriter, r *http.Request) {
	const prefix, suffix = `{"object":"list","data":[],"padding":"`, `"}`
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(HugeBodySize))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	if _, err := io.WriteString(w, prefix); err != nil {
		return
	}
	chunk := make([]byte, 32<<10)
	for i := range chunk {
		chunk[i] = 'a'
	}
	left := HugeBodySize - len(prefix) - len(suffix)
	for left > 0 {
		if s.stopped(r.Context()) {
			return
		}
		n := min(left, len(chunk))
		if _, err := w.Write(chunk[:n]); err != nil {
			return
		}
		left -= n
	}
	_, _ = io.WriteString(w, suffix)
}
