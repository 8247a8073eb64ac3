package statuspage

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseStatuspage(t *testing.T) {
	anthropicOK := []Component{
		{Name: "claude.ai", Status: StatusOperational},
		{Name: "Messages API", Group: "API", Status: StatusOperational},
		{Name: "Batches API", Group: "API", Status: StatusOperational},
		{Name: "Claude Code", Status: StatusOperational},
	}
	tests := []struct {
		file string
		want Snapshot
	}{
		{
			file: "operational.json",
			want: Snapshot{Format: FormatStatuspage, Indicator: IndicatorNone, Components: anthropicOK},
		},
		{
			file: "degraded.json",
			want: Snapshot{
				Format: FormatStatuspage, Indicator: IndicatorMinor,
				Components: []Component{
					{Name: "claude.ai", Status: StatusOperational},
					{Name: "Messages API", Group: "API", Status: StatusDegradedPerformance},
					{Name: "Batches API", Group: "API", Status: StatusOperational},
					{Name: "Claude Code", Status: StatusOperational},
				},
				Incidents: []Incident{{
					ID: "9w4x7mqz1hbn", Name: "Elevated errors on Claude Sonnet & Opus", Impact: ImpactMinor,
					Status: "investigating", Components: []string{"Messages API"},
				}},
			},
		},
		{
			file: "major_outage.json",
			want: Snapshot{
				Format: FormatStatuspage, Indicator: IndicatorCritical,
				Components: []Component{
					{Name: "claude.ai", Status: StatusPartialOutage},
					{Name: "Messages API", Group: "API", Status: StatusMajorOutage},
					{Name: "Batches API", Group: "API", Status: StatusMajorOutage},
					{Name: "Claude Code", Status: StatusDegradedPerformance},
				},
				Incidents: []Incident{
					{ID: "p3c9vt0rxk2s", Name: "API unavailable in all regions", Impact: ImpactCritical, Status: "identified", Components: []string{"Messages API", "Batches API"}},
					// No components on the incident: the newest update's affected components.
					{ID: "m0n9b8v7c6x5", Name: "Slow responses on claude.ai", Impact: ImpactMajor, Status: "monitoring", Components: []string{"claude.ai"}},
				},
			},
		},
		{
			file: "maintenance.json",
			want: Snapshot{
				Format: FormatStatuspage, Indicator: IndicatorMaintenance,
				Components: []Component{
					{Name: "claude.ai", Status: StatusOperational},
					{Name: "Console", Status: StatusUnderMaintenance},
				},
				Maintenances: []Maintenance{
					{ID: "w7q2z9x4c1v8", Name: "Console database upgrade", State: MaintenanceInProgress},
					{ID: "r5t6y7u8i9o0", Name: "Network maintenance in eu-west", State: MaintenanceUpcoming},
				},
			},
		},
		{
			// A resolved and a postmortem incident are not open.
			file: "resolved.json",
			want: Snapshot{
				Format: FormatStatuspage, Indicator: IndicatorNone,
				Components: []Component{
					{Name: "claude.ai", Status: StatusOperational},
					{Name: "Messages API", Status: StatusOperational},
				},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := parseStatuspage(readTestdata(t, "statuspage/"+tt.file))
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseStatuspageEdgeCases(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		want    Snapshot
		wantErr string
	}{
		{name: "empty", body: "  ", wantErr: "empty body"},
		{name: "truncated", body: `{"page":{"id":"x"},"status":{"indicator":"no`, wantErr: "invalid JSON"},
		{name: "array", body: `[1,2]`, wantErr: "wrong document shape"},
		{name: "no page", body: `{"status":{"indicator":"none"}}`, wantErr: `no "page" and "status" objects`},
		{name: "status string", body: `{"page":{},"status":"ok"}`, wantErr: `no "page" and "status" objects`},
		{name: "components not a list", body: `{"page":{},"status":{},"components":"all good"}`, wantErr: "wrong document shape"},
		{
			name: "byte order mark",
			body: "\xef\xbb\xbf{\"page\":{},\"status\":{\"indicator\":\"major\"}}",
			want: Snapshot{Format: FormatStatuspage, Indicator: IndicatorMajor},
		},
		{
			name: "minimal",
			body: `{"page":{},"status":{"indicator":"none"}}`,
			want: Snapshot{Format: FormatStatuspage, Indicator: IndicatorNone},
		},
		{
			name: "numbers and nulls where strings are expected",
			body: `{"page":{"id":12},"status":{"indicator":null,"description":7},"components":[{"id":5,"name":"API","status":null,"group":null}]}`,
			want: Snapshot{
				Format: FormatStatuspage, Indicator: IndicatorMinor,
				Components: []Component{{Name: "API", Status: StatusDegradedPerformance}},
			},
		},
		{
			name: "full_outage read as major_outage even on an Atlassian page, indicator derived when missing",
			body: `{"page":{},"status":{},"components":[{"id":"a","name":"Chat","status":"full_outage"},{"id":"b","name":"","status":"operational"}]}`,
			want: Snapshot{
				Format: FormatStatuspage, Indicator: IndicatorCritical,
				Components: []Component{{Name: "Chat", Status: StatusMajorOutage}},
			},
		},
		{
			name: "unknown indicator is at least minor",
			body: `{"page":{},"status":{"indicator":"purple"}}`,
			want: Snapshot{Format: FormatStatuspage, Indicator: IndicatorMinor},
		},
		{
			name: "duplicate component ids keep the first, unknown group id is no group",
			body: `{"page":{},"status":{"indicator":"none"},"components":[{"id":"a","name":"A","status":"operational","group_id":"zz"},{"id":"a","name":"A2","status":"major_outage"}]}`,
			want: Snapshot{Format: FormatStatuspage, Indicator: IndicatorNone, Components: []Component{{Name: "A", Status: StatusOperational}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseStatuspage([]byte(tt.body))
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseIncidentIO(t *testing.T) {
	summary := readTestdata(t, "incidentio/summary.json")
	components := readTestdata(t, "incidentio/components.json")

	got, err := parseIncidentIO(summary, components)
	require.NoError(t, err)
	assert.Equal(t, Snapshot{
		Format: FormatIncidentIO, Indicator: IndicatorMajor,
		Components: []Component{
			{Name: "Chat Completions", Group: "APIs", Status: StatusMajorOutage},
			{Name: "Responses", Group: "APIs", Status: StatusDegradedPerformance},
			{Name: "Embeddings", Group: "APIs", Status: StatusOperational},
			{Name: "Audio", Status: StatusPartialOutage},
			{Name: "Login", Status: StatusOperational},
		},
		Incidents: []Incident{{
			ID: "01K9AZ3W1V8P6M4T2R0Q8N6J4H", Name: "Increased error rates for Chat Completions", Impact: ImpactMajor,
			Status: "identified", Components: []string{"Chat Completions", "Responses"},
		}},
	}, got)

	// Without components.json: the partial summary alone, marked Partial.
	partial, err := parseIncidentIO(summary, nil)
	require.NoError(t, err)
	assert.True(t, partial.Partial)
	assert.Equal(t, []Component{
		{Name: "Chat Completions", Status: StatusMajorOutage},
		{Name: "Login", Status: StatusOperational},
	}, partial.Components, "the group is unknown without components.json")

	// A bare array is accepted as components.json.
	arr, err := parseIncidentIO(summary, []byte(`[{"id":"x","name":"Sora","status":"full_outage"}]`))
	require.NoError(t, err)
	assert.Equal(t, Component{Name: "Sora", Status: StatusMajorOutage}, arr.Components[0])
	assert.Len(t, arr.Components, 3)

	for _, bad := range []string{`{"page":{}}`, `{"components":`, `"x"`} {
		_, err := parseIncidentIO(summary, []byte(bad))
		assert.ErrorContains(t, err, "components.json", bad)
	}
}

func TestLooksIncidentIO(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		header http.Header
		want   bool
	}{
		{name: "atlassian", body: string(readTestdata(t, "statuspage/major_outage.json"))},
		{name: "incident.io fixture", body: string(readTestdata(t, "incidentio/summary.json")), want: true},
		{name: "full_outage", body: `{"page":{"id":"abc"},"status":{},"components":[{"id":"c","name":"x","status":"full_outage"}]}`, want: true},
		{name: "ULID page id", body: `{"page":{"id":"01FCNDV6P870EA6S7TK1DSYDG0"},"status":{}}`, want: true},
		{name: "not a ULID: I, L, O, U are not Crockford", body: `{"page":{"id":"01FCNDV6P870EA6S7TK1DSYDGO"},"status":{}}`},
		{name: "not a ULID: first above 7", body: `{"page":{"id":"81FCNDV6P870EA6S7TK1DSYDG0"},"status":{}}`},
		{name: "full_outage in an update", body: `{"page":{},"status":{},"incidents":[{"incident_updates":[{"affected_components":[{"name":"x","old_status":"full_outage","new_status":"operational"}]}]}]}`, want: true},
		{name: "dangling group_id: a partial summary", body: `{"page":{},"status":{},"components":[{"id":"b","name":"x","status":"operational","group_id":"g"}]}`, want: true},
		{name: "group_id resolved", body: `{"page":{},"status":{},"components":[{"id":"g","name":"G","group":true},{"id":"b","name":"x","status":"operational","group_id":"g"}]}`},
		{name: "host", body: `{"page":{"url":"https://acme.incident.io/"},"status":{}}`, want: true},
		{name: "header", body: `{"page":{},"status":{}}`, header: http.Header{"X-Incident-Request-Id": {"1"}}, want: true},
		{name: "server header", body: `{"page":{},"status":{}}`, header: http.Header{"Server": {"incident.io status pages"}}, want: true},
		{name: "other server", body: `{"page":{},"status":{}}`, header: http.Header{"Server": {"cloudflare"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := decodeSummary([]byte(tt.body))
			require.NoError(t, err)
			assert.Equal(t, tt.want, looksIncidentIO(s, tt.header))
		})
	}
}
