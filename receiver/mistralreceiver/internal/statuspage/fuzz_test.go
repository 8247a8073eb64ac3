package statuspage

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// checkSnapshot asserts the invariants every parsed Snapshot keeps.
func checkSnapshot(t *testing.T, s Snapshot, err error) {
	t.Helper()
	if err != nil {
		if s.Format != "" || s.Components != nil || s.Incidents != nil || s.Maintenances != nil {
			t.Fatalf("error %v with a non-empty snapshot %+v", err, s)
		}
		return
	}
	if !slices.Contains(formats, s.Format) {
		t.Fatalf("format %q", s.Format)
	}
	if !slices.Contains(indicators, s.Indicator) {
		t.Fatalf("indicator %q", s.Indicator)
	}
	if sev := s.Indicator.Severity(); sev < 0 || sev > 4 {
		t.Fatalf("indicator severity %d", sev)
	}
	if len(s.Components) > maxComponents || len(s.Incidents) > maxIncidents || len(s.Maintenances) > maxMaintenances {
		t.Fatalf("bounds: %d components, %d incidents, %d maintenances", len(s.Components), len(s.Incidents), len(s.Maintenances))
	}
	for _, c := range s.Components {
		if !slices.Contains(componentStatuses, c.Status) {
			t.Fatalf("component %q status %q", c.Name, c.Status)
		}
		if sev := c.Status.Severity(); sev < 0 || sev > 4 {
			t.Fatalf("component severity %d", sev)
		}
		if c.Name == "" {
			t.Fatalf("nameless component %+v", c)
		}
	}
	for _, in := range s.Incidents {
		if !slices.Contains(impacts, in.Impact) {
			t.Fatalf("incident %q impact %q", in.Name, in.Impact)
		}
		if incidentClosed(in.Status) {
			t.Fatalf("closed incident listed as open: %+v", in)
		}
		if len(in.Components) > maxNames {
			t.Fatalf("incident names %d components", len(in.Components))
		}
	}
	for _, m := range s.Maintenances {
		if m.State != MaintenanceInProgress && m.State != MaintenanceUpcoming {
			t.Fatalf("maintenance %q state %q", m.Name, m.State)
		}
	}
}

// addSeeds adds every file under testdata/dirs as a seed.
func addSeeds(f *testing.F, dirs ...string) {
	for _, d := range dirs {
		entries, err := os.ReadDir(filepath.Join("testdata", d))
		if err != nil {
			f.Fatal(err)
		}
		for _, e := range entries {
			f.Add(readTestdata(f, d+"/"+e.Name()))
		}
	}
}

func FuzzParseStatuspage(f *testing.F) {
	addSeeds(f, "statuspage", "incidentio", "invalid")
	f.Add([]byte(`{"page":{},"status":{}}`))
	f.Add([]byte(`{"page":{"id":1},"status":{"indicator":null},"components":[{"name":"a","status":7,"group":"true","id":"g"},{"name":"b","group_id":"g"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := parseStatuspage(b)
		checkSnapshot(t, s, err)
		if sum, err := decodeSummary(b); err == nil {
			_ = looksIncidentIO(sum, nil)
		}
	})
}

func FuzzParseIncidentIO(f *testing.F) {
	f.Add(readTestdata(f, "incidentio/summary.json"), readTestdata(f, "incidentio/components.json"))
	f.Add(readTestdata(f, "statuspage/major_outage.json"), []byte(`[{"id":"x","name":"y","status":"full_outage","group":true}]`))
	f.Add([]byte(`{"page":{},"status":{}}`), []byte(`{"components":null}`))
	f.Fuzz(func(t *testing.T, summary, components []byte) {
		s, err := parseIncidentIO(summary, components)
		checkSnapshot(t, s, err)
	})
}

func FuzzParseRootly(f *testing.F) {
	f.Add(readTestdata(f, "rootly/status_incident.json"), []byte(nil))
	f.Add(readTestdata(f, "rootly/status_operational.json"), []byte(nil))
	f.Add(readTestdata(f, "rootly/status_no_incidents.json"), readTestdata(f, "rootly/incidents.json"))
	f.Add([]byte(`{"page":{},"status":{}}`), []byte(`[{"id":1,"severity":{"slug":"sev0"},"services":["x"],"attributes":{"title":"t"}}]`))
	f.Fuzz(func(t *testing.T, status, incidents []byte) {
		s, err := parseRootly(status, incidents)
		checkSnapshot(t, s, err)
	})
}

func FuzzParseFeed(f *testing.F) {
	addSeeds(f, "feed", "html", "invalid")
	f.Add([]byte(`<rss><channel><item><guid>g</guid><description>&lt;strong&gt;In progress&lt;/strong&gt; - x</description></item></channel></rss>`))
	f.Add([]byte(`<feed><entry><id>a</id><content type="xhtml"><div><b>Identified</b> affected: A (B, C) and D</div></content></entry></feed>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := parseFeed(b)
		checkSnapshot(t, s, err)
	})
}

// FuzzFeedText feeds the HTML helpers directly, without XML around them.
func FuzzFeedText(f *testing.F) {
	f.Add("Status: Investigating<br/>Requests are degraded.<br/><br/>Affected services<ul><li>Audio API</li></ul>", "Title")
	f.Add("<p><strong>Resolved</strong> - done</p><p>This incident affected: API (A, B), and C.</p>", "[Resolved] x")
	f.Add("<li", "(")
	f.Add("<strong>", "Status:")
	f.Add("<b>Status: Investigating</b><br/><br/>x<br/><br/><b>Affected components</b><ul><li>Search (Full outage)</li></ul>", "t")
	f.Add("<p>Severity: outage</p>", "[Grok (Web)] Models outage")
	f.Fuzz(func(t *testing.T, body, title string) {
		text := htmlText(body)
		statuses := itemStatuses(body, text, cleanText(title))
		kind, status := classifyStatuses(statuses)
		if kind == kindIncident && incidentClosed(status) {
			t.Fatalf("closed status %q classified open", status)
		}
		services := affectedServices(body, text)
		for _, a := range services {
			if a.name == "" {
				t.Fatal("empty affected service")
			}
		}
		sev := entrySeverity(title, text, nil, services)
		if st, impact := sev.componentStatus(), sev.impact(); !slices.Contains(componentStatuses, st) || !slices.Contains(impacts, impact) {
			t.Fatalf("severity %q %q", st, impact)
		}
	})
}

// FuzzLooksHTML checks the body sniffer never panics on any prefix.
func FuzzLooksHTML(f *testing.F) {
	addSeeds(f, "html", "invalid")
	f.Add([]byte("\xef\xbb\xbf  <!-- x --> <!DOCTYPE html>"))
	f.Fuzz(func(_ *testing.T, b []byte) {
		_ = looksHTML(b)
	})
}
