package fakemistral

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// StatusFormat is the vendor format a fake status page speaks.
type StatusFormat string

// Status page formats. A page answers 404 on every path its format does not
// serve, so that format detection has to try endpoints in turn.
const (
	// FormatStatuspage is Atlassian Statuspage v2: /api/v2/summary.json,
	// status.json, components.json, incidents.json, incidents/unresolved.json,
	// scheduled-maintenances.json, scheduled-maintenances/upcoming.json and
	// active.json, plus the /history.rss and /history.atom feeds.
	FormatStatuspage StatusFormat = "statuspage"
	// FormatIncidentIO is incident.io's Statuspage-compatible API:
	// /api/v2/summary.json lists only part of the components (never the
	// affected one), /api/v2/components.json lists them all; a major outage
	// reads "full_outage". Also status.json, incidents.json and
	// incidents/unresolved.json.
	FormatIncidentIO StatusFormat = "incidentio"
	// FormatRootly is Rootly's public API: /api/v1/status.json and
	// /api/v1/incidents.json (?page=&per_page=).
	FormatRootly StatusFormat = "rootly"
	// FormatRSS is a Checkly-style /feed.rss: one <item> per incident update,
	// the guid repeated across an incident's updates.
	FormatRSS StatusFormat = "rss"
	// FormatAtom is a /history.atom feed: one <entry> per incident update,
	// the id repeated across an incident's updates.
	FormatAtom StatusFormat = "atom"
	// FormatChallenge answers every path with a Cloudflare-style HTTP 403
	// "Just a moment..." HTML page.
	FormatChallenge StatusFormat = "challenge"
	// FormatRedirectHTML answers every path with a 301 to /{name}/home,
	// which answers 200 text/html.
	FormatRedirectHTML StatusFormat = "redirect_html"
	// FormatNotFound answers 404 everywhere.
	FormatNotFound StatusFormat = "not_found"
	// FormatInvalidJSON answers the Statuspage and Rootly JSON endpoints with
	// 200 application/json and a truncated body.
	FormatInvalidJSON StatusFormat = "invalid_json"
)

// StatusFormats lists every format.
func StatusFormats() []StatusFormat {
	return []StatusFormat{FormatStatuspage, FormatIncidentIO, FormatRootly, FormatRSS, FormatAtom,
		FormatChallenge, FormatRedirectHTML, FormatNotFound, FormatInvalidJSON,
		FormatCorpusIncidentIO, FormatCorpusStatuspage, FormatCorpusChecklyRSS, FormatCorpusBetterStack,
		FormatCorpusSeverity, FormatCorpusRootly}
}

// Scenario is the state a fake status page shows.
type Scenario string

// Scenarios. The first API component of the page is the affected one.
const (
	// ScenarioOperational: everything operational, no incident.
	ScenarioOperational Scenario = "operational"
	// ScenarioMinor: a degraded_performance component and an open minor
	// incident (Investigating, then Identified); indicator minor.
	ScenarioMinor Scenario = "minor"
	// ScenarioMajorOutage: a major_outage component (full_outage on
	// incident.io) and an open major incident (Investigating); indicator
	// critical (major on Rootly).
	ScenarioMajorOutage Scenario = "major_outage"
	// ScenarioMaintenance: an under_maintenance component, an in_progress
	// maintenance and one scheduled in three days; indicator maintenance.
	// Feeds show the maintenance in progress ("Status: In progress").
	ScenarioMaintenance Scenario = "maintenance"
	// ScenarioResolved: everything operational and an incident whose newest
	// update is Resolved (Investigating, Monitoring, Resolved).
	ScenarioResolved Scenario = "resolved"
)

// Scenarios lists every scenario.
func Scenarios() []Scenario {
	return []Scenario{ScenarioOperational, ScenarioMinor, ScenarioMajorOutage, ScenarioMaintenance, ScenarioResolved}
}

// StatusPage is a fake status page: a format and the scenario it shows.
// Empty fields mean statuspage and operational.
type StatusPage struct {
	Format   StatusFormat `json:"format"`
	Scenario Scenario     `json:"scenario"`
}

func (p StatusPage) withDefaults() StatusPage {
	if p.Format == "" {
		p.Format = FormatStatuspage
	}
	if p.Scenario == "" {
		p.Scenario = ScenarioOperational
	}
	return p
}

// Validate names an unknown format or scenario.
func (p StatusPage) Validate() error {
	if p.Format != "" && !slices.Contains(StatusFormats(), p.Format) {
		return fmt.Errorf("unknown status page format %q", p.Format)
	}
	if p.Scenario != "" && !slices.Contains(Scenarios(), p.Scenario) {
		return fmt.Errorf("unknown status page scenario %q", p.Scenario)
	}
	return nil
}

func validPageName(name string) error {
	if name == "" || strings.Trim(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != "" {
		return fmt.Errorf("status page name %q must be non-empty letters, digits, '.', '_' or '-'", name)
	}
	return nil
}

// defaultPages are the pages after New and Reset.
func defaultPages() map[string]StatusPage {
	return map[string]StatusPage{
		"mistral":   {Format: FormatRSS, Scenario: ScenarioOperational},
		"anthropic": {Format: FormatStatuspage, Scenario: ScenarioOperational},
		"openai":    {Format: FormatIncidentIO, Scenario: ScenarioOperational},
		"rootly":    {Format: FormatRootly, Scenario: ScenarioOperational},
	}
}

// SetStatusPage creates or replaces the page served under /{name}/ on the
// status listener.
func (s *Server) SetStatusPage(name string, p StatusPage) {
	s.mu.Lock()
	s.pages[name] = p.withDefaults()
	s.mu.Unlock()
}

// StatusPages returns a copy of the pages by name.
func (s *Server) StatusPages() map[string]StatusPage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.pages)
}

func (s *Server) page(name string) (StatusPage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.pages[name]
	return p, ok
}

func (s *Server) newStatusMux() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{name}/{rest...}", s.servePage)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		pages := s.StatusPages()
		for _, name := range slices.Sorted(maps.Keys(pages)) {
			fmt.Fprintf(w, "/%s/ %s %s\n", name, pages[name].Format, pages[name].Scenario)
		}
	})
	return mux
}

// servePage answers a path of a page in the page's format.
func (s *Server) servePage(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	p, ok := s.page(name)
	if !ok {
		http.NotFound(w, r)
		return
	}
	rest := "/" + r.PathValue("rest")
	switch p.Format {
	case FormatChallenge:
		writeChallenge(w)
		return
	case FormatRedirectHTML:
		if rest == "/home" {
			writeHTML(w, http.StatusOK, homeHTML)
			return
		}
		http.Redirect(w, r, "/"+name+"/home", http.StatusMovedPermanently)
		return
	case FormatNotFound:
		http.NotFound(w, r)
		return
	}
	if serveCorpus(w, r, p.Format, rest) {
		return
	}
	m := buildPage(name, p.Scenario, s.now())
	var (
		ctype string
		body  []byte
	)
	switch p.Format {
	case FormatStatuspage:
		ctype, body = "application/json; charset=utf-8", statuspageJSON(m, rest, false)
		switch rest {
		case "/history.rss":
			ctype, body = "application/rss+xml; charset=utf-8", rssFeedXML(m, "/incidents/")
		case "/history.atom":
			ctype, body = "application/atom+xml; charset=utf-8", atomFeedXML(m, rest)
		}
	case FormatIncidentIO:
		ctype, body = "application/json; charset=utf-8", statuspageJSON(m, rest, true)
	case FormatRootly:
		ctype, body = "application/json; charset=utf-8", rootlyJSON(m, rest, r.URL.Query())
	case FormatRSS:
		if rest == "/feed.rss" {
			ctype, body = "application/rss+xml; charset=utf-8", rssFeedXML(m, "/incident/")
		}
	case FormatAtom:
		if rest == "/history.atom" {
			ctype, body = "application/atom+xml; charset=utf-8", atomFeedXML(m, rest)
		}
	case FormatInvalidJSON:
		full := statuspageJSON(m, rest, false)
		if full == nil {
			full = rootlyJSON(m, rest, r.URL.Query())
		}
		if full != nil {
			ctype, body = "application/json; charset=utf-8", full[:len(full)/2]
		}
	}
	if body == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "max-age=0, private, must-revalidate")
	_, _ = w.Write(body)
}
