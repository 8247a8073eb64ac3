package fakemistral

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"sync"
	"time"
)

// Server is a fake La Plateforme: an API listener and a status-page listener.
// Create it with New, then either Start it or mount APIHandler and
// StatusHandler on httptest servers. All methods are safe for concurrent use.
type Server struct {
	opts Options
	now  func() time.Time
	log  *slog.Logger
	keys map[string]string

	tlsConfig *tls.Config
	caPEM     []byte
	certErr   error

	lim *limiter

	mu       sync.Mutex
	fault    Fault
	faultSeq int64
	models   []ModelCard
	pages    map[string]StatusPage
	legacy   bool
	reqs     []*Request
	counts   map[string]int

	apiHandler    http.Handler
	statusHandler http.Handler

	// Lifecycle: done is closed by Close; active counts running handlers.
	closeMu   sync.RWMutex
	closed    bool
	closeOnce sync.Once
	done      chan struct{}
	active    sync.WaitGroup

	srvMu     sync.Mutex
	started   bool
	apiSrv    *http.Server
	statusSrv *http.Server
	apiURL    string
	statusURL string
	serving   sync.WaitGroup
}

// New creates a Server. It generates the TLS certificates when opts.TLS asks
// for them; it does not listen until Start.
func New(opts Options) *Server {
	s := &Server{
		opts: opts,
		now:  opts.Now,
		log:  opts.Logger,
		done: make(chan struct{}),
	}
	if s.now == nil {
		s.now = time.Now
	}
	if opts.APIKeys == nil {
		s.keys = map[string]string{"test-key": "default"}
	} else {
		s.keys = maps.Clone(opts.APIKeys)
	}
	if opts.TLS != TLSNone {
		s.tlsConfig, s.caPEM, s.certErr = newTLSConfig(opts.TLS, time.Now())
	}
	s.lim = newLimiter(opts.Tier)
	s.resetState()
	s.apiHandler = s.track("api", s.newAPIMux())
	s.statusHandler = s.track("status", s.newStatusMux())
	return s
}

// resetState restores the fault, models, pages, header names and logs.
func (s *Server) resetState() {
	now := s.now()
	s.mu.Lock()
	s.fault, s.faultSeq = Fault{}, 0
	s.models = DefaultModels(now)
	s.pages = defaultPages()
	s.legacy = s.opts.LegacyHeaders
	s.reqs = nil
	s.counts = map[string]int{}
	s.mu.Unlock()
	s.lim.setTier(s.opts.Tier)
	s.lim.reset()
}

// Reset clears the fault, resets the limiter, the tier, the header names, the
// request log and counters, and restores the default models and status pages.
func (s *Server) Reset() { s.resetState() }

// SetTier changes the tier of every workspace (zero fields take DefaultTier's
// values, negative ones disable the limit). Usage already counted is kept.
func (s *Server) SetTier(t Tier) { s.lim.setTier(t) }

// CurrentTier returns the tier in force, defaults filled in.
func (s *Server) CurrentTier() Tier { return s.lim.getTier() }

// SetLegacyHeaders switches between the 2024 and the current rate-limit header names.
func (s *Server) SetLegacyHeaders(legacy bool) {
	s.mu.Lock()
	s.legacy = legacy
	s.mu.Unlock()
}

func (s *Server) legacyHeaders() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.legacy
}

// APIHandler serves the API (/v1/*) and the admin endpoints (/_fake/*).
func (s *Server) APIHandler() http.Handler { return s.apiHandler }

// StatusHandler serves the status pages under /{name}/.
func (s *Server) StatusHandler() http.Handler { return s.statusHandler }

// CACertPEM returns the PEM of the CA that signed the API's certificate, nil
// for TLSNone.
func (s *Server) CACertPEM() []byte {
	if s.caPEM == nil {
		return nil
	}
	return append([]byte(nil), s.caPEM...)
}

// TLSConfig returns the API listener's server TLS configuration (nil for TLSNone).
func (s *Server) TLSConfig() *tls.Config {
	if s.tlsConfig == nil {
		return nil
	}
	return s.tlsConfig.Clone()
}

// Start listens on the API address (TLS per Options.TLS) and on the status
// address (always plain HTTP). An empty address means 127.0.0.1:0.
func (s *Server) Start(apiAddr, statusAddr string) error {
	if s.certErr != nil {
		return fmt.Errorf("fakemistral: generating TLS certificates: %w", s.certErr)
	}
	s.srvMu.Lock()
	defer s.srvMu.Unlock()
	if s.started {
		return errors.New("fakemistral: server already started")
	}
	if s.isClosed() {
		return errors.New("fakemistral: server is closed")
	}
	if apiAddr == "" {
		apiAddr = "127.0.0.1:0"
	}
	if statusAddr == "" {
		statusAddr = "127.0.0.1:0"
	}
	apiLn, err := net.Listen("tcp", apiAddr)
	if err != nil {
		return fmt.Errorf("fakemistral: api listener on %q: %w", apiAddr, err)
	}
	statusLn, err := net.Listen("tcp", statusAddr)
	if err != nil {
		apiLn.Close()
		return fmt.Errorf("fakemistral: status listener on %q: %w", statusAddr, err)
	}
	scheme := "http"
	if s.tlsConfig != nil {
		scheme = "https"
		apiLn = tls.NewListener(apiLn, s.tlsConfig)
	}
	s.apiURL = scheme + "://" + loopbackAddr(apiLn.Addr())
	s.statusURL = "http://" + loopbackAddr(statusLn.Addr())
	s.apiSrv = s.newHTTPServer(s.apiHandler)
	s.statusSrv = s.newHTTPServer(s.statusHandler)
	s.started = true
	for _, p := range []struct {
		srv *http.Server
		ln  net.Listener
	}{{s.apiSrv, apiLn}, {s.statusSrv, statusLn}} {
		s.serving.Add(1)
		go func() {
			defer s.serving.Done()
			_ = p.srv.Serve(p.ln)
		}()
	}
	return nil
}

func (s *Server) newHTTPServer(h http.Handler) *http.Server {
	errLog := log.New(io.Discard, "", 0)
	if s.log != nil {
		errLog = slog.NewLogLogger(s.log.Handler(), slog.LevelDebug)
	}
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          errLog,
		// HTTP/1.1 only: the reset fault hijacks connections.
		TLSNextProto: map[string]func(*http.Server, *tls.Conn, http.Handler){},
	}
}

// loopbackAddr prints a listener address, an unspecified IP as 127.0.0.1.
func loopbackAddr(a net.Addr) string {
	if tcp, ok := a.(*net.TCPAddr); ok && (tcp.IP == nil || tcp.IP.IsUnspecified()) {
		return net.JoinHostPort("127.0.0.1", fmt.Sprint(tcp.Port))
	}
	return a.String()
}

// URL is the API base URL without /v1, e.g. "https://127.0.0.1:41234";
// empty before Start.
func (s *Server) URL() string {
	s.srvMu.Lock()
	defer s.srvMu.Unlock()
	return s.apiURL
}

// StatusURL is the status listener's base URL, e.g. "http://127.0.0.1:41235";
// a page's URL is StatusURL()+"/"+name. Empty before Start.
func (s *Server) StatusURL() string {
	s.srvMu.Lock()
	defer s.srvMu.Unlock()
	return s.statusURL
}

// closeWait bounds how long Close waits for handlers to return.
const closeWait = 5 * time.Second

// Close closes the listeners and their connections, releases hanging and
// delayed requests, and waits (up to 5 s) for every handler to return. It is
// safe to call more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.closeMu.Lock()
		s.closed = true
		s.closeMu.Unlock()

		// Close the connections first, so that a released hang cannot
		// answer, then release what still waits (handlers mounted elsewhere).
		s.srvMu.Lock()
		for _, srv := range []*http.Server{s.apiSrv, s.statusSrv} {
			if srv != nil {
				_ = srv.Close()
			}
		}
		s.srvMu.Unlock()
		s.serving.Wait()
		close(s.done)

		idle := make(chan struct{})
		go func() {
			s.active.Wait()
			close(idle)
		}()
		t := time.NewTimer(closeWait)
		defer t.Stop()
		select {
		case <-idle:
		case <-t.C:
		}
	})
}

func (s *Server) isClosed() bool {
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	return s.closed
}

// enter registers a running handler; false once the server is closed.
func (s *Server) enter() bool {
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		return false
	}
	s.active.Add(1)
	return true
}

// wait sleeps for d; false if the request or the server ended first.
func (s *Server) wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
	case <-s.done:
	}
	return false
}

// stopped reports whether the request or the server has ended.
func (s *Server) stopped(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return true
	case <-s.done:
		return true
	default:
		return false
	}
}
