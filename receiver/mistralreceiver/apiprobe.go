package mistralreceiver // import "github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver"

import (
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"time"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
	"github.com/otelcol-mistral/otelcol-mistral/internal/outbound"
	"github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver/internal/metadata"
)

// exchange is what one request to La Plateforme produced.
type exchange struct {
	// Sent is true when the request was handed to the client.
	Sent bool
	// StatusCode is the HTTP status, 0 without a response.
	StatusCode int
	// Failure is nil when the probe succeeded.
	Failure *probeFailure
	// Duration and Phases time the exchange.
	Duration time.Duration
	Phases   phaseDurations
	// Cert is the server's leaf certificate, nil when none was seen.
	Cert *x509.Certificate
	// RateLimit holds the rate-limit headers of the response (La Plateforme
	// sends them only on non-streaming completions and 429s).
	RateLimit    mistralapi.RateLimit
	HasResponse  bool
	responseTime time.Time
}

// fail records a failure.
func (e *exchange) fail(t metadata.AttributeErrorType, err error) {
	e.Failure = &probeFailure{Type: t, Err: err}
}

// rateLimited reports whether the answer says the caller's limit or budget
// is spent (rate_limit, quota_exhausted). A capacity 429 (code 3505) is the
// provider's shortage, not our budget: it does not count.
func (e *exchange) rateLimited() bool {
	return e.Failure != nil && e.HasResponse &&
		(e.Failure.Type == metadata.AttributeErrorTypeRateLimit || e.Failure.Type == metadata.AttributeErrorTypeQuotaExhausted)
}

// modelsResult is the outcome of the models probe.
type modelsResult struct {
	exchange
	// Catalogue is valid when HasCatalogue.
	Catalogue    catalogue
	HasCatalogue bool
}

// newAPIRequest builds a request to La Plateforme with the API key. The
// key is set here, per request, and only on requests to `endpoint`.
func (s *mistralScraper) newAPIRequest(ctx context.Context, method, url string, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return nil, err
	}
	if s.authorization != "" { // else headers or an auth extension set it
		req.Header.Set("Authorization", string(s.authorization))
	}
	req.Header.Set("User-Agent", s.userAgent)
	return req, nil
}

// send runs the request with a phase trace. The caller closes the body.
func (s *mistralScraper) send(client *http.Client, req *http.Request, ex *exchange) (*http.Response, *phaseTracker, error) {
	tr := newPhaseTracker()
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), tr.trace()))
	tr.begin()
	ex.Sent = true
	resp, err := client.Do(req)
	if err != nil {
		tr.finish()
		ex.Cert = certFromError(err)
		if ex.Cert == nil {
			ex.Cert = tr.certificate()
		}
		return nil, tr, err
	}
	ex.HasResponse = true
	ex.StatusCode = resp.StatusCode
	ex.Cert = leafCert(resp.TLS)
	ex.responseTime = s.clock()
	ex.RateLimit = mistralapi.ParseRateLimitHTTP(resp.Header, ex.responseTime)
	return resp, tr, nil
}

// fetch sends req and reads the whole answer, bounded by max_body_size,
// timing the exchange into ex. A transport or body error, or a status outside
// 2xx, fails ex; a status is classified with the rate limits the answer names
// when ownLimits (La Plateforme's headers), without them for another
// provider. It returns the response (nil when none came) and, for a 2xx, its
// body; label names the request in errors ("GET /v1/models").
func (s *mistralScraper) fetch(ctx context.Context, client *http.Client, req *http.Request, ex *exchange, label string, ownLimits bool) (*http.Response, []byte) {
	resp, tr, err := s.send(client, req, ex)
	defer func() { ex.Duration, ex.Phases = tr.total(), tr.durations() }()
	if err != nil {
		ex.fail(classifyError(ctx, err, tr), err)
		return nil, nil
	}
	body, err := outbound.ReadBody(resp.Body, s.cfg.MaxBodySize)
	_ = resp.Body.Close()
	tr.finish()
	if err != nil {
		ex.fail(classifyError(ctx, err, tr), err)
		return resp, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		var rl mistralapi.RateLimit
		if ownLimits {
			rl = ex.RateLimit
		}
		ex.fail(classifyStatus(resp.StatusCode, body, rl), fmt.Errorf("%s: HTTP %d", label, resp.StatusCode))
		return resp, nil
	}
	return resp, body
}

// probeModels runs GET /v1/models, bounded by timeout. Its answer carries no
// rate-limit headers: it tells reachability, latency, the key and the
// catalogue, never the headroom (see probeChat).
func (s *mistralScraper) probeModels(ctx context.Context) (res modelsResult) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.probeTimeout())
	defer cancel()

	req, err := s.newAPIRequest(ctx, http.MethodGet, s.modelsURL, http.NoBody)
	if err != nil {
		res.fail(metadata.AttributeErrorTypeOther, err)
		return res
	}
	req.Header.Set("Accept", "application/json")
	_, body := s.fetch(ctx, s.apiClient, req, &res.exchange, "GET /v1/models", true)
	if res.Failure != nil {
		return res
	}
	cat, err := parseCatalogue(body)
	if err != nil {
		res.fail(metadata.AttributeErrorTypeInvalidBody, fmt.Errorf("GET /v1/models: %w", err))
		return res
	}
	res.Catalogue, res.HasCatalogue = cat, true
	return res
}
