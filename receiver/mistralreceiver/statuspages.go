package mistralreceiver // import "github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver"

import (
	"context"
	"fmt"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configoptional"

	"github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver/internal/statuspage"
)

// statusPageTarget is one configured status page and its client.
type statusPageTarget struct {
	cfg    StatusPageConfig
	format statuspage.Format
	// client remembers the format auto-detection found, sparing the page
	// the probing of every endpoint on each scrape.
	client *statuspage.Client
}

// statusPageResult is the outcome of reading one page.
type statusPageResult struct {
	snapshot statuspage.Snapshot
	err      error
}

// validateStatusPageFormat checks a status page's format ("" is auto).
func validateStatusPageFormat(s string) error {
	_, err := statuspage.ParseFormat(s)
	return err
}

// startStatusPages builds one HTTP client per page. The clients come from
// confighttp with the API client's proxy_url and the page's own tls, and
// without the API's headers, auth or key: nothing of La Plateforme's
// credentials ever reaches a status page.
func (s *mistralScraper) startStatusPages(ctx context.Context, host component.Host) error {
	s.pages = s.pages[:0]
	for _, sp := range s.cfg.StatusPages {
		hc := confighttp.NewDefaultClientConfig()
		hc.ProxyURL = s.cfg.ProxyURL
		hc.TLS = sp.TLS
		hc.Keepalive = configoptional.None[confighttp.KeepaliveClientConfig]()
		client, err := hc.ToClient(ctx, host.GetExtensions(), s.set.TelemetrySettings)
		if err != nil {
			return fmt.Errorf("status_pages %q: %w", sp.Name, err)
		}
		s.httpClients = append(s.httpClients, client)
		f := statuspage.FormatAuto
		if sp.Format != "" {
			if f, err = statuspage.ParseFormat(sp.Format); err != nil {
				return fmt.Errorf("status_pages %q: %w", sp.Name, err)
			}
		}
		s.pages = append(s.pages, &statusPageTarget{
			cfg:    sp,
			format: f,
			client: statuspage.NewClient(client, s.cfg.MaxBodySize),
		})
	}
	return nil
}

// fetchStatusPage reads one page, bounded by timeout.
func (s *mistralScraper) fetchStatusPage(ctx context.Context, t *statusPageTarget) statusPageResult {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.probeTimeout())
	defer cancel()
	snap, err := t.client.Fetch(ctx, t.cfg.Endpoint, t.format)
	return statusPageResult{snapshot: snap, err: err}
}
