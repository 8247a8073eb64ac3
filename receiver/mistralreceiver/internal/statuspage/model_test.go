package statuspage

import (
	"github.com/otelcol-mistral/otelcol-mistral/internal/outbound"

	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in      string
		want    Format
		wantErr string
	}{
		{in: "auto", want: FormatAuto},
		{in: "", want: FormatAuto},
		{in: "statuspage", want: FormatStatuspage},
		{in: " IncidentIO ", want: FormatIncidentIO},
		{in: "rootly", want: FormatRootly},
		{in: "rss", want: FormatRSS},
		{in: "ATOM", want: FormatAtom},
		{in: "instatus", wantErr: `unknown format "instatus" (want auto, statuspage, incidentio, rootly, rss or atom)`},
		{in: "json", wantErr: `"json"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseFormat(tt.in)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestFormatsOrder(t *testing.T) {
	assert.Equal(t, []Format{FormatStatuspage, FormatIncidentIO, FormatRootly, FormatRSS, FormatAtom}, formats)
}

func TestSeverity(t *testing.T) {
	for i, ind := range indicators {
		assert.Equal(t, i, ind.Severity(), ind)
	}
	for i, st := range componentStatuses {
		assert.Equal(t, i, st.Severity(), st)
	}
	assert.Equal(t, 2, Indicator("weird").Severity())
	assert.Equal(t, 2, ComponentStatus("weird").Severity())
}

func TestNormalizeComponentStatus(t *testing.T) {
	tests := map[string]ComponentStatus{
		"operational":          StatusOperational,
		"Operational":          StatusOperational,
		"degraded_performance": StatusDegradedPerformance,
		"DEGRADEDPERFORMANCE":  StatusDegradedPerformance,
		"partial_outage":       StatusPartialOutage,
		"PARTIALOUTAGE":        StatusPartialOutage,
		"major_outage":         StatusMajorOutage,
		"full_outage":          StatusMajorOutage,
		"Major Outage":         StatusMajorOutage,
		"under_maintenance":    StatusUnderMaintenance,
		"maintenance":          StatusUnderMaintenance,
		"Affected":             StatusDegradedPerformance,
		"":                     StatusDegradedPerformance,
		"on fire":              StatusDegradedPerformance,
		"\x00\xff":             StatusDegradedPerformance,
	}
	for in, want := range tests {
		assert.Equal(t, want, normalizeComponentStatus(in), "%q", in)
	}
}

func TestNormalizeIndicator(t *testing.T) {
	tests := []struct {
		in   string
		want Indicator
		ok   bool
	}{
		{"none", IndicatorNone, true},
		{"minor", IndicatorMinor, true},
		{"MAJOR", IndicatorMajor, true},
		{"critical", IndicatorCritical, true},
		{"maintenance", IndicatorMaintenance, true},
		{"major_outage", IndicatorCritical, true},
		{"", IndicatorNone, false},
		{"purple", IndicatorMinor, false},
	}
	for _, tt := range tests {
		got, ok := normalizeIndicator(tt.in)
		assert.Equal(t, tt.want, got, tt.in)
		assert.Equal(t, tt.ok, ok, tt.in)
	}
}

func TestNormalizeImpact(t *testing.T) {
	tests := map[string]string{
		"none": ImpactNone, "maintenance": ImpactNone, "minor": ImpactMinor, "major": ImpactMajor,
		"critical": ImpactCritical, "": ImpactNone, "SEV1": ImpactCritical, "sev2": ImpactMajor,
		"low": ImpactMinor, "high": ImpactMajor, "gigantic": ImpactNone, "full_outage": ImpactCritical,
	}
	for in, want := range tests {
		assert.Equal(t, want, normalizeImpact(in), in)
	}
}

func TestErrorMessage(t *testing.T) {
	e := &Error{Reason: ReasonChallenge, Format: FormatStatuspage, URL: "https://status.example.com/api/v2/summary.json", StatusCode: 403, Err: errTest}
	assert.Equal(t, "status page https://status.example.com/api/v2/summary.json (statuspage): challenge, HTTP 403: boom", e.Error())
	assert.ErrorIs(t, e, errTest)
	e = &Error{Reason: ReasonTimeout, URL: "http://x"}
	assert.Equal(t, "status page http://x: timeout", e.Error())
}

func TestRedactURL(t *testing.T) {
	assert.Equal(t, "https://status.example.com/feed.rss", outbound.RedactURL("https://user:secret@status.example.com/feed.rss?token=abc#x"))
	assert.Equal(t, "http://h/p", outbound.RedactURL("http://h/p?"))
	assert.Equal(t, "https://h/%zz", outbound.RedactURL("https://u:p@h/%zz?token=1"))
}

func TestReasonsRanked(t *testing.T) {
	assert.Less(t, ReasonChallenge.rank(), ReasonNotFound.rank())
	assert.Less(t, ReasonInvalidBody.rank(), ReasonNotFound.rank())
	assert.Less(t, ReasonHTTPStatus.rank(), ReasonHTML.rank())
	assert.Len(t, reasons, 9)
}
