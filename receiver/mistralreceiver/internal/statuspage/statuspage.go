package statuspage

import (
	"github.com/otelcol-mistral/otelcol-mistral/internal/jsonraw"

	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Bounds on what one document may contribute to a Snapshot, so a hostile or
// broken page cannot explode the metric cardinality downstream.
const (
	maxComponents   = 1000
	maxIncidents    = 500
	maxMaintenances = 200
	maxNames        = 100 // components named by one incident
)

// Statuspage v2 (and incident.io's compatible) endpoints.
const (
	pathSummary    = "/api/v2/summary.json"
	pathComponents = "/api/v2/components.json"
)

// spSummary is the subset of a Statuspage v2 summary.json that is read.
type spSummary struct {
	Page                  json.RawMessage `json:"page"`
	Status                json.RawMessage `json:"status"`
	Components            []spComponent   `json:"components"`
	Incidents             []spIncident    `json:"incidents"`
	ScheduledMaintenances []spIncident    `json:"scheduled_maintenances"`

	page   spPage
	status spStatus
}

type spPage struct {
	ID   flexString `json:"id"`
	Name flexString `json:"name"`
	URL  flexString `json:"url"`
}

type spStatus struct {
	Indicator flexString `json:"indicator"`
}

type spComponent struct {
	ID      flexString `json:"id"`
	Name    flexString `json:"name"`
	Status  flexString `json:"status"`
	GroupID flexString `json:"group_id"`
	Group   flexString `json:"group"`
}

type spIncident struct {
	ID              flexString `json:"id"`
	Name            flexString `json:"name"`
	Status          flexString `json:"status"`
	Impact          flexString `json:"impact"`
	Components      []named    `json:"components"`
	IncidentUpdates []struct {
		Status             flexString `json:"status"`
		AffectedComponents []named    `json:"affected_components"`
	} `json:"incident_updates"`
}

// spComponentList is components.json: an object with a components array (the
// Statuspage shape) or a bare array.
type spComponentList struct {
	Components []spComponent
}

// decodeSummary decodes a summary.json and checks its shape: a JSON object
// with a "page" object and a "status" object.
func decodeSummary(b []byte) (*spSummary, error) {
	var s spSummary
	if err := decodeJSON(b, &s); err != nil {
		return nil, err
	}
	if err := decodePageStatus(s.Page, s.Status, &s.status); err != nil {
		return nil, err
	}
	if err := decodeJSON(s.Page, &s.page); err != nil {
		return nil, fmt.Errorf("page: %w", err)
	}
	return &s, nil
}

// decodePageStatus checks the shape Statuspage, incident.io and Rootly
// share ("page" and "status" objects) and decodes the status.
func decodePageStatus(page, status json.RawMessage, dst *spStatus) error {
	if !jsonraw.IsObject(page) || !jsonraw.IsObject(status) {
		return fmt.Errorf("%w: no \"page\" and \"status\" objects", errWrongShape)
	}
	if err := decodeJSON(status, dst); err != nil {
		return fmt.Errorf("status: %w", err)
	}
	return nil
}

// decodeComponentList decodes a components.json.
func decodeComponentList(b []byte) (*spComponentList, error) {
	var probe json.RawMessage
	if err := decodeJSON(b, &probe); err != nil {
		return nil, err
	}
	var l spComponentList
	if jsonraw.IsObject(probe) {
		var o struct {
			Components json.RawMessage `json:"components"`
		}
		if err := decodeJSON(probe, &o); err != nil {
			return nil, err
		}
		if jsonraw.IsAbsent(o.Components) {
			return nil, fmt.Errorf("%w: no \"components\" array", errWrongShape)
		}
		probe = o.Components
	}
	if err := decodeJSON(probe, &l.Components); err != nil {
		return nil, fmt.Errorf("components: %w", err)
	}
	return &l, nil
}

// parseStatuspage parses an Atlassian Statuspage v2 summary.json.
func parseStatuspage(b []byte) (Snapshot, error) {
	s, err := decodeSummary(b)
	if err != nil {
		return Snapshot{}, err
	}
	return s.snapshot(FormatStatuspage, nil), nil
}

// parseIncidentIO parses incident.io's Statuspage-compatible summary.json
// and components.json. components may be nil (not read): the snapshot is
// then built from the summary alone and marked Partial. A components body
// that does not parse is an error.
func parseIncidentIO(summary, components []byte) (Snapshot, error) {
	s, err := decodeSummary(summary)
	if err != nil {
		return Snapshot{}, err
	}
	if components == nil {
		snap := s.snapshot(FormatIncidentIO, nil)
		snap.Partial = true
		return snap, nil
	}
	l, err := decodeComponentList(components)
	if err != nil {
		return Snapshot{}, fmt.Errorf("components.json: %w", err)
	}
	return s.snapshot(FormatIncidentIO, l.Components), nil
}

// snapshot normalises the summary. full, when not nil, is the complete
// component list (incident.io's components.json); summary components missing
// from it are kept, and for components in both the full list wins.
func (s *spSummary) snapshot(f Format, full []spComponent) Snapshot {
	snap := Snapshot{
		Format: f,
	}
	all := make([]spComponent, 0, len(full)+len(s.Components))
	all = append(all, full...)
	all = append(all, s.Components...)
	snap.Components = normalizeComponents(all)

	for _, in := range s.Incidents {
		if len(snap.Incidents) >= maxIncidents {
			break
		}
		status := normalizeStatusWord(string(in.Status))
		if incidentClosed(status) {
			continue
		}
		snap.Incidents = append(snap.Incidents, Incident{
			ID:         strings.TrimSpace(string(in.ID)),
			Name:       strings.TrimSpace(string(in.Name)),
			Impact:     normalizeImpact(string(in.Impact)),
			Status:     status,
			Components: in.componentNames(),
		})
	}
	for _, m := range s.ScheduledMaintenances {
		if len(snap.Maintenances) >= maxMaintenances {
			break
		}
		state, ok := maintenanceState(string(m.Status))
		if !ok {
			continue
		}
		snap.Maintenances = append(snap.Maintenances, Maintenance{
			ID:    strings.TrimSpace(string(m.ID)),
			Name:  strings.TrimSpace(string(m.Name)),
			State: state,
		})
	}

	ind, ok := normalizeIndicator(string(s.status.Indicator))
	if !ok {
		derived := deriveIndicator(&snap)
		if ind.Severity() > derived.Severity() {
			derived = ind
		}
		ind = derived
	}
	snap.Indicator = ind
	return snap
}

// componentNames lists the components an incident affects: its components,
// else those of its newest update.
func (in *spIncident) componentNames() []string {
	var names []string
	for _, c := range in.Components {
		if len(names) >= maxNames {
			return names
		}
		names = appendUnique(names, strings.TrimSpace(c.Name))
	}
	if len(names) == 0 && len(in.IncidentUpdates) > 0 {
		for _, c := range in.IncidentUpdates[0].AffectedComponents {
			if len(names) >= maxNames {
				return names
			}
			names = appendUnique(names, strings.TrimSpace(c.Name))
		}
	}
	return names
}

// normalizeComponents turns raw components into Components: group entries
// give their name to their members and are not listed; duplicates (same id,
// or same name when there is no id) keep their first occurrence; nameless
// entries are dropped.
func normalizeComponents(raw []spComponent) []Component {
	groups := make(map[string]string)
	for _, c := range raw {
		if isTrue(c.Group) && c.ID != "" {
			if _, seen := groups[string(c.ID)]; !seen {
				groups[string(c.ID)] = strings.TrimSpace(string(c.Name))
			}
		}
	}
	seen := make(map[string]bool, len(raw))
	var out []Component
	for _, c := range raw {
		if isTrue(c.Group) {
			continue
		}
		name := strings.TrimSpace(string(c.Name))
		if name == "" {
			continue
		}
		key := "id:" + string(c.ID)
		if c.ID == "" {
			key = "name:" + name
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		if len(out) >= maxComponents {
			break
		}
		raw := strings.TrimSpace(string(c.Status))
		out = append(out, Component{
			Name:   name,
			Group:  groups[string(c.GroupID)],
			Status: normalizeComponentStatus(raw),
		})
	}
	return out
}

// isTrue reports whether a JSON boolean (or its string form) is true.
func isTrue(s flexString) bool { return strings.EqualFold(strings.TrimSpace(string(s)), "true") }

// looksIncidentIO tells incident.io's Statuspage-compatible summary from
// Atlassian's. Any one signal suffices, none of which an Atlassian page shows:
// full_outage anywhere a component status appears, ULID ids, a component
// whose group_id names no group in the summary (a partial summary), an
// incident.io page.url host, or a response header naming incident.io.
func looksIncidentIO(s *spSummary, h http.Header) bool {
	groups := make(map[string]bool)
	for _, c := range s.Components {
		if isTrue(c.Group) {
			groups[string(c.ID)] = true
		}
	}
	for _, c := range s.Components {
		if isFullOutage(string(c.Status)) || isULID(string(c.ID)) {
			return true
		}
		if g := strings.TrimSpace(string(c.GroupID)); g != "" && !groups[g] {
			return true
		}
	}
	for _, list := range [][]spIncident{s.Incidents, s.ScheduledMaintenances} {
		for _, in := range list {
			if in.mentionsFullOutage() {
				return true
			}
		}
	}
	if isULID(string(s.page.ID)) {
		return true
	}
	if u, err := url.Parse(strings.TrimSpace(string(s.page.URL))); err == nil {
		host := strings.ToLower(u.Hostname())
		if host == "incident.io" || strings.HasSuffix(host, ".incident.io") {
			return true
		}
	}
	for k, vs := range h {
		if strings.HasPrefix(strings.ToLower(k), "x-incident") {
			return true
		}
		switch http.CanonicalHeaderKey(k) {
		case "Server", "Via", "X-Powered-By":
			for _, v := range vs {
				if strings.Contains(strings.ToLower(v), "incident.io") {
					return true
				}
			}
		}
	}
	return false
}

// isFullOutage reports whether a status is incident.io's full_outage.
func isFullOutage(s string) bool { return foldKey(s) == "fulloutage" }

// mentionsFullOutage reports whether the incident's components or updates
// use the status full_outage.
func (in *spIncident) mentionsFullOutage() bool {
	for _, c := range in.Components {
		if isFullOutage(c.Status) {
			return true
		}
	}
	for _, u := range in.IncidentUpdates {
		for _, c := range u.AffectedComponents {
			if isFullOutage(c.Status) || isFullOutage(c.OldStatus) {
				return true
			}
		}
	}
	return false
}

// isULID reports whether s is a ULID: 26 Crockford base-32 characters, the
// first at most '7'.
func isULID(s string) bool {
	if len(s) != 26 || s[0] < '0' || s[0] > '7' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
		case c >= 'A' && c <= 'Z' && c != 'I' && c != 'L' && c != 'O' && c != 'U':
		case c >= 'a' && c <= 'z' && c != 'i' && c != 'l' && c != 'o' && c != 'u':
		default:
			return false
		}
	}
	return true
}
