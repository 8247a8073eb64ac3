package statuspage

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// maxFeedItems bounds the items (RSS) or entries (Atom) read from one feed.
const maxFeedItems = 500

// Feed paths tried after the JSON formats, in order.
var feedPaths = []string{"/feed.rss", "/history.rss", "/history.atom"}

// rssItem is an RSS 2.0 (or 1.0) item. Element names match in any namespace,
// so content:encoded and dc:date are read too.
type rssItem struct {
	Title       string   `xml:"title"`
	Links       []string `xml:"link"`
	GUIDs       []string `xml:"guid"`
	PubDate     string   `xml:"pubDate"`
	Date        string   `xml:"date"`
	Description string   `xml:"description"`
	Encoded     string   `xml:"encoded"`
	Categories  []string `xml:"category"`
	About       string   `xml:"about,attr"`
}

// atomText is an Atom text construct: text, escaped HTML or inline XHTML.
type atomText struct {
	Type  string `xml:"type,attr"`
	Text  string `xml:",chardata"`
	Inner string `xml:",innerxml"`
}

// String returns the construct as text or HTML.
func (t atomText) String() string {
	if strings.EqualFold(strings.TrimSpace(t.Type), "xhtml") {
		return t.Inner
	}
	return t.Text
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
}

// atomEntry is an Atom entry.
type atomEntry struct {
	ID         string     `xml:"id"`
	Title      atomText   `xml:"title"`
	Updated    string     `xml:"updated"`
	Published  string     `xml:"published"`
	Content    atomText   `xml:"content"`
	Summary    atomText   `xml:"summary"`
	Links      []atomLink `xml:"link"`
	Categories []struct {
		Term string `xml:"term,attr"`
	} `xml:"category"`
}

// feedItem is one RSS item or Atom entry, format-neutral.
type feedItem struct {
	key        string // guid, Atom id, link or title: what folds updates together
	title      string
	body       string // HTML
	categories []string
	when       time.Time
	order      int
}

// parseFeed parses an RSS 2.0/1.0 or Atom document into a Snapshot: items
// are folded by guid (Atom: id), the newest by date wins (document order
// breaks ties, first wins, as feeds list newest first), and each folded item
// is an open incident, a maintenance, or closed, from its newest status
// (see feedtext.go). Format is FormatRSS or FormatAtom from the root element.
func parseFeed(b []byte) (Snapshot, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return Snapshot{}, errors.New("empty body")
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charsetReader

	var (
		format Format
		items  []feedItem
		depth  int
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Snapshot{}, fmt.Errorf("invalid XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if format == "" {
				switch strings.ToLower(t.Name.Local) {
				case "rss", "rdf":
					format = FormatRSS
				case "feed":
					format = FormatAtom
				default:
					return Snapshot{}, fmt.Errorf("%w: root element <%s> is not <rss> or <feed>", errWrongShape, t.Name.Local)
				}
				depth++
				continue
			}
			name := t.Name.Local
			switch {
			case format == FormatRSS && name == "item", format == FormatAtom && name == "entry":
				if len(items) >= maxFeedItems {
					if err := d.Skip(); err != nil {
						return Snapshot{}, fmt.Errorf("invalid XML: %w", err)
					}
					continue
				}
				it, err := decodeItem(d, &t, format)
				if err != nil {
					return Snapshot{}, fmt.Errorf("invalid XML: %w", err)
				}
				it.order = len(items)
				items = append(items, it)
			default:
				depth++
			}
		case xml.EndElement:
			depth--
		}
	}
	if format == "" {
		return Snapshot{}, fmt.Errorf("%w: no XML element", errWrongShape)
	}
	if depth > 0 {
		return Snapshot{}, errors.New("invalid XML: document ends inside an element")
	}
	return feedSnapshot(format, items), nil
}

// decodeItem decodes one item or entry the decoder is positioned on.
func decodeItem(d *xml.Decoder, start *xml.StartElement, format Format) (feedItem, error) {
	if format == FormatAtom {
		var e atomEntry
		if err := d.DecodeElement(&e, start); err != nil {
			return feedItem{}, err
		}
		link := ""
		for _, l := range e.Links {
			if l.Rel == "" || l.Rel == "alternate" {
				link = l.Href
				break
			}
		}
		title := e.Title.String()
		var categories []string
		for _, c := range e.Categories {
			categories = append(categories, c.Term)
		}
		return feedItem{
			categories: categories,
			key:        firstNonEmpty(e.ID, link, title),
			title:      title,
			body:       fuller(e.Content.String(), e.Summary.String()),
			when:       firstTime(e.Updated, e.Published),
		}, nil
	}
	var it rssItem
	if err := d.DecodeElement(&it, start); err != nil {
		return feedItem{}, err
	}
	return feedItem{
		key:        firstNonEmpty(append(append(append([]string{}, it.GUIDs...), it.About), append(it.Links, it.Title)...)...),
		title:      it.Title,
		body:       firstNonEmpty(it.Description, it.Encoded),
		categories: it.Categories,
		when:       firstTime(it.PubDate, it.Date),
	}, nil
}

// fuller returns the longer of an Atom entry's content and summary:
// incident.io puts the affected components only in the summary, Statuspage
// only writes content.
func fuller(content, summary string) string {
	if len(strings.TrimSpace(summary)) > len(strings.TrimSpace(content)) {
		return summary
	}
	return content
}

// feedSnapshot folds the items and classifies each incident.
func feedSnapshot(format Format, items []feedItem) Snapshot {
	snap := Snapshot{Format: format}
	newest := make(map[string]int, len(items))
	var keys []string
	for i, it := range items {
		j, ok := newest[it.key]
		if !ok {
			newest[it.key] = i
			keys = append(keys, it.key)
			continue
		}
		if it.when.After(items[j].when) {
			newest[it.key] = i
		}
	}
	for _, k := range keys {
		it := items[newest[k]]
		classifyItem(&snap, it)
	}
	// The indicator comes from the open incidents and maintenances only: the
	// components are themselves derived from the incidents' wording.
	snap.Indicator = deriveIndicator(&Snapshot{Incidents: snap.Incidents, Maintenances: snap.Maintenances})
	return snap
}

// classifyItem adds one folded item to the snapshot.
func classifyItem(snap *Snapshot, it feedItem) {
	title := cleanText(it.title)
	text := htmlText(it.body)
	statuses := itemStatuses(it.body, text, title)
	kind, status := classifyStatuses(statuses)
	switch kind {
	case kindClosed:
		return
	case kindMaintenance:
		state, ok := maintenanceState(status)
		if !ok || len(snap.Maintenances) >= maxMaintenances {
			return
		}
		snap.Maintenances = append(snap.Maintenances, Maintenance{ID: it.key, Name: title, State: state})
		if state == MaintenanceInProgress {
			for _, a := range affectedServices(it.body, text) {
				addFeedComponent(snap, a, StatusUnderMaintenance)
			}
		}
		return
	}
	if len(snap.Incidents) >= maxIncidents {
		return
	}
	services := affectedServices(it.body, text)
	sev := entrySeverity(title, text, it.categories, services)
	inc := Incident{ID: it.key, Name: title, Impact: sev.impact(), Status: status}
	for _, a := range services {
		inc.Components = appendUnique(inc.Components, a.name)
		st := a.status
		if st == "" {
			st = sev.componentStatus()
		}
		addFeedComponent(snap, a, st)
	}
	snap.Incidents = append(snap.Incidents, inc)
}

// addFeedComponent adds a service named by a feed item as a component.
func addFeedComponent(snap *Snapshot, a affected, st ComponentStatus) {
	if a.name == "" || len(snap.Components) >= maxComponents {
		return
	}
	snap.Components = addComponent(snap.Components, Component{Name: a.name, Group: a.group, Status: st})
}

// feedTimeLayouts are the date layouts seen in feeds (RFC 822 and 1123 with
// their common variants, RFC 3339).
var feedTimeLayouts = []string{
	time.RFC1123Z, time.RFC1123, time.RFC3339Nano, time.RFC3339,
	"Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, _2 Jan 2006 15:04:05 -0700", "Mon, _2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04 -0700", "Mon, 2 Jan 2006 15:04 MST",
	"2 Jan 2006 15:04:05 -0700", "2 Jan 2006 15:04:05 MST",
	time.RFC822Z, time.RFC822, "2006-01-02 15:04:05Z07:00", "2006-01-02T15:04:05",
}

// parseFeedTime parses a feed date; the zero time when it cannot.
func parseFeedTime(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	for _, l := range feedTimeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// firstTime parses the first of the dates that parses.
func firstTime(v ...string) time.Time {
	for _, s := range v {
		if t := parseFeedTime(s); !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// charsetReader lets the decoder read the single-byte encodings feeds
// declare besides UTF-8 (ISO-8859-1, Windows-1252 and ASCII are read as
// Latin-1, which is exact for the first and close enough for the others).
func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(charset)) {
	case "utf-8", "utf8", "":
		return input, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "windows-1252", "cp1252":
		b, err := io.ReadAll(input)
		if err != nil {
			return nil, err
		}
		var out strings.Builder
		out.Grow(len(b))
		for _, c := range b {
			out.WriteRune(rune(c))
		}
		return strings.NewReader(out.String()), nil
	}
	return nil, fmt.Errorf("unsupported charset %q", charset)
}
