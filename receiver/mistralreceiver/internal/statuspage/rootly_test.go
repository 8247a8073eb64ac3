package statuspage

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseRootly(t *testing.T) {
	tests := []struct {
		name      string
		status    string
		incidents string
		want      Snapshot
	}{
		{
			name:   "operational",
			status: "rootly/status_operational.json",
			want:   Snapshot{Format: FormatRootly, Indicator: IndicatorNone},
		},
		{
			name:   "incidents in status.json",
			status: "rootly/status_incident.json",
			want: Snapshot{
				Format: FormatRootly, Indicator: IndicatorMajor,
				Components: []Component{
					{Name: "Chat API", Status: StatusMajorOutage},
					{Name: "Agents API", Status: StatusDegradedPerformance},
					{Name: "Fine-tuning", Status: StatusDegradedPerformance},
					{Name: "Console", Status: StatusUnderMaintenance},
				},
				Incidents: []Incident{
					{ID: "7f3c2a1e-5b4d-4c6e-9f8a-0b1c2d3e4f50", Name: "Chat completions unavailable for mistral-large", Impact: ImpactMajor, Status: "identified", Components: []string{"Chat API", "Agents API"}},
					{ID: "1a2b3c4d-0000-4000-8000-000000000001", Name: "Slow fine-tuning jobs", Impact: ImpactMinor, Status: "monitoring", Components: []string{"Fine-tuning"}},
				},
				Maintenances: []Maintenance{
					{ID: "9e8d7c6b-0000-4000-8000-000000000003", Name: "La Plateforme console upgrade", State: MaintenanceInProgress},
					{ID: "9e8d7c6b-0000-4000-8000-000000000004", Name: "Storage migration", State: MaintenanceUpcoming},
				},
			},
		},
		{
			name:      "incidents from incidents.json (JSON:API)",
			status:    "rootly/status_no_incidents.json",
			incidents: "rootly/incidents.json",
			want: Snapshot{
				Format: FormatRootly, Indicator: IndicatorMinor,
				Components: []Component{{Name: "Codestral API", Status: StatusDegradedPerformance}},
				Incidents: []Incident{{
					ID: "5d6e7f80-aaaa-4bbb-8ccc-000000000010", Name: "Elevated latency on Codestral", Impact: ImpactMinor,
					Status: "investigating", Components: []string{"Codestral API"},
				}},
			},
		},
		{
			name:   "no incident list anywhere: partial",
			status: "rootly/status_no_incidents.json",
			want:   Snapshot{Format: FormatRootly, Indicator: IndicatorMinor, Partial: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var inc []byte
			if tt.incidents != "" {
				inc = readTestdata(t, tt.incidents)
			}
			got, err := parseRootly(readTestdata(t, tt.status), inc)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseRootlyEdgeCases(t *testing.T) {
	tests := []struct {
		name      string
		status    string
		incidents string
		want      Snapshot
		wantErr   string
	}{
		{name: "html", status: "<!DOCTYPE html><html>", wantErr: "invalid JSON"},
		{name: "wrong shape", status: `{"ok":true}`, wantErr: `no "page" and "status" objects`},
		{name: "incidents not a list", status: `{"page":{},"status":{},"incidents":{"x":1}}`, wantErr: `no "incidents" or "data" array`},
		{name: "bad incidents.json", status: `{"page":{},"status":{"indicator":"none"}}`, incidents: `{"data":`, wantErr: "incidents.json"},
		{
			name:      "bare array incidents.json, title/name, no critical in Rootly but accepted",
			status:    `{"page":{},"status":{"indicator":"critical"}}`,
			incidents: `[{"id":1,"name":"Down","status":"started","impact":"critical","services":["Le Chat"]},{"id":2,"title":"Old","status":"closed"}]`,
			want: Snapshot{
				Format: FormatRootly, Indicator: IndicatorCritical,
				Components: []Component{{Name: "Le Chat", Status: StatusMajorOutage}},
				Incidents:  []Incident{{ID: "1", Name: "Down", Impact: ImpactCritical, Status: "started", Components: []string{"Le Chat"}}},
			},
		},
		{
			name:   "indicator missing: derived from incidents",
			status: `{"page":{},"status":{},"incidents":[{"id":"a","title":"x","status":"investigating","impact":"major"}]}`,
			want: Snapshot{
				Format: FormatRootly, Indicator: IndicatorMajor,
				Incidents: []Incident{{ID: "a", Name: "x", Impact: ImpactMajor, Status: "investigating"}},
			},
		},
		{
			name: "scheduled_maintenances in status.json",
			status: `{"page":{},"status":{"indicator":"maintenance"},"incidents":[],"scheduled_maintenances":[` +
				`{"id":"m1","name":"DB","status":"in_progress","components":[{"name":"Console","status":"under_maintenance"}]},` +
				`{"id":"m2","name":"Net","status":"scheduled"},{"id":"m3","name":"Old","status":"completed"}]}`,
			want: Snapshot{
				Format: FormatRootly, Indicator: IndicatorMaintenance,
				Components: []Component{{Name: "Console", Status: StatusUnderMaintenance}},
				Maintenances: []Maintenance{
					{ID: "m1", Name: "DB", State: MaintenanceInProgress},
					{ID: "m2", Name: "Net", State: MaintenanceUpcoming},
				},
			},
		},
		{name: "scheduled_maintenances not a list", status: `{"page":{},"status":{},"incidents":[],"scheduled_maintenances":"no"}`, wantErr: "scheduled_maintenances"},
		{
			name:   "completed maintenance dropped",
			status: `{"page":{},"status":{"indicator":"none"},"incidents":[{"id":"m","title":"m","status":"completed","kind":"scheduled"}]}`,
			want:   Snapshot{Format: FormatRootly, Indicator: IndicatorNone},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var inc []byte
			if tt.incidents != "" {
				inc = []byte(tt.incidents)
			}
			got, err := parseRootly([]byte(tt.status), inc)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}
