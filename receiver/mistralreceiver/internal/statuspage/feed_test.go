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
				Format: FormatRSS, Indicator: IndicatorMajor,
				Components: []Component{
					{Name: "Chat API", Status: StatusMajorOutage},
					{Name: "Agents & Conversations API", Status: StatusMajorOutage},
					{Name: "Document AI", Status: StatusDegradedPerformance},
				},
				Incidents: []Incident{
					{
						ID: "https://status.mistral.ai/incident/cm3b9x2k7000108l4d2f1g3h4", Name: "Chat API unavailable",
						Impact: ImpactMajor, Status: "identified", Components: []string{"Chat API", "Agents & Conversations API"},
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
				Format: FormatRSS, Indicator: IndicatorMajor,
				Components: []Component{
					{Name: "Messages API", Group: "API", Status: StatusMajorOutage},
					{Name: "Batches API", Group: "API", Status: StatusMajorOutage},
				},
				Incidents: []Incident{{
					ID: "https://status.claude.com/incidents/p3c9vt0rxk2s", Name: "API unavailable in all regions",
					Impact: ImpactMajor, Status: "identified", Components: []string{"Messages API", "Batches API"},
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
				Format: FormatAtom, Indicator: IndicatorMajor,
				Components: []Component{
					{Name: "Messages API", Status: StatusMajorOutage},
					{Name: "Batches API", Status: StatusMajorOutage},
					{Name: "claude.ai", Status: StatusDegradedPerformance},
					{Name: "Console", Status: StatusDegradedPerformance},
					{Name: "Claude Code", Status: StatusDegradedPerformance},
				},
				Incidents: []Incident{
					{
						ID: "tag:status.claude.com,2005:Incident/28411901", Name: "API unavailable in all regions",
						Impact: ImpactMajor, Status: "identified", Components: []string{"Messages API", "Batches API"},
					},
					{
						ID: "tag:status.claude.com,2005:Incident/28388001", Name: "Slow responses on claude.ai & Console",
						Impact: ImpactMinor, Status: "monitoring", Components: []string{"claude.ai", "Console", "Claude Code"},
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
				Format: FormatRSS, Indicator: IndicatorMinor,
				Incidents: []Incident{{ID: "g1", Name: "Errors", Impact: ImpactMinor, Status: "monitoring"}},
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
				Format: FormatRSS, Indicator: IndicatorMinor,
				Incidents: []Incident{{ID: "g2", Name: "Investigating: Slowdown on uploads", Impact: ImpactMinor, Status: "investigating"}},
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
				Format: FormatRSS, Indicator: IndicatorMinor,
				Incidents: []Incident{
					{ID: "https://s/i/1", Name: "A", Impact: ImpactMinor, Status: "identified"},
					{ID: "B", Name: "B", Impact: ImpactMinor, Status: "investigating"},
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
				Format: FormatRSS, Indicator: IndicatorMinor,
				Components: []Component{{Name: "Café API", Status: StatusDegradedPerformance}},
				Incidents:  []Incident{{ID: "g", Name: "Café API & more", Impact: ImpactMinor, Status: "investigating", Components: []string{"Café API"}}},
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

func TestFeedSeverity(t *testing.T) {
	tests := []struct {
		text   string
		status ComponentStatus
		impact string
	}{
		{"Elevated latency", StatusDegradedPerformance, ImpactMinor},
		{"Slowdown on uploads", StatusDegradedPerformance, ImpactMinor},
		{"Downstream provider issues", StatusDegradedPerformance, ImpactMinor},
		{"API down", StatusMajorOutage, ImpactMajor},
		{"Chat API unavailable", StatusMajorOutage, ImpactMajor},
		{"Outage of the console", StatusMajorOutage, ImpactMajor},
		{"Partial outage in eu-west", StatusPartialOutage, ImpactMajor},
		{"The model is not available", StatusMajorOutage, ImpactMajor},
	}
	for _, tt := range tests {
		st, impact := feedSeverity(tt.text)
		assert.Equal(t, tt.status, st, tt.text)
		assert.Equal(t, tt.impact, impact, tt.text)
	}
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
