package fakemistral

import (
	"encoding/xml"
	"html"
	"net/http"
	"sort"
	"strings"
	"time"
)

type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	LastBuildDate string    `xml:"lastBuildDate"`
	Items         []rssItem `xml:"item"`
}

type rssItem struct {
	Title       string  `xml:"title"`
	Description cdata   `xml:"description"`
	Link        string  `xml:"link"`
	GUID        rssGUID `xml:"guid"`
	PubDate     string  `xml:"pubDate"`
}

type cdata struct {
	Text string `xml:",cdata"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type atomDoc struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	ID        string      `xml:"id"`
	Published string      `xml:"published"`
	Updated   string      `xml:"updated"`
	Link      atomLink    `xml:"link"`
	Title     string      `xml:"title"`
	Content   atomContent `xml:"content"`
}

type atomContent struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

// feedEntry is one update of one incident, as the feeds show it.
type feedEntry struct {
	incident incidentModel
	update   updateModel
}

// feedStatus is an update status as the feeds spell it.
func feedStatus(s string) string {
	switch s {
	case "in_progress":
		return "In progress"
	case "":
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// feedEntries lists every update of every incident and of the maintenance in
// progress, newest first.
func feedEntries(m pageModel) []feedEntry {
	var out []feedEntry
	add := func(in incidentModel) {
		for _, u := range in.Updates {
			out = append(out, feedEntry{incident: in, update: u})
		}
	}
	for _, in := range m.Incidents {
		add(in)
	}
	for _, in := range m.Maintenances {
		if in.inProgress {
			add(in)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].update.At.After(out[j].update.At) })
	return out
}

// feedDescription is the HTML of one update:
// Status: Investigating<br/>Body<br/><br/>Affected services<ul><li>Chat API</li></ul>.
func feedDescription(m pageModel, e feedEntry) string {
	var b strings.Builder
	b.WriteString("Status: " + feedStatus(e.update.Status) + "<br/>" + html.EscapeString(e.update.Body))
	if len(e.incident.ComponentIdx) > 0 {
		b.WriteString("<br/><br/>Affected services<ul>")
		for _, i := range e.incident.ComponentIdx {
			b.WriteString("<li>" + html.EscapeString(m.Components[i].Name) + "</li>")
		}
		b.WriteString("</ul>")
	}
	return b.String()
}

// rssFeedXML renders the RSS feed; incident links are URL+linkPath+id.
func rssFeedXML(m pageModel, linkPath string) []byte {
	doc := rssDoc{Version: "2.0", Channel: rssChannel{
		Title: m.Title + " status", Link: m.URL, Description: "Status updates for " + m.Title,
		LastBuildDate: m.Updated.UTC().Format(http.TimeFormat),
	}}
	for _, e := range feedEntries(m) {
		link := m.URL + linkPath + e.incident.ID
		doc.Channel.Items = append(doc.Channel.Items, rssItem{
			Title: e.incident.Name, Description: cdata{feedDescription(m, e)}, Link: link,
			GUID: rssGUID{IsPermaLink: "true", Value: link}, PubDate: e.update.At.UTC().Format(http.TimeFormat),
		})
	}
	return marshalXML(doc)
}

// atomFeedXML renders the Atom feed served at path.
func atomFeedXML(m pageModel, path string) []byte {
	host := strings.TrimPrefix(m.URL, "https://")
	doc := atomDoc{ID: "tag:" + host + ",2005:/history", Title: m.Title + " Status - Incident History",
		Updated: m.Updated.UTC().Format(time.RFC3339),
		Links: []atomLink{{Rel: "alternate", Type: "text/html", Href: m.URL},
			{Rel: "self", Type: "application/atom+xml", Href: m.URL + path}}}
	for _, e := range feedEntries(m) {
		doc.Entries = append(doc.Entries, atomEntry{
			ID:        "tag:" + host + ",2005:Incident/" + e.incident.ID,
			Published: e.incident.Created.UTC().Format(time.RFC3339),
			Updated:   e.update.At.UTC().Format(time.RFC3339),
			Link:      atomLink{Rel: "alternate", Type: "text/html", Href: m.URL + "/incidents/" + e.incident.ID},
			Title:     e.incident.Name,
			Content:   atomContent{Type: "html", Body: feedDescription(m, e)},
		})
	}
	return marshalXML(doc)
}

func marshalXML(v any) []byte {
	b, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil
	}
	return append([]byte(xml.Header), append(b, '\n')...)
}
