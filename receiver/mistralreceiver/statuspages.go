package mistralreceiver // import "github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver"

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver/internal/metadata"
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
	if s == "" {
		return nil
	}
	if _, err := statuspage.ParseFormat(s); err != nil {
		return fmt.Errorf("unknown format %q (want auto, statuspage, incidentio, rootly, rss or atom)", s)
	}
	return nil
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

// statusPageFailure returns the error.type of a failed read.
func statusPageFailure(err error) metadata.AttributeStatusPageErrorType {
	var spErr *statuspage.Error
	if errors.As(err, &spErr) {
		if t, ok := metadata.MapAttributeStatusPageErrorType[string(spErr.Reason)]; ok {
			return t
		}
		return metadata.AttributeStatusPageErrorTypeHTTPStatus
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return metadata.AttributeStatusPageErrorTypeTimeout
	}
	return metadata.AttributeStatusPageErrorTypeConnection
}

// formatAttr maps a format to the attribute value.
func formatAttr(f statuspage.Format) metadata.AttributeMistralStatusPageFormat {
	if v, ok := metadata.MapAttributeMistralStatusPageFormat[string(f)]; ok {
		return v
	}
	return metadata.AttributeMistralStatusPageFormatUnknown
}

// impactAttr maps an incident impact; unknown impacts count as none.
func impactAttr(impact string) metadata.AttributeMistralStatusPageIncidentImpact {
	if v, ok := metadata.MapAttributeMistralStatusPageIncidentImpact[strings.ToLower(impact)]; ok {
		return v
	}
	return metadata.AttributeMistralStatusPageIncidentImpactNone
}

// impacts and maintenanceStates are emitted in full, 0 when none.
var (
	impacts = []metadata.AttributeMistralStatusPageIncidentImpact{
		metadata.AttributeMistralStatusPageIncidentImpactNone, metadata.AttributeMistralStatusPageIncidentImpactMinor,
		metadata.AttributeMistralStatusPageIncidentImpactMajor, metadata.AttributeMistralStatusPageIncidentImpactCritical,
	}
	maintenanceStates = []metadata.AttributeMistralStatusPageMaintenanceState{
		metadata.AttributeMistralStatusPageMaintenanceStateInProgress, metadata.AttributeMistralStatusPageMaintenanceStateUpcoming,
	}
)

// recordStatusPage records one page's metrics.
func (s *mistralScraper) recordStatusPage(ts pcommon.Timestamp, t *statusPageTarget, r statusPageResult) {
	name := t.cfg.Name
	if r.err != nil {
		format := metadata.AttributeMistralStatusPageFormatUnknown
		if t.format != statuspage.FormatAuto {
			format = formatAttr(t.format)
		}
		s.mb.RecordMistralStatusPageUpDataPoint(ts, 0, name, format)
		s.recordStatusPageErrors(ts, name, statusPageFailure(r.err), true)
		return
	}
	s.recordStatusPageErrors(ts, name, 0, false)
	snap := r.snapshot
	s.mb.RecordMistralStatusPageUpDataPoint(ts, 1, name, formatAttr(snap.Format))
	s.mb.RecordMistralStatusPageIndicatorDataPoint(ts, int64(snap.Indicator.Severity()), name)

	// A component listed twice (same name and group) reports its worst status.
	type key struct{ name, group string }
	worst := make(map[key]int, len(snap.Components))
	order := make([]key, 0, len(snap.Components))
	for _, c := range snap.Components {
		k := key{c.Name, c.Group}
		sev, seen := worst[k]
		if !seen {
			order = append(order, k)
		}
		if !seen || c.Status.Severity() > sev {
			worst[k] = c.Status.Severity()
		}
	}
	for _, k := range order {
		s.mb.RecordMistralStatusPageComponentStatusDataPoint(ts, int64(worst[k]), name, k.name, k.group)
	}

	var byImpact [5]int64
	for _, inc := range snap.Incidents {
		byImpact[impactAttr(inc.Impact)]++
	}
	for _, imp := range impacts {
		s.mb.RecordMistralStatusPageIncidentsDataPoint(ts, byImpact[imp], name, imp)
	}
	var byState [3]int64
	for _, m := range snap.Maintenances {
		if st, ok := metadata.MapAttributeMistralStatusPageMaintenanceState[m.State]; ok {
			byState[st]++
		}
	}
	for _, st := range maintenanceStates {
		s.mb.RecordMistralStatusPageMaintenancesDataPoint(ts, byState[st], name, st)
	}
}

// recordStatusPageErrors records a page's error state set (see errorTypes).
func (s *mistralScraper) recordStatusPageErrors(ts pcommon.Timestamp, name string, failed metadata.AttributeStatusPageErrorType, isFailure bool) {
	for _, v := range statusPageErrorTypes {
		s.mb.RecordMistralStatusPageErrorDataPoint(ts, boolGauge(isFailure && v == failed), name, v)
	}
}
