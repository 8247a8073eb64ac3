package fakemistral

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// ProviderKind selects which fallback provider a Provider imitates.
type ProviderKind string

// Provider kinds.
const (
	// ProviderOpenAI serves OpenAI's GET /v1/models with bearer-key auth.
	ProviderOpenAI ProviderKind = "openai"
	// ProviderAnthropic serves Anthropic's GET /v1/models with x-api-key
	// auth and a required anthropic-version header.
	ProviderAnthropic ProviderKind = "anthropic"
)

// ProviderMode is the state of a fallback provider's account, switched at
// run time (SetMode, POST /_fake/mode).
type ProviderMode string

// Provider modes. Each answers GET /v1/models with the provider's real
// status and body (see README.md, "Fallback providers").
const (
	// ProviderOK lists the models.
	ProviderOK ProviderMode = ""
	// ProviderRevokedKey rejects every key with 401, as for a revoked key.
	ProviderRevokedKey ProviderMode = "revoked_key"
	// ProviderQuota answers as a spent account: OpenAI 429
	// insufficient_quota, Anthropic 400 "credit balance is too low".
	ProviderQuota ProviderMode = "quota"
	// ProviderRateLimit answers 429 with the provider's rate-limit headers
	// at 0 remaining and retry-after.
	ProviderRateLimit ProviderMode = "rate_limit"
	// ProviderOverloaded answers Anthropic's 529 overloaded_error, OpenAI's
	// 503.
	ProviderOverloaded ProviderMode = "overloaded"
)

var providerModes = []ProviderMode{ProviderOK, ProviderRevokedKey, ProviderQuota, ProviderRateLimit, ProviderOverloaded}

// ProviderOptions configure a Provider.
type ProviderOptions struct {
	Kind ProviderKind
	// APIKeys are the accepted keys. Default: "test-openai-key" or
	// "test-anthropic-key".
	APIKeys []string
	// Now is the clock of the reset headers (default time.Now).
	Now func() time.Time
}

// ProviderRequest is one entry of a Provider's request log. The key
// headers are kept raw so that tests can tell where a key was sent.
type ProviderRequest struct {
	Method, Path, Host string
	// Authorization and APIKey are the Authorization and x-api-key values.
	Authorization, APIKey string
	Status                int
}

// Provider is a fake fallback provider (OpenAI or Anthropic) on a listener
// of its own, 127.0.0.1 plain HTTP. Admin endpoints: GET/POST /_fake/mode
// {"mode":"revoked_key"}, GET /_fake/requests, POST /_fake/reset.
type Provider struct {
	opts ProviderOptions
	now  func() time.Time

	mu   sync.Mutex
	mode ProviderMode
	reqs []ProviderRequest

	srv     *http.Server
	url     string
	serving sync.WaitGroup
}

// NewProvider creates a Provider; Start listens.
func NewProvider(opts ProviderOptions) *Provider {
	if opts.APIKeys == nil {
		opts.APIKeys = []string{"test-" + string(opts.Kind) + "-key"}
	}
	p := &Provider{opts: opts, now: opts.Now}
	if p.now == nil {
		p.now = time.Now
	}
	return p
}

// Start listens on addr ("" = 127.0.0.1:0).
func (p *Provider) Start(addr string) error {
	if p.opts.Kind != ProviderOpenAI && p.opts.Kind != ProviderAnthropic {
		return fmt.Errorf("fakemistral: unknown provider kind %q (want openai or anthropic)", p.opts.Kind)
	}
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("fakemistral: %s listener on %q: %w", p.opts.Kind, addr, err)
	}
	p.url = "http://" + loopbackAddr(ln.Addr())
	p.srv = &http.Server{Handler: p.Handler(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
	p.serving.Add(1)
	go func() {
		defer p.serving.Done()
		_ = p.srv.Serve(ln)
	}()
	return nil
}

// URL is the base URL without /v1, e.g. "http://127.0.0.1:41236".
func (p *Provider) URL() string { return p.url }

// Close stops the listener and waits for it.
func (p *Provider) Close() {
	if p.srv != nil {
		_ = p.srv.Close()
		p.serving.Wait()
	}
}

// SetMode switches the account's state.
func (p *Provider) SetMode(m ProviderMode) error {
	if !slices.Contains(providerModes, m) {
		return fmt.Errorf("unknown mode %q (want \"\", revoked_key, quota, rate_limit or overloaded)", m)
	}
	p.mu.Lock()
	p.mode = m
	p.mu.Unlock()
	return nil
}

// Mode returns the current mode.
func (p *Provider) Mode() ProviderMode {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.mode
}

// Requests returns a copy of the request log (admin requests excluded).
func (p *Provider) Requests() []ProviderRequest {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.reqs)
}

// Handler serves /v1/models and the admin endpoints.
func (p *Provider) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/", func(w http.ResponseWriter, r *http.Request) {
		rw := &statusWriter{ResponseWriter: w}
		p.serveV1(rw, r)
		p.mu.Lock()
		p.reqs = append(p.reqs, ProviderRequest{Method: r.Method, Path: r.URL.Path, Host: r.Host,
			Authorization: r.Header.Get("Authorization"), APIKey: r.Header.Get("X-Api-Key"), Status: rw.status})
		p.mu.Unlock()
	})
	mux.HandleFunc("GET /_fake/mode", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]ProviderMode{"mode": p.Mode()})
	})
	mux.HandleFunc("POST /_fake/mode", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Mode ProviderMode `json:"mode"`
		}
		if !decodeAdmin(w, r, &body) {
			return
		}
		if err := p.SetMode(body.Mode); err != nil {
			adminError(w, http.StatusBadRequest, err.Error())
			return
		}
		writeJSON(w, http.StatusOK, body)
	})
	mux.HandleFunc("GET /_fake/requests", func(w http.ResponseWriter, _ *http.Request) {
		type entry struct {
			Method     string `json:"method"`
			Path       string `json:"path"`
			Host       string `json:"host"`
			Status     int    `json:"status"`
			HasKey     bool   `json:"has_key"`
			KeySHA256  string `json:"key_sha256,omitempty"`
			AuthSHA256 string `json:"auth_sha256,omitempty"`
		}
		var out []entry
		for _, r := range p.Requests() {
			out = append(out, entry{Method: r.Method, Path: r.Path, Host: r.Host, Status: r.Status,
				HasKey: r.Authorization != "" || r.APIKey != "", KeySHA256: AuthFingerprint(r.APIKey),
				AuthSHA256: AuthFingerprint(r.Authorization)})
		}
		writeJSON(w, http.StatusOK, out)
	})
	mux.HandleFunc("POST /_fake/reset", func(w http.ResponseWriter, _ *http.Request) {
		p.mu.Lock()
		p.mode, p.reqs = ProviderOK, nil
		p.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		http.NotFound(w, nil)
	})
	return mux
}

func (p *Provider) serveV1(w http.ResponseWriter, r *http.Request) {
	if p.opts.Kind == ProviderAnthropic {
		p.serveAnthropic(w, r)
		return
	}
	p.serveOpenAI(w, r)
}

// key returns the request's key as the kind sends it, and whether it is
// one of the accepted keys.
func (p *Provider) key(r *http.Request) (string, bool) {
	var key string
	if p.opts.Kind == ProviderAnthropic {
		key = r.Header.Get("X-Api-Key")
	} else if scheme, k, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "Bearer") {
		key = strings.TrimSpace(k)
	}
	return key, key != "" && slices.Contains(p.opts.APIKeys, key)
}
