package mistralreceiver // import "github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver"

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/receiver"
	"go.uber.org/zap"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
	"github.com/otelcol-mistral/otelcol-mistral/internal/outbound"
	"github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver/internal/metadata"
)

// mistralScraper runs the probes. scrape is called by one goroutine at a
// time (the scraper controller's); the state kept between scrapes is only
// touched there, after the probes of the scrape have returned.
type mistralScraper struct {
	cfg    *Config
	set    receiver.Settings
	logger *zap.Logger
	mb     *metadata.MetricsBuilder
	// clock is the wall clock of backoffs, deprecations, certificate expiry
	// and timestamps; tests replace it.
	clock func() time.Time
	// sleep waits between the models and the chat probe; tests replace it.
	sleep  func(ctx context.Context, d time.Duration) bool
	redact redactor

	apiOn         bool
	apiClient     *http.Client
	httpClients   []*http.Client
	modelsURL     string
	chatURL       string
	serverAddress string
	// authorization is "Bearer <key>", opaque so that it prints redacted.
	authorization configopaque.String
	userAgent     string
	pages         []*statusPageTarget
	fallbacks     []*fallbackTarget

	// probesCtx is cancelled by cancelProbes, which the receiver calls
	// before the scraper controller's Shutdown: that waits for the running
	// scrape, and the probes in flight must not make it wait for `timeout`.
	probesCtx    context.Context
	cancelProbes context.CancelFunc

	state     scrapeState
	catalogue catalogueState
	logs      stateLog
	join      joinState
}

// scrapeState is what the scraper remembers between scrapes.
type scrapeState struct {
	scrapes int64
	// chatPending is set when the chat probe is due and not yet run.
	chatPending bool
	lastChat    *chatResult
	// backoffUntil: no API call before it, after a 429.
	backoffUntil  time.Time
	backoffStatus int
	backoffType   metadata.AttributeErrorType
	// chatBackoffUntil: no chat probe before it, after a zero-allowance 429
	// (startBackoff).
	chatBackoffUntil time.Time
	// rateLimit is the last rate-limit headroom La Plateforme announced.
	rateLimit    mistralapi.RateLimit
	hasRateLimit bool
	// requests counts the requests sent, by probe kind.
	modelsRequests, chatRequests int64
}

func newScraper(cfg *Config, set receiver.Settings) *mistralScraper {
	ctx, cancel := context.WithCancel(context.Background())
	s := &mistralScraper{
		cfg:          cfg,
		set:          set,
		logger:       set.Logger,
		mb:           metadata.NewMetricsBuilder(cfg.MetricsBuilderConfig, set),
		clock:        timeNow,
		sleep:        sleepContext,
		redact:       redactor{secret: string(cfg.APIKey)},
		apiOn:        cfg.hasCredentials(),
		probesCtx:    ctx,
		cancelProbes: cancel,
	}
	s.logs = stateLog{logger: set.Logger, last: map[string]string{}}
	base := strings.TrimRight(cfg.Endpoint, "/")
	s.modelsURL = base + "/v1/models"
	s.chatURL = base + "/v1/chat/completions"
	if u, err := url.Parse(cfg.Endpoint); err == nil {
		s.serverAddress = u.Hostname()
	}
	if cfg.APIKey != "" {
		s.authorization = "Bearer " + cfg.APIKey
	}
	s.fallbacks = newFallbackTargets(cfg)
	s.userAgent = "otelcol-mistral"
	if v := set.BuildInfo.Version; v != "" {
		s.userAgent += "/" + v
	}
	return s
}

func (s *mistralScraper) start(ctx context.Context, host component.Host) error {
	if s.apiOn {
		c, err := s.cfg.ToClient(ctx, host.GetExtensions(), s.set.TelemetrySettings)
		if err != nil {
			return err
		}
		// Each probe bounds itself with a context; the client's own
		// timeout would only race with it.
		c.Timeout = 0
		c.CheckRedirect = outbound.RedirectPolicy(true)
		s.apiClient = c
		s.httpClients = append(s.httpClients, c)
	}
	s.startJoin(host)
	if err := s.startFallbacks(ctx, host); err != nil {
		return err
	}
	return s.startStatusPages(ctx, host)
}

// shutdown runs after the controller's last scrape has returned: it
// cancels the probes (a scrape the controller would still start gets no
// data) and closes the idle connections.
func (s *mistralScraper) shutdown(context.Context) error {
	s.cancelProbes()
	for _, c := range s.httpClients {
		c.CloseIdleConnections()
	}
	return nil
}

// probeResults gathers what one scrape's probes found.
type probeResults struct {
	models *modelsResult
	// chat is nil when the chat probe did not run.
	chat       *chatResult
	pages      []statusPageResult
	fallbacks  []fallbackResult
	backingOff bool
}

func (s *mistralScraper) scrape(ctx context.Context) (pmetric.Metrics, error) {
	if s.probesCtx.Err() != nil {
		return pmetric.NewMetrics(), nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(s.probesCtx, cancel)
	defer stop()

	res := s.runProbes(ctx)
	if s.probesCtx.Err() != nil {
		// Shutting down: the probes were cancelled, their results mean nothing.
		return pmetric.NewMetrics(), nil
	}
	return s.record(res), nil
}

// runProbes runs the due probes and waits for them. The status pages run
// concurrently with the API probes. The chat probe runs after the models
// probe, chat_probe.delay later: a workspace's limit counts requests per
// second (1/s on the free tier), and the monitor must not trip it itself.
// A 429 of the models probe cancels the chat probe of this scrape.
func (s *mistralScraper) runProbes(ctx context.Context) probeResults {
	st := &s.state
	now := s.clock()
	var res probeResults
	res.backingOff = s.apiOn && now.Before(st.backoffUntil)

	if s.apiOn && s.cfg.ChatProbe.Enabled && st.scrapes%int64(s.cfg.ChatProbe.Every) == 0 {
		st.chatPending = true
	}
	st.scrapes++

	var wg sync.WaitGroup
	if s.apiOn && s.apiClient != nil && !res.backingOff {
		runChat := st.chatPending && !now.Before(st.chatBackoffUntil)
		wg.Go(func() {
			m := s.probeModels(ctx)
			res.models = &m
			if !runChat || m.rateLimited() || !s.sleep(ctx, s.cfg.ChatProbe.Delay) {
				return
			}
			c := s.probeChat(ctx)
			res.chat = &c
		})
	}
	res.pages = make([]statusPageResult, len(s.pages))
	for i, t := range s.pages {
		wg.Go(func() { res.pages[i] = s.fetchStatusPage(ctx, t) })
	}
	res.fallbacks = s.runFallbacks(ctx, &wg)
	wg.Wait()

	if res.models != nil && res.models.Sent {
		st.modelsRequests++
	}
	if res.chat != nil {
		st.chatPending = false
		st.chatRequests += res.chat.requests()
	}
	return res
}

// sleepContext waits for d or until ctx ends; false when ctx ended.
func sleepContext(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// record turns the results into metrics and updates the state.
func (s *mistralScraper) record(res probeResults) pmetric.Metrics {
	now := s.clock()
	ts := pcommon.NewTimestampFromTime(now)

	if s.apiOn {
		s.recordAPI(ts, now, res)
		s.recordJoin(ts, now, res)
		rb := s.mb.NewResourceBuilder()
		if s.cfg.Workspace != "" {
			rb.SetMistralWorkspace(s.cfg.Workspace)
		}
		if s.serverAddress != "" {
			rb.SetServerAddress(s.serverAddress)
		}
		s.mb.EmitForResource(metadata.WithResource(rb.Emit()))
	}
	s.recordFallbacks(ts, res.fallbacks)

	// Status pages are facts about providers, not about the workspace: their
	// resource has no attributes, so that two receivers (two workspaces)
	// reading the same page produce the same series, not two copies.
	for i, t := range s.pages {
		r := res.pages[i]
		var state string
		if r.err != nil {
			state = statusPageFailure(r.err).String()
		}
		s.logs.report("status_page/"+t.cfg.Name, state, s.redact.message(r.err))
		s.recordStatusPage(ts, t, r)
	}
	return s.mb.Emit()
}
