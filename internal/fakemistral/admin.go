package fakemistral

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// registerAdmin mounts the control endpoints under /_fake/ (no auth, JSON).
// They are not logged and not counted.
func (s *Server) registerAdmin(mux *http.ServeMux) {
	mux.HandleFunc("GET /_fake/health", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	})
	mux.HandleFunc("GET /_fake/fault", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.CurrentFault())
	})
	mux.HandleFunc("POST /_fake/fault", func(w http.ResponseWriter, r *http.Request) {
		var f Fault
		if !decodeAdmin(w, r, &f) {
			return
		}
		s.SetFault(f)
		writeJSON(w, http.StatusOK, f)
	})
	mux.HandleFunc("GET /_fake/tier", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.CurrentTier())
	})
	mux.HandleFunc("POST /_fake/tier", func(w http.ResponseWriter, r *http.Request) {
		var t Tier
		if !decodeAdmin(w, r, &t) {
			return
		}
		if err := t.Validate(); err != nil {
			adminError(w, http.StatusBadRequest, err.Error())
			return
		}
		s.SetTier(t)
		writeJSON(w, http.StatusOK, s.CurrentTier())
	})
	mux.HandleFunc("POST /_fake/legacy-headers", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Enabled bool `json:"enabled"`
		}
		if !decodeAdmin(w, r, &body) {
			return
		}
		s.SetLegacyHeaders(body.Enabled)
		writeJSON(w, http.StatusOK, body)
	})
	mux.HandleFunc("GET /_fake/models", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.Models())
	})
	mux.HandleFunc("POST /_fake/models", func(w http.ResponseWriter, r *http.Request) {
		var cards []ModelCard
		if !decodeAdmin(w, r, &cards) {
			return
		}
		for i, c := range cards {
			if c.ID == "" {
				adminError(w, http.StatusBadRequest, fmt.Sprintf("models[%d].id is empty", i))
				return
			}
		}
		s.SetModels(cards)
		writeJSON(w, http.StatusOK, s.Models())
	})
	mux.HandleFunc("POST /_fake/models/deprecate", s.adminDeprecate)
	s.registerCatalogueAdmin(mux)
	mux.HandleFunc("POST /_fake/models/remove", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			ID string `json:"id"`
		}
		if !decodeAdmin(w, r, &body) {
			return
		}
		if err := s.RemoveModel(body.ID); err != nil {
			adminError(w, http.StatusNotFound, err.Error())
			return
		}
		writeJSON(w, http.StatusOK, s.Models())
	})
	mux.HandleFunc("GET /_fake/status", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.StatusPages())
	})
	mux.HandleFunc("POST /_fake/status/{name}", func(w http.ResponseWriter, r *http.Request) {
		var p StatusPage
		if !decodeAdmin(w, r, &p) {
			return
		}
		name := r.PathValue("name")
		if err := validPageName(name); err != nil {
			adminError(w, http.StatusBadRequest, err.Error())
			return
		}
		if err := p.Validate(); err != nil {
			adminError(w, http.StatusBadRequest, err.Error())
			return
		}
		s.SetStatusPage(name, p)
		writeJSON(w, http.StatusOK, p)
	})
	mux.HandleFunc("GET /_fake/requests", func(w http.ResponseWriter, _ *http.Request) {
		reqs := s.Requests()
		out := make([]adminRequest, len(reqs))
		for i, r := range reqs {
			out[i] = adminRequest{Time: r.Time, Listener: r.Listener, Method: r.Method, Path: r.Path,
				Query: r.Query, Host: r.Host, Status: r.Status, HasAuth: r.Authorization != "",
				AuthSHA256: AuthFingerprint(r.Authorization)}
		}
		writeJSON(w, http.StatusOK, out)
	})
	mux.HandleFunc("GET /_fake/count", func(w http.ResponseWriter, r *http.Request) {
		path := r.URL.Query().Get("path")
		if path == "" {
			adminError(w, http.StatusBadRequest, "query parameter path is required, e.g. ?path=/v1/models")
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"path": path, "count": s.CountRequests(path)})
	})
	mux.HandleFunc("POST /_fake/reset", func(w http.ResponseWriter, _ *http.Request) {
		s.Reset()
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	})
}

// adminRequest is a request log entry as GET /_fake/requests shows it: the
// Authorization value is replaced by has_auth and auth_sha256 (the first 12
// hex digits of its SHA-256, see AuthFingerprint).
type adminRequest struct {
	Time       time.Time `json:"time"`
	Listener   string    `json:"listener"`
	Method     string    `json:"method"`
	Path       string    `json:"path"`
	Query      string    `json:"query,omitempty"`
	Host       string    `json:"host"`
	Status     int       `json:"status"`
	HasAuth    bool      `json:"has_auth"`
	AuthSHA256 string    `json:"auth_sha256,omitempty"`
}

// adminDeprecate handles {"id":"mistral-small-2506","in":"240h","replacement":"mistral-small-2509"};
// "at" (RFC 3339) may replace "in", and "in" may be negative for a past date.
func (s *Server) adminDeprecate(w http.ResponseWriter, r *http.Request) {
	var body struct {
		ID          string `json:"id"`
		In          string `json:"in"`
		At          string `json:"at"`
		Replacement string `json:"replacement"`
	}
	if !decodeAdmin(w, r, &body) {
		return
	}
	var at time.Time
	switch {
	case body.At != "":
		t, err := time.Parse(time.RFC3339, body.At)
		if err != nil {
			adminError(w, http.StatusBadRequest, fmt.Sprintf("at %q is not an RFC 3339 time", body.At))
			return
		}
		at = t
	case body.In != "":
		d, err := time.ParseDuration(body.In)
		if err != nil {
			adminError(w, http.StatusBadRequest, fmt.Sprintf("in %q is not a duration such as \"240h\"", body.In))
			return
		}
		at = s.now().Add(d)
	default:
		adminError(w, http.StatusBadRequest, `one of "in" or "at" is required`)
		return
	}
	if err := s.DeprecateModel(body.ID, at, body.Replacement); err != nil {
		adminError(w, http.StatusNotFound, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, s.Models())
}

func decodeAdmin(w http.ResponseWriter, r *http.Request, v any) bool {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		adminError(w, http.StatusBadRequest, "reading body: "+err.Error())
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		adminError(w, http.StatusBadRequest, "invalid body: "+err.Error())
		return false
	}
	return true
}

func adminError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
