package mistralreceiver // import "github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver"

import (
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver/internal/metadata"
	"github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver/internal/statuspage"
)

// formatAttr maps a format to the attribute value.
func formatAttr(f statuspage.Format) metadata.AttributeMistralStatusPageFormat {
	if v, ok := metadata.MapAttributeMistralStatusPageFormat[string(f)]; ok {
		return v
	}
	return metadata.AttributeMistralStatusPageFormatUnknown
}

// impactAttr maps an incident impact (statuspage.Incident.Impact says
// which values it takes) to the attribute value.
func impactAttr(impact string) metadata.AttributeMistralStatusPageIncidentImpact {
	if v, ok := metadata.MapAttributeMistralStatusPageIncidentImpact[impact]; ok {
		return v
	}
	return metadata.AttributeMistralStatusPageIncidentImpactNone
}

// impacts, maintenanceStates and statusPageFormats are emitted in full, 0
// when none.
var (
	impacts           = enumValues(metadata.MapAttributeMistralStatusPageIncidentImpact)
	maintenanceStates = enumValues(metadata.MapAttributeMistralStatusPageMaintenanceState)
	statusPageFormats = enumValues(metadata.MapAttributeMistralStatusPageFormat)
)

// recordStatusPage records one page's metrics.
func (s *mistralScraper) recordStatusPage(ts pcommon.Timestamp, t *statusPageTarget, r statusPageResult) {
	name := t.cfg.Name
	if r.err != nil {
		format := metadata.AttributeMistralStatusPageFormatUnknown
		if t.format != statuspage.FormatAuto {
			format = formatAttr(t.format)
		}
		s.mb.RecordMistralStatusPageUpDataPoint(ts, 0, name)
		s.recordStatusPageFormat(ts, name, format)
		s.recordStatusPageErrors(ts, name, statusPageFailure(r.err), true)
		return
	}
	s.recordStatusPageErrors(ts, name, 0, false)
	snap := r.snapshot
	s.mb.RecordMistralStatusPageUpDataPoint(ts, 1, name)
	s.recordStatusPageFormat(ts, name, formatAttr(snap.Format))
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

	byImpact := make(map[metadata.AttributeMistralStatusPageIncidentImpact]int64, len(impacts))
	for _, inc := range snap.Incidents {
		byImpact[impactAttr(inc.Impact)]++
	}
	for _, imp := range impacts {
		s.mb.RecordMistralStatusPageIncidentsDataPoint(ts, byImpact[imp], name, imp)
	}
	byState := make(map[metadata.AttributeMistralStatusPageMaintenanceState]int64, len(maintenanceStates))
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

// recordStatusPageFormat records a page's format state set.
func (s *mistralScraper) recordStatusPageFormat(ts pcommon.Timestamp, name string, format metadata.AttributeMistralStatusPageFormat) {
	for _, v := range statusPageFormats {
		s.mb.RecordMistralStatusPageFormatDataPoint(ts, boolGauge(v == format), name, v)
	}
}
