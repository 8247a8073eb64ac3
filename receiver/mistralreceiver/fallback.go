package mistralreceiver // import "github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver"

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/otelcol-mistral/otelcol-mistral/internal/outbound"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver/internal/metadata"
)

// anthropicVersion is the API version Anthropic requires on every request.
const anthropicVersion = "2023-06-01"

// fallbackTarget is one configured fallback provider.
type fallbackTarget struct {
	cfg       *FallbackConfig
	kind      metadata.AttributeMistralFallbackKind
	modelsURL string
	host      string
	timeout   time.Duration
	// keyValue is the value of the kind's key header (keyHeader), "" when
	// headers or an auth extension carry the key. Opaque: prints redacted.
	keyHeader string
	keyValue  configopaque.String
	redact    redactor
	client    *http.Client
}

// fallbackResult is the outcome of one readiness probe.
type fallbackResult struct {
	exchange
	limits []fallbackLimit
}

// newFallbackTargets prepares the configured fallbacks; clients are made in
// startFallbacks.
func newFallbackTargets(cfg *Config) []*fallbackTarget {
	out := make([]*fallbackTarget, 0, len(cfg.Fallbacks))
	for i := range cfg.Fallbacks {
		f := &cfg.Fallbacks[i]
		endpoint := f.endpoint()
		t := &fallbackTarget{
			cfg:       f,
			kind:      metadata.MapAttributeMistralFallbackKind[f.Kind],
			modelsURL: strings.TrimRight(endpoint, "/") + "/v1/models",
			timeout:   f.Timeout,
			keyHeader: f.keyHeader(),
			redact:    redactor{secret: string(f.APIKey)},
		}
		if t.timeout <= 0 {
			t.timeout = cfg.probeTimeout()
		}
		if u, err := url.Parse(endpoint); err == nil {
			t.host = u.Hostname()
		}
		switch {
		case f.APIKey == "":
		case f.Kind == fallbackAnthropic:
			t.keyValue = f.APIKey
		default:
			t.keyValue = "Bearer " + f.APIKey
		}
		out = append(out, t)
	}
	// Fallbacks on the same host share one resource: keep them adjacent.
	slices.SortStableFunc(out, func(a, b *fallbackTarget) int { return strings.Compare(a.host, b.host) })
	return out
}

// startFallbacks builds each fallback's HTTP client from its own settings.
func (s *mistralScraper) startFallbacks(ctx context.Context, host component.Host) error {
	for _, t := range s.fallbacks {
		c, err := t.cfg.ToClient(ctx, host.GetExtensions(), s.set.TelemetrySettings)
		if err != nil {
			return fmt.Errorf("fallbacks %q: %w", t.cfg.Name, err)
		}
		c.Timeout = 0
		// The key never follows a redirect to another origin.
		c.CheckRedirect = outbound.RedirectPolicy(true)
		t.client = c
		s.httpClients = append(s.httpClients, c)
	}
	return nil
}

// runFallbacks starts the readiness probes on wg; the results are valid
// once wg is done.
func (s *mistralScraper) runFallbacks(ctx context.Context, wg *sync.WaitGroup) []fallbackResult {
	res := make([]fallbackResult, len(s.fallbacks))
	for i, t := range s.fallbacks {
		if t.client == nil {
			res[i].fail(metadata.AttributeErrorTypeOther, errNotStarted)
			continue
		}
		wg.Go(func() { res[i] = s.probeFallback(ctx, t) })
	}
	return res
}

// probeFallback lists the provider's models with its key, bounded by its
// timeout. The key goes in the kind's header, to this endpoint only.
func (s *mistralScraper) probeFallback(ctx context.Context, t *fallbackTarget) (res fallbackResult) {
	ctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.modelsURL, http.NoBody)
	if err != nil {
		res.fail(metadata.AttributeErrorTypeOther, err)
		return res
	}
	if t.keyValue != "" {
		req.Header.Set(t.keyHeader, string(t.keyValue))
	}
	if t.cfg.Kind == fallbackAnthropic {
		req.Header.Set("anthropic-version", anthropicVersion)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", s.userAgent)
	// Another provider's headers are not La Plateforme's: classified without them.
	resp, body := s.fetch(ctx, t.client, req, &res.exchange, "GET /v1/models", false)
	if resp != nil {
		res.limits = parseFallbackLimits(t.cfg.Kind, resp.Header, res.responseTime)
	}
	if res.Failure != nil {
		return res
	}
	var list struct {
		Data *[]json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &list); err != nil || list.Data == nil {
		res.fail(metadata.AttributeErrorTypeInvalidBody, fmt.Errorf("GET /v1/models: %w", errInvalidBody))
	}
	return res
}

// recordFallbacks records each fallback's readiness on the resource of its
// host (server.address = the provider's host name).
func (s *mistralScraper) recordFallbacks(ts pcommon.Timestamp, res []fallbackResult) {
	for i, t := range s.fallbacks {
		r := res[i]
		name := t.cfg.Name
		if r.Failure != nil {
			s.logs.report("fallback/"+name, r.Failure.Type.String(), s.redact.message(errorString(t.redact.message(r.Failure.Err))))
		} else {
			s.logs.report("fallback/"+name, "", "")
		}
		s.mb.RecordMistralFallbackProbeSuccessDataPoint(ts, boolGauge(r.Failure == nil), name, t.kind)
		s.mb.RecordMistralFallbackProbeStatusCodeDataPoint(ts, int64(r.StatusCode), name, t.kind)
		for _, v := range errorTypes {
			s.mb.RecordMistralFallbackProbeErrorDataPoint(ts, boolGauge(r.Failure != nil && r.Failure.Type == v), name, t.kind, v)
		}
		if r.Sent {
			s.mb.RecordMistralFallbackProbeDurationDataPoint(ts, r.Duration.Seconds(), name, t.kind)
		}
		for _, l := range r.limits {
			if l.limit.OK {
				s.mb.RecordMistralFallbackRatelimitLimitDataPoint(ts, l.limit.V, name, t.kind, l.resource)
			}
			if l.remaining.OK {
				s.mb.RecordMistralFallbackRatelimitRemainingDataPoint(ts, l.remaining.V, name, t.kind, l.resource)
			}
			if l.hasReset {
				s.mb.RecordMistralFallbackRatelimitResetDataPoint(ts, l.reset.Seconds(), name, t.kind, l.resource)
			}
		}
		if i+1 < len(s.fallbacks) && s.fallbacks[i+1].host == t.host {
			continue
		}
		rb := s.mb.NewResourceBuilder()
		if t.host != "" {
			rb.SetServerAddress(t.host)
		}
		s.mb.EmitForResource(metadata.WithResource(rb.Emit()))
	}
}

// errNotStarted: a probe of a receiver that was not started.
var errNotStarted = errors.New("the receiver was not started")

// errorString wraps an already redacted message as an error.
type errorString string

func (e errorString) Error() string { return string(e) }
