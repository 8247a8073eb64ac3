package statuspage

import (
	"github.com/otelcol-mistral/otelcol-mistral/internal/jsonraw"

	"encoding/json"
	"fmt"
	"strings"
)

// Rootly public status page endpoints.
const (
	pathRootlyStatus    = "/api/v1/status.json"
	pathRootlyIncidents = "/api/v1/incidents.json"
)

// rlStatus is Rootly's status.json.
type rlStatus struct {
	Page                  json.RawMessage `json:"page"`
	Status                json.RawMessage `json:"status"`
	Incidents             json.RawMessage `json:"incidents"`
	ScheduledMaintenances json.RawMessage `json:"scheduled_maintenances"`

	status spStatus
}

// hasIncidents reports whether status.json carries its own incident list.
// "incidents": null is no list (Rootly pages answer it, then list the
// incidents in incidents.json), not an empty one.
func (s *rlStatus) hasIncidents() bool { return !jsonraw.IsAbsent(s.Incidents) }

// rlIncident is one Rootly incident, read leniently: Rootly's public pages
// and its JSON:API documents name the same things differently.
type rlIncident struct {
	ID                 flexString      `json:"id"`
	Name               flexString      `json:"name"`
	Title              flexString      `json:"title"`
	Status             flexString      `json:"status"`
	Impact             flexString      `json:"impact"`
	Severity           named           `json:"severity"`
	Kind               flexString      `json:"kind"`
	Type               flexString      `json:"type"`
	ScheduledFor       flexString      `json:"scheduled_for"`
	Components         []named         `json:"components"`
	AffectedComponents []named         `json:"affected_components"`
	Services           []named         `json:"services"`
	Attributes         json.RawMessage `json:"attributes"`
}

// decodeRootlyStatus decodes status.json and checks its shape: a JSON object
// with "page" and "status" objects.
func decodeRootlyStatus(b []byte) (*rlStatus, error) {
	var s rlStatus
	if err := decodeJSON(b, &s); err != nil {
		return nil, err
	}
	if err := decodePageStatus(s.Page, s.Status, &s.status); err != nil {
		return nil, err
	}
	return &s, nil
}

// decodeRootlyIncidents decodes an incident list: a bare array, an object
// with an "incidents" array, or a JSON:API object with a "data" array whose
// entries keep their fields under "attributes".
func decodeRootlyIncidents(raw json.RawMessage) ([]rlIncident, error) {
	if jsonraw.IsObject(raw) {
		var o struct {
			Incidents json.RawMessage `json:"incidents"`
			Data      json.RawMessage `json:"data"`
		}
		if err := decodeJSON(raw, &o); err != nil {
			return nil, err
		}
		switch {
		case !jsonraw.IsAbsent(o.Incidents):
			raw = o.Incidents
		case !jsonraw.IsAbsent(o.Data):
			raw = o.Data
		default:
			return nil, fmt.Errorf("%w: no \"incidents\" or \"data\" array", errWrongShape)
		}
	}
	var list []rlIncident
	if err := decodeJSON(raw, &list); err != nil {
		return nil, err
	}
	for i := range list {
		if !jsonraw.IsObject(list[i].Attributes) {
			continue
		}
		var a rlIncident
		if err := decodeJSON(list[i].Attributes, &a); err != nil {
			return nil, fmt.Errorf("attributes: %w", err)
		}
		if a.ID == "" {
			a.ID = list[i].ID
		}
		a.Attributes = nil
		list[i] = a
	}
	return list, nil
}

// parseRootly parses Rootly's status.json (its incidents and, when present,
// scheduled_maintenances) and, when status.json has no incident list of its
// own, incidents.json. incidents may be nil (not read):
// the snapshot then has no incidents and is marked Partial. Rootly lists no
// components: they are derived from the open incidents' components.
func parseRootly(status, incidents []byte) (Snapshot, error) {
	s, err := decodeRootlyStatus(status)
	if err != nil {
		return Snapshot{}, err
	}
	snap := Snapshot{
		Format: FormatRootly,
	}
	var list []rlIncident
	switch {
	case s.hasIncidents():
		if list, err = decodeRootlyIncidents(s.Incidents); err != nil {
			return Snapshot{}, fmt.Errorf("incidents: %w", err)
		}
	case incidents != nil:
		if list, err = decodeRootlyIncidents(incidents); err != nil {
			return Snapshot{}, fmt.Errorf("incidents.json: %w", err)
		}
	default:
		snap.Partial = true
	}
	for i := range list {
		list[i].addTo(&snap, false)
	}
	if !jsonraw.IsAbsent(s.ScheduledMaintenances) {
		maint, err := decodeRootlyIncidents(s.ScheduledMaintenances)
		if err != nil {
			return Snapshot{}, fmt.Errorf("scheduled_maintenances: %w", err)
		}
		for i := range maint {
			maint[i].addTo(&snap, true)
		}
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
	return snap, nil
}

// isMaintenance reports whether the entry is a scheduled maintenance rather
// than an incident.
func (in *rlIncident) isMaintenance() bool {
	kind := strings.ToLower(string(in.Kind) + " " + string(in.Type))
	if strings.Contains(kind, "maint") || strings.Contains(kind, "scheduled") {
		return true
	}
	if strings.TrimSpace(string(in.ScheduledFor)) != "" {
		return true
	}
	switch foldKey(string(in.Status)) {
	case "scheduled", "verifying":
		return true
	}
	return false
}

// addTo adds the entry to the snapshot as an open incident or (always when
// maintenance is set) a maintenance, with its components; closed entries are
// skipped.
func (in *rlIncident) addTo(snap *Snapshot, maintenance bool) {
	name := firstNonEmpty(string(in.Name), string(in.Title))
	status := normalizeStatusWord(string(in.Status))
	var affected []named
	for _, l := range [][]named{in.Components, in.AffectedComponents, in.Services} {
		affected = append(affected, l...)
	}

	if maintenance || in.isMaintenance() {
		state, ok := maintenanceState(status)
		if !ok || len(snap.Maintenances) >= maxMaintenances {
			return
		}
		snap.Maintenances = append(snap.Maintenances, Maintenance{ID: strings.TrimSpace(string(in.ID)), Name: name, State: state})
		if state == MaintenanceInProgress {
			for _, c := range affected {
				addDerived(snap, c.Name, StatusUnderMaintenance, c.Status)
			}
		}
		return
	}
	if incidentClosed(status) || len(snap.Incidents) >= maxIncidents {
		return
	}
	impact := normalizeImpact(firstNonEmpty(string(in.Impact), in.Severity.Name))
	inc := Incident{ID: strings.TrimSpace(string(in.ID)), Name: name, Impact: impact, Status: status}
	for _, c := range affected {
		n := strings.TrimSpace(c.Name)
		if n == "" || len(inc.Components) >= maxNames {
			continue
		}
		inc.Components = appendUnique(inc.Components, n)
		addDerived(snap, n, impactSeverity(impact).componentStatus(), c.Status)
	}
	snap.Incidents = append(snap.Incidents, inc)
}

// addDerived adds a component derived from an incident: its own status when
// it has one, else the fallback.
func addDerived(snap *Snapshot, name string, fallback ComponentStatus, raw string) {
	name = strings.TrimSpace(name)
	if name == "" || len(snap.Components) >= maxComponents {
		return
	}
	st := fallback
	if raw = strings.TrimSpace(raw); raw != "" {
		st = normalizeComponentStatus(raw)
	}
	snap.Components = addComponent(snap.Components, Component{Name: name, Status: st})
}
