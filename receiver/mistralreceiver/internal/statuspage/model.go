package statuspage

import "strings"

// Snapshot is the normalised view of one status page, whatever its format.
type Snapshot struct {
	// Format is the concrete format read (never FormatAuto).
	Format Format
	// Indicator is the page's overall indicator. Feeds do not have one: it is
	// derived from the open incidents (none when none is open; maintenance
	// when only a maintenance is in progress).
	Indicator Indicator
	// Components lists the page's components, group components excluded.
	// Empty when the format has none (feeds and Rootly pages that list no
	// affected services).
	Components []Component
	// Incidents lists the OPEN incidents (not resolved, not postmortem),
	// one entry per incident.
	Incidents []Incident
	// Maintenances lists the maintenances in progress and upcoming.
	Maintenances []Maintenance
	// Partial is true when a secondary document could not be read and the
	// snapshot was built from the primary one alone: incident.io's
	// components.json (Components then come from the partial summary) or
	// Rootly's incidents.json (Incidents then empty).
	Partial bool
}

// Indicator is a page's overall status.
type Indicator string

// The indicators, from best to worst.
const (
	IndicatorNone        Indicator = "none"
	IndicatorMaintenance Indicator = "maintenance"
	IndicatorMinor       Indicator = "minor"
	IndicatorMajor       Indicator = "major"
	IndicatorCritical    Indicator = "critical"
)

// Indicators lists every Indicator in Severity order.
var indicators = []Indicator{IndicatorNone, IndicatorMaintenance, IndicatorMinor, IndicatorMajor, IndicatorCritical}

// Severity maps the indicator to 0..4: none 0, maintenance 1, minor 2,
// major 3, critical 4. A value that is not one of the constants (which the
// parsers never produce) counts as minor, 2.
func (i Indicator) Severity() int {
	switch i {
	case IndicatorNone:
		return 0
	case IndicatorMaintenance:
		return 1
	case IndicatorMinor:
		return 2
	case IndicatorMajor:
		return 3
	case IndicatorCritical:
		return 4
	}
	return 2
}

// ComponentStatus is the status of one component.
type ComponentStatus string

// The component statuses, from best to worst.
const (
	StatusOperational         ComponentStatus = "operational"
	StatusUnderMaintenance    ComponentStatus = "under_maintenance"
	StatusDegradedPerformance ComponentStatus = "degraded_performance"
	StatusPartialOutage       ComponentStatus = "partial_outage"
	StatusMajorOutage         ComponentStatus = "major_outage"
)

// ComponentStatuses lists every ComponentStatus in Severity order.
var componentStatuses = []ComponentStatus{
	StatusOperational, StatusUnderMaintenance, StatusDegradedPerformance, StatusPartialOutage, StatusMajorOutage,
}

// Severity maps the status to 0..4: operational 0, under_maintenance 1,
// degraded_performance 2, partial_outage 3, major_outage 4. A value that is
// not one of the constants (which the parsers never produce) counts as
// degraded_performance, 2.
func (c ComponentStatus) Severity() int {
	switch c {
	case StatusOperational:
		return 0
	case StatusUnderMaintenance:
		return 1
	case StatusDegradedPerformance:
		return 2
	case StatusPartialOutage:
		return 3
	case StatusMajorOutage:
		return 4
	}
	return 2
}

// Component is one component of a page.
type Component struct {
	// Name is the component's name as the page shows it.
	Name string
	// Group is the name of the group component it belongs to, "" if none.
	Group string
	// Status is the normalised status (see normalizeComponentStatus).
	Status ComponentStatus
}

// The incident impacts.
const (
	ImpactNone     = "none"
	ImpactMinor    = "minor"
	ImpactMajor    = "major"
	ImpactCritical = "critical"
)

// Impacts lists every incident impact, from least to most severe.
var impacts = []string{ImpactNone, ImpactMinor, ImpactMajor, ImpactCritical}

// Incident is one open incident.
type Incident struct {
	// ID is the page's identifier of the incident (feeds: the guid or Atom id).
	ID string
	// Name is the incident's title.
	Name string
	// Impact is one of impacts: see normalizeImpact, and feedimpact.go for
	// feeds.
	Impact string
	// Status is the incident's newest status, lower case with underscores
	// (investigating, identified, monitoring, ...).
	Status string
	// Components names the components the incident affects.
	Components []string
}

// The maintenance states.
const (
	MaintenanceInProgress = "in_progress"
	MaintenanceUpcoming   = "upcoming"
)

// Maintenance is one maintenance in progress or upcoming.
type Maintenance struct {
	// ID is the page's identifier of the maintenance.
	ID string
	// Name is the maintenance's title.
	Name string
	// State is MaintenanceInProgress or MaintenanceUpcoming.
	State string
}

// foldKey lowers s and removes spaces, hyphens and underscores, so that
// "Major Outage", "major-outage", "major_outage" and "MAJOROUTAGE" compare
// equal.
func foldKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		if r == ' ' || r == '-' || r == '_' || r == '\t' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// componentStatusWords maps the folded words (see foldKey) pages state a
// component's status with: the five Statuspage values in any spelling
// (Instatus writes MAJOROUTAGE), incident.io's full_outage and common
// synonyms.
var componentStatusWords = map[string]ComponentStatus{
	"operational": StatusOperational, "ok": StatusOperational, "up": StatusOperational, "available": StatusOperational,
	"normal": StatusOperational, "healthy": StatusOperational, "allsystemsoperational": StatusOperational,
	"undermaintenance": StatusUnderMaintenance, "maintenance": StatusUnderMaintenance,
	"inmaintenance": StatusUnderMaintenance, "scheduledmaintenance": StatusUnderMaintenance,
	"degradedperformance": StatusDegradedPerformance, "degraded": StatusDegradedPerformance,
	"degradation": StatusDegradedPerformance, "performanceissues": StatusDegradedPerformance,
	"affected": StatusDegradedPerformance, "minor": StatusDegradedPerformance,
	"partialoutage": StatusPartialOutage, "partial": StatusPartialOutage,
	"partiallyunavailable": StatusPartialOutage, "major": StatusPartialOutage,
	"majoroutage": StatusMajorOutage, "fulloutage": StatusMajorOutage, "outage": StatusMajorOutage,
	"down": StatusMajorOutage, "unavailable": StatusMajorOutage, "critical": StatusMajorOutage,
}

// normalizeComponentStatus maps a page's component status to a
// ComponentStatus (see componentStatusWords). Anything else, including the
// empty string, is degraded_performance: the page says something other than
// "operational" and the least alarming non-operational status is the honest
// reading.
func normalizeComponentStatus(s string) ComponentStatus {
	if v, ok := componentStatusWords[foldKey(s)]; ok {
		return v
	}
	return StatusDegradedPerformance
}

// normalizeIndicator maps a page's overall indicator to an Indicator. It
// accepts the five values in any case, and component-style words (operational:
// none, degraded: minor, partial_outage: major, major_outage, full_outage,
// outage: critical, under_maintenance: maintenance). The second result is
// false when s is empty or not recognised; the Indicator is then minor for a
// non-empty s and none for an empty one, and callers derive a better one.
func normalizeIndicator(s string) (Indicator, bool) {
	switch foldKey(s) {
	case "none", "operational", "ok", "up", "allsystemsoperational":
		return IndicatorNone, true
	case "maintenance", "undermaintenance":
		return IndicatorMaintenance, true
	case "minor", "degraded", "degradedperformance":
		return IndicatorMinor, true
	case "major", "partialoutage":
		return IndicatorMajor, true
	case "critical", "majoroutage", "fulloutage", "outage", "down":
		return IndicatorCritical, true
	case "":
		return IndicatorNone, false
	}
	return IndicatorMinor, false
}

// impactWords maps the folded words (see foldKey) pages state an impact
// with to one of impacts: Statuspage's and Rootly's values, incident.io's
// component-style words (degraded_performance: minor, partial_outage:
// major, full_outage: critical), severities (low and medium, as Checkly's
// MEDIUM: minor; high: major; SEV0 and SEV1: critical, SEV2: major, SEV3
// and SEV4: minor). "maintenance" is none: a maintenance is not an
// incident's harm.
var impactWords = map[string]string{
	"none": ImpactNone, "maintenance": ImpactNone,
	"minor": ImpactMinor, "degraded": ImpactMinor, "degradedperformance": ImpactMinor, "low": ImpactMinor,
	"medium": ImpactMinor, "sev3": ImpactMinor, "sev4": ImpactMinor,
	"major": ImpactMajor, "partialoutage": ImpactMajor, "partial": ImpactMajor, "high": ImpactMajor, "sev2": ImpactMajor,
	"critical": ImpactCritical, "majoroutage": ImpactCritical, "fulloutage": ImpactCritical, "outage": ImpactCritical,
	"sev0": ImpactCritical, "sev1": ImpactCritical,
}

// normalizeImpact maps an incident impact, as a page states it, to one of
// impacts (see impactWords). An empty or unrecognised impact is none: the
// receiver does not raise an impact the page did not state (the incident
// still counts, and its components carry their own status).
func normalizeImpact(s string) string {
	if v, ok := impactWords[foldKey(s)]; ok {
		return v
	}
	return ImpactNone
}

// impactIndicator is the page indicator an open incident of impact implies.
func impactIndicator(impact string) Indicator {
	switch impact {
	case ImpactNone:
		return IndicatorNone
	case ImpactMajor:
		return IndicatorMajor
	case ImpactCritical:
		return IndicatorCritical
	}
	return IndicatorMinor
}

// componentIndicator is the page indicator a component status implies.
func componentIndicator(c ComponentStatus) Indicator {
	switch c {
	case StatusOperational:
		return IndicatorNone
	case StatusUnderMaintenance:
		return IndicatorMaintenance
	case StatusPartialOutage:
		return IndicatorMajor
	case StatusMajorOutage:
		return IndicatorCritical
	}
	return IndicatorMinor
}

// deriveIndicator is the worst indicator implied by the snapshot's
// components, open incidents and maintenances in progress.
func deriveIndicator(s *Snapshot) Indicator {
	worst := IndicatorNone
	raise := func(i Indicator) {
		if i.Severity() > worst.Severity() {
			worst = i
		}
	}
	for _, c := range s.Components {
		raise(componentIndicator(c.Status))
	}
	for _, in := range s.Incidents {
		raise(impactIndicator(in.Impact))
	}
	for _, m := range s.Maintenances {
		if m.State == MaintenanceInProgress {
			raise(IndicatorMaintenance)
		}
	}
	return worst
}

// incidentClosed reports whether an incident status (any case) means the
// incident is over.
func incidentClosed(status string) bool {
	switch foldKey(status) {
	case "resolved", "postmortem", "completed", "closed", "cancelled", "canceled", "dismissed":
		return true
	}
	return false
}

// normalizeStatusWord lowers s and joins its words with underscores
// ("In Progress" becomes "in_progress").
func normalizeStatusWord(s string) string {
	f := strings.FieldsFunc(strings.ToLower(strings.TrimSpace(s)), func(r rune) bool {
		return r == ' ' || r == '-' || r == '_' || r == '\t' || r == '\n'
	})
	return strings.Join(f, "_")
}

// maintenanceState maps a maintenance status to MaintenanceInProgress or
// MaintenanceUpcoming; ok is false when the maintenance is over.
// Unrecognised statuses are upcoming, the less alarming reading.
func maintenanceState(status string) (state string, ok bool) {
	switch foldKey(status) {
	case "completed", "resolved", "cancelled", "canceled", "closed", "done", "finished":
		return "", false
	case "inprogress", "verifying", "started", "ongoing", "active", "underway", "identified", "monitoring", "investigating":
		return MaintenanceInProgress, true
	}
	return MaintenanceUpcoming, true
}

// addComponent appends c to list, or, when a component of the same name and
// group is already there, keeps the worse of the two statuses.
func addComponent(list []Component, c Component) []Component {
	for i := range list {
		if list[i].Name == c.Name && list[i].Group == c.Group {
			if c.Status.Severity() > list[i].Status.Severity() {
				list[i].Status = c.Status
			}
			return list
		}
	}
	return append(list, c)
}

// appendUnique appends s to list unless it is empty or already there.
func appendUnique(list []string, s string) []string {
	if s == "" {
		return list
	}
	for _, v := range list {
		if v == s {
			return list
		}
	}
	return append(list, s)
}
