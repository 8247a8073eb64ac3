package statuspage

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseFeedFiles(t *testing.T) {
	tests := []struct {
		file string
		want Snapshot
	}{
		{
			// Three updates for one guid, out of date order, the newest
			// Resolved: closed. Another incident still open.
			file: "feed/mistral.rss",
			want: Snapshot{
				Format: FormatRSS, Indicator: IndicatorMinor,
				Components: []Component{
					{Name: "Chat API", Status: StatusDegradedPerformance},
					{Name: "Agents & Conversations API", Status: StatusDegradedPerformance},
					{Name: "Document AI", Status: StatusDegradedPerformance},
				},
				Incidents: []Incident{
					{
						ID: "https://status.mistral.ai/incident/cm3b9x2k7000108l4d2f1g3h4", Name: "Chat API unavailable",
						Impact: ImpactNone, Status: "identified", Components: []string{"Chat API", "Agents & Conversations API"},
					},
					{
						ID: "https://status.mistral.ai/incident/cm3b5q0n1000008l4a1b2c3d4", Name: "Degraded performance on Document AI",
						Impact: ImpactMinor, Status: "investigating", Components: []string{"Document AI"},
					},
				},
			},
		},
		{
			file: "feed/mistral.atom",
			want: Snapshot{
				Format: FormatAtom, Indicator: IndicatorMajor,
				Components: []Component{{Name: "Batch API", Status: StatusPartialOutage}},
				Incidents: []Incident{{
					ID: "https://status.mistral.ai/incident/cm3c0a1b2000008l4q1w2e3r4", Name: "Batch API partial outage",
					Impact: ImpactMajor, Status: "identified", Components: []string{"Batch API"},
				}},
			},
		},
		{
			file: "feed/statuspage_history.rss",
			want: Snapshot{
				Format: FormatRSS, Indicator: IndicatorMaintenance,
				Components: []Component{
					{Name: "Messages API", Group: "API", Status: StatusDegradedPerformance},
					{Name: "Batches API", Group: "API", Status: StatusDegradedPerformance},
				},
				Incidents: []Incident{{
					ID: "https://status.claude.com/incidents/p3c9vt0rxk2s", Name: "API unavailable in all regions",
					Impact: ImpactNone, Status: "identified", Components: []string{"Messages API", "Batches API"},
				}},
				Maintenances: []Maintenance{
					{ID: "https://status.claude.com/incidents/w7q2z9x4c1v8", Name: "Console database upgrade", State: MaintenanceInProgress},
					{ID: "https://status.claude.com/incidents/r5t6y7u8i9o0", Name: "Network maintenance in eu-west", State: MaintenanceUpcoming},
				},
			},
		},
		{
			file: "feed/statuspage_history.atom",
			want: Snapshot{
				Format: FormatAtom, Indicator: IndicatorNone,
				Components: []Component{
					{Name: "Messages API", Status: StatusDegradedPerformance},
					{Name: "Batches API", Status: StatusDegradedPerformance},
					{Name: "claude.ai", Status: StatusDegradedPerformance},
					{Name: "Console", Status: StatusDegradedPerformance},
					{Name: "Claude Code", Status: StatusDegradedPerformance},
				},
				Incidents: []Incident{
					{
						ID: "tag:status.claude.com,2005:Incident/28411901", Name: "API unavailable in all regions",
						Impact: ImpactNone, Status: "identified", Components: []string{"Messages API", "Batches API"},
					},
					{
						ID: "tag:status.claude.com,2005:Incident/28388001", Name: "Slow responses on claude.ai & Console",
						Impact: ImpactNone, Status: "monitoring", Components: []string{"claude.ai", "Console", "Claude Code"},
					},
				},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := parseFeed(readTestdata(t, tt.file))
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// rssItemXML renders one RSS item.
func rssItemXML(guid, title, date, desc string) string {
	return fmt.Sprintf("<item><title>%s</title><guid>%s</guid><pubDate>%s</pubDate><description><![CDATA[%s]]></description></item>", title, guid, date, desc)
}

func rssDoc(items ...string) string {
	return `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>` + strings.Join(items, "") + `</channel></rss>`
}

func TestParseFeedCases(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		want    Snapshot
		wantErr string
	}{
		{name: "empty", body: "", wantErr: "empty body"},
		{name: "html", body: "<!DOCTYPE html><html><body>hi</body></html>", wantErr: "root element <html>"},
		{name: "json", body: `{"page":{}}`, wantErr: "no XML element"},
		{name: "truncated", body: `<rss><channel><item><title>x</title>`, wantErr: "invalid XML"},
		{name: "other root", body: `<opml version="2.0"><body/></opml>`, wantErr: "root element <opml>"},
		{name: "unsupported charset", body: `<?xml version="1.0" encoding="EBCDIC"?><rss></rss>`, wantErr: "invalid XML"},
		{name: "no items", body: rssDoc(), want: Snapshot{Format: FormatRSS, Indicator: IndicatorNone}},
		{
			name: "same date: first in document order wins",
			body: rssDoc(
				rssItemXML("g1", "Errors", "Fri, 07 Nov 2026 10:00:00 GMT", "Status: Resolved<br/>done"),
				rssItemXML("g1", "Errors", "Fri, 07 Nov 2026 10:00:00 GMT", "Status: Investigating<br/>looking"),
			),
			want: Snapshot{Format: FormatRSS, Indicator: IndicatorNone},
		},
		{
			name: "newest by date wins over document order, single-digit day and numeric zone",
			body: rssDoc(
				rssItemXML("g1", "Errors", "Fri, 7 Nov 2026 09:00:00 +0100", "Status: Resolved<br/>done"),
				rssItemXML("g1", "Errors", "Fri, 07 Nov 2026 08:30:00 GMT", "Status: Monitoring<br/>watching"),
			),
			want: Snapshot{
				Format: FormatRSS, Indicator: IndicatorNone,
				Incidents: []Incident{{ID: "g1", Name: "Errors", Impact: ImpactNone, Status: "monitoring"}},
			},
		},
		{
			name: "no recognisable status: not counted as open",
			body: rssDoc(rssItemXML("g1", "Something happened", "", "We had a blip.")),
			want: Snapshot{Format: FormatRSS, Indicator: IndicatorNone},
		},
		{
			name: "status in the title",
			body: rssDoc(
				rssItemXML("g1", "[Resolved] API errors", "", "All good now."),
				rssItemXML("g2", "Investigating: Slowdown on uploads", "", "Uploads are slow."),
			),
			want: Snapshot{
				Format: FormatRSS, Indicator: IndicatorNone,
				Incidents: []Incident{{ID: "g2", Name: "Investigating: Slowdown on uploads", Impact: ImpactNone, Status: "investigating"}},
			},
		},
		{
			name: "maintenance from Status: lines",
			body: rssDoc(
				rssItemXML("m1", "DB upgrade", "", "Status: Scheduled<br/>Planned."),
				rssItemXML("m2", "Network work", "", "Status: In progress<br/>Ongoing.<br/>Affected services<ul><li>Console</li></ul>"),
				rssItemXML("m3", "Old work", "", "Status: Completed"),
			),
			want: Snapshot{
				Format: FormatRSS, Indicator: IndicatorMaintenance,
				Components: []Component{{Name: "Console", Status: StatusUnderMaintenance}},
				Maintenances: []Maintenance{
					{ID: "m1", Name: "DB upgrade", State: MaintenanceUpcoming},
					{ID: "m2", Name: "Network work", State: MaintenanceInProgress},
				},
			},
		},
		{
			name: "guid missing: link then title fold",
			body: rssDoc(
				`<item><title>A</title><link>https://s/i/1</link><description>Status: Identified</description></item>`,
				`<item><title>B</title><description>Status: Investigating</description></item>`,
			),
			want: Snapshot{
				Format: FormatRSS, Indicator: IndicatorNone,
				Incidents: []Incident{
					{ID: "https://s/i/1", Name: "A", Impact: ImpactNone, Status: "identified"},
					{ID: "B", Name: "B", Impact: ImpactNone, Status: "investigating"},
				},
			},
		},
		{
			name: "RSS 1.0",
			body: `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">` +
				`<channel rdf:about="https://s/"><title>s</title></channel>` +
				`<item rdf:about="https://s/i/9"><title>Outage</title><dc:date>2026-11-07T10:00:00Z</dc:date><description>Status: Investigating</description></item></rdf:RDF>`,
			want: Snapshot{
				Format: FormatRSS, Indicator: IndicatorMajor,
				Incidents: []Incident{{ID: "https://s/i/9", Name: "Outage", Impact: ImpactMajor, Status: "investigating"}},
			},
		},
		{
			name: "ISO-8859-1 and HTML entities outside CDATA",
			body: "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><item><guid>g</guid><title>Caf\xe9 API &amp; more</title>" +
				"<description>Status: Investigating&lt;br/&gt;Affected services&lt;ul&gt;&lt;li&gt;Caf\xe9&nbsp;API&lt;/li&gt;&lt;/ul&gt;</description></item></channel></rss>",
			want: Snapshot{
				Format: FormatRSS, Indicator: IndicatorNone,
				Components: []Component{{Name: "Café API", Status: StatusDegradedPerformance}},
				Incidents:  []Incident{{ID: "g", Name: "Café API & more", Impact: ImpactNone, Status: "investigating", Components: []string{"Café API"}}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseFeed([]byte(tt.body))
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseFeedBoundsItems(t *testing.T) {
	items := make([]string, 0, maxFeedItems+50)
	for i := range maxFeedItems {
		items = append(items, rssItemXML(fmt.Sprintf("g%d", i), "Errors", "Fri, 07 Nov 2026 10:00:00 GMT", "Status: Investigating"))
	}
	// Beyond the bound: a newer Resolved update for g0 is not read.
	for range 50 {
		items = append(items, rssItemXML("g0", "Errors", "Fri, 07 Nov 2026 11:00:00 GMT", "Status: Resolved"))
	}
	got, err := parseFeed([]byte(rssDoc(items...)))
	require.NoError(t, err)
	assert.Len(t, got.Incidents, maxIncidents)
	assert.Equal(t, "g0", got.Incidents[0].ID)
}

func TestEntrySeverity(t *testing.T) {
	tests := []struct {
		name, title, body string
		categories        []string
		want              severity
	}{
		{"prose is not a rating", "Elevated errors on the API",
			"Some requests may return 503 Service Unavailable; the console is down and models are unavailable.", nil, sevUnstated},
		{"prose outage word is not a rating", "Elevated latency", "This is not an outage.", nil, sevUnstated},
		{"severity field", "x", "Status: ACTIVE\nSeverity: outage", nil, sevMajor},
		{"impact field", "x", "Impact: minor", nil, sevDegraded},
		{"checkly severity", "x", "Severity: MEDIUM", nil, sevDegraded},
		{"category", "x", "", []string{"active", "degraded"}, sevDegraded},
		{"field beats title", "Major outage of the API", "Severity: degraded", nil, sevDegraded},
		{"title tag", "[Major outage] Chat API", "", nil, sevMajor},
		{"title partial", "Partial outage for Claude.ai", "", nil, sevPartial},
		{"title degraded", "Degraded performance on Codestral", "", nil, sevDegraded},
		{"title bare outage is partial", "Chat API outage", "", nil, sevPartial},
		{"title unavailable is prose", "Chat API unavailable", "", nil, sevUnstated},
		{"title status tag is no rating", "[Investigating] Database connection issues", "", nil, sevUnstated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := htmlText(tt.body)
			assert.Equal(t, tt.want, entrySeverity(tt.title, text, tt.categories, affectedServices(tt.body, text)))
		})
	}
}

func TestEntrySeverityFromComponents(t *testing.T) {
	body := "<b>Affected components</b><ul><li>Search (Degraded performance)</li><li>Responses (Full outage)</li><li>Login</li></ul>"
	text := htmlText(body)
	services := affectedServices(body, text)
	assert.Equal(t, []affected{
		{name: "Search", status: StatusDegradedPerformance}, {name: "Responses", status: StatusMajorOutage}, {name: "Login"},
	}, services)
	assert.Equal(t, sevMajor, entrySeverity("Elevated errors", text, nil, services))
}

func TestHTMLText(t *testing.T) {
	assert.Equal(t, "Status: Investigating\nRequests are degraded.\nAffected services\nAudio API\nChat & Voice",
		htmlText("Status: Investigating<br/>Requests are degraded.<br/><br/>Affected services<ul><li>Audio API</li><li>Chat &amp; Voice</li></ul>"))
	assert.Equal(t, "a < b", htmlText("a < b"))
	assert.Equal(t, "xy", htmlText("x<!-- c -->y"))
	assert.Equal(t, "x", htmlText("x<!-- unterminated"))
}

func TestSplitList(t *testing.T) {
	assert.Equal(t, []string{"A", "B", "C"}, splitList("A, B, and C."))
	assert.Equal(t, []string{"A", "B"}, splitList("A and B"))
	assert.Equal(t, []string{"API (Messages API, Batches API)", "Console"}, splitList("API (Messages API, Batches API), Console"))
	assert.Equal(t, []string{"Solo"}, splitList("Solo."))
}
