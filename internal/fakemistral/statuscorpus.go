package fakemistral

import (
	"embed"
	"net/http"
	"path"
)

// feedCorpus holds real-shaped feed entries of each vendor and the rating
// each must get (feedcorpus/expected.json); feedcorpus/README.md names the
// sources. The corpus formats serve these documents as they are, whatever
// the scenario.
//
//go:embed feedcorpus/*.rss feedcorpus/*.atom feedcorpus/*.json
var feedCorpus embed.FS

// Corpus formats.
const (
	// FormatCorpusIncidentIO serves incident.io's history feed
	// (status.openai.com) at /history.atom and /feed.atom.
	FormatCorpusIncidentIO StatusFormat = "corpus_incidentio"
	// FormatCorpusStatuspage serves Atlassian Statuspage history feeds at
	// /history.rss (status.claude.com) and /history.atom (githubstatus.com).
	FormatCorpusStatuspage StatusFormat = "corpus_statuspage"
	// FormatCorpusChecklyRSS serves the Checkly/Instatus-style /feed.rss
	// status.mistral.ai had before it moved to Rootly.
	FormatCorpusChecklyRSS StatusFormat = "corpus_checkly"
	// FormatCorpusBetterStack serves a Better Stack /feed.rss.
	FormatCorpusBetterStack StatusFormat = "corpus_betterstack"
	// FormatCorpusSeverity serves a /feed.rss whose items carry a
	// "Severity:" line and categories (status.x.ai's feed).
	FormatCorpusSeverity StatusFormat = "corpus_severity"
	// FormatCorpusRootly serves Rootly's /api/v1/status.json answering
	// "incidents": null and the incident list at /api/v1/incidents.json.
	FormatCorpusRootly StatusFormat = "corpus_rootly"
)

// corpusRoutes maps each corpus format's paths to their documents.
var corpusRoutes = map[StatusFormat]map[string]string{
	FormatCorpusIncidentIO:  {"/history.atom": "incidentio_history.atom", "/feed.atom": "incidentio_history.atom"},
	FormatCorpusStatuspage:  {"/history.rss": "statuspage_history.rss", "/history.atom": "statuspage_history.atom"},
	FormatCorpusChecklyRSS:  {"/feed.rss": "checkly_feed.rss"},
	FormatCorpusBetterStack: {"/feed.rss": "betterstack_feed.rss"},
	FormatCorpusSeverity:    {"/feed.rss": "severity_feed.rss"},
	FormatCorpusRootly:      {"/api/v1/status.json": "rootly_status.json", "/api/v1/incidents.json": "rootly_incidents.json"},
}

// corpusContentTypes are the content types by file extension.
var corpusContentTypes = map[string]string{
	".rss":  "application/rss+xml; charset=utf-8",
	".atom": "application/atom+xml; charset=utf-8",
	".json": "application/json; charset=utf-8",
}

// serveCorpus answers rest for a corpus format; false when f is none.
func serveCorpus(w http.ResponseWriter, r *http.Request, f StatusFormat, rest string) bool {
	routes, ok := corpusRoutes[f]
	if !ok {
		return false
	}
	file, ok := routes[rest]
	if !ok {
		http.NotFound(w, r)
		return true
	}
	body, err := feedCorpus.ReadFile("feedcorpus/" + file)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return true
	}
	w.Header().Set("Content-Type", corpusContentTypes[path.Ext(file)])
	w.Header().Set("Cache-Control", "max-age=0, private, must-revalidate")
	_, _ = w.Write(body)
	return true
}
