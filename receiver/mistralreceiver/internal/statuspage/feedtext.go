package statuspage

import (
	"html"
	"strings"
	"unicode"
)

// Feed items carry their status and affected services as HTML text, in two
// common layouts:
//
//	Checkly/Instatus style, one item per update:
//	  Status: Investigating<br/>Requests are degraded.<br/><br/>
//	  Affected services<ul><li>Audio API</li><li>Chat API</li></ul>
//	Statuspage history, one item per incident, newest update first:
//	  <p><small>Mar 12, 10:00 UTC</small><br><strong>Resolved</strong> - Fixed.</p>
//	  <p><small>Mar 12, 09:00 UTC</small><br><strong>Investigating</strong> - ...</p>
//
// This file reads both without an HTML parser.

// blockTags are the tags whose start or end breaks a line of text.
var blockTags = map[string]bool{
	"br": true, "p": true, "div": true, "li": true, "ul": true, "ol": true, "tr": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "hr": true,
	"table": true, "section": true, "article": true, "blockquote": true, "pre": true,
}

// tagName returns the lower-case name of the tag in s (the text between '<'
// and '>'), without a leading '/'.
func tagName(s string) string {
	s = strings.TrimPrefix(strings.TrimSpace(s), "/")
	end := strings.IndexFunc(s, func(r rune) bool { return r == ' ' || r == '/' || r == '\t' || r == '\n' || r == '\r' })
	if end >= 0 {
		s = s[:end]
	}
	return strings.ToLower(s)
}

// htmlText turns HTML into plain text: tags removed (block tags break
// lines), entities decoded, blanks collapsed, empty lines dropped.
func htmlText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for len(s) > 0 {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		s = s[i+1:]
		if strings.HasPrefix(s, "!--") {
			end := strings.Index(s, "-->")
			if end < 0 {
				break
			}
			s = s[end+3:]
			continue
		}
		j := strings.IndexByte(s, '>')
		if j < 0 {
			// A lone '<' is text.
			b.WriteByte('<')
			continue
		}
		if blockTags[tagName(s[:j])] {
			b.WriteByte('\n')
		} else {
			b.WriteByte(' ')
		}
		s = s[j+1:]
	}
	text := html.UnescapeString(b.String())
	lines := strings.Split(text, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = strings.Join(strings.FieldsFunc(l, unicode.IsSpace), " "); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// cleanText is htmlText on a single line.
func cleanText(s string) string { return strings.ReplaceAll(htmlText(s), "\n", " ") }

// Categories of the status words feeds use.
const (
	catIncidentOpen = iota + 1
	catIncidentClosed
	catMaintUpcoming
	catMaintActive
	catMaintDone
)

// statusWords maps the folded status words (see foldKey) to their category.
var statusWords = map[string]int{
	"investigating": catIncidentOpen,
	"identified":    catIncidentOpen,
	"monitoring":    catIncidentOpen,
	"update":        catIncidentOpen,
	"updated":       catIncidentOpen,
	"resolved":      catIncidentClosed,
	"postmortem":    catIncidentClosed,
	"scheduled":     catMaintUpcoming,
	"active":        catIncidentOpen,
	"inprogress":    catMaintActive,
	"verifying":     catMaintActive,
	"completed":     catMaintDone,
}

// statusWord recognises a status at the start of s and returns it
// normalised ("In progress - ..." gives "in_progress").
func statusWord(s string) (string, bool) {
	s = strings.TrimSpace(s)
	fields := strings.Fields(s)
	// Two-word statuses first ("In progress").
	for n := 2; n >= 1; n-- {
		if len(fields) < n {
			continue
		}
		w := strings.Join(fields[:n], " ")
		w = strings.TrimRight(w, ":-–—.,;!)]")
		if _, ok := statusWords[foldKey(w)]; ok {
			return normalizeStatusWord(w), true
		}
	}
	return "", false
}

// statusPrefix recognises a line that starts with a status followed by a
// separator ("Resolved - ...", "Monitoring: ...", "Identified" alone).
func statusPrefix(line string) (string, bool) {
	line = strings.TrimSpace(line)
	for _, sep := range []string{" - ", " – ", " — ", ":"} {
		if i := strings.Index(line, sep); i > 0 && i <= 20 {
			return statusWord(line[:i])
		}
	}
	if len(line) <= 20 {
		return statusWord(line)
	}
	return "", false
}

// itemStatuses lists the statuses an item states, newest first: after
// "Status:", in <strong>/<b> elements, at the start of lines of its text,
// then in its title ("[Resolved] ...", "Resolved: ...").
func itemStatuses(body, text, title string) []string {
	var out []string
	lines := strings.Split(text, "\n")
	for _, l := range lines {
		lower := asciiLower(l)
		if i := strings.Index(lower, "status:"); i >= 0 {
			if w, ok := statusWord(l[i+len("status:"):]); ok {
				out = append(out, w)
			}
		}
	}
	for _, inner := range elementTexts(body, "strong", "b") {
		if w, ok := statusPrefix(inner); ok {
			out = append(out, w)
		}
	}
	for _, l := range lines {
		if w, ok := statusPrefix(l); ok {
			out = append(out, w)
		}
	}
	t := strings.TrimSpace(title)
	if strings.HasPrefix(t, "[") || strings.HasPrefix(t, "(") {
		if end := strings.IndexAny(t, "])"); end > 0 {
			if w, ok := statusWord(t[1:end]); ok {
				out = append(out, w)
			}
		}
	} else if w, ok := statusPrefix(t); ok && strings.ContainsAny(t, ":-–—") {
		out = append(out, w)
	}
	return out
}

// elementTexts returns the text inside each of the named elements of body,
// in document order.
func elementTexts(body string, names ...string) []string {
	var out []string
	lower := asciiLower(body)
	pos := 0
	for pos < len(lower) {
		i := strings.IndexByte(lower[pos:], '<')
		if i < 0 {
			break
		}
		i += pos
		j := strings.IndexByte(lower[i:], '>')
		if j < 0 {
			break
		}
		j += i
		tag := lower[i+1 : j]
		pos = j + 1
		if strings.HasPrefix(tag, "/") {
			continue
		}
		name := tagName(tag)
		for _, n := range names {
			if name != n {
				continue
			}
			end := strings.Index(lower[pos:], "</"+n)
			if end < 0 {
				break
			}
			out = append(out, cleanText(body[pos:pos+end]))
			pos += end
			break
		}
		if len(out) >= maxNames {
			break
		}
	}
	return out
}

// Kinds of folded feed item.
const (
	kindClosed = iota
	kindIncident
	kindMaintenance
)

// classifyStatuses decides from an item's statuses (newest first) whether it
// is an open incident, a maintenance (in progress or upcoming) or closed,
// and its status. An item with no recognisable status is closed: a feed that
// never says "Resolved" cannot be told apart from its history, and an
// unreadable status must not raise a false outage.
func classifyStatuses(statuses []string) (kind int, status string) {
	if len(statuses) == 0 {
		return kindClosed, ""
	}
	newest := statuses[0]
	newestCat := statusWords[foldKey(newest)]
	maintStatus := ""
	for _, s := range statuses {
		switch statusWords[foldKey(s)] {
		case catMaintUpcoming, catMaintActive, catMaintDone:
			if maintStatus == "" {
				maintStatus = s
			}
		}
	}
	switch {
	case newestCat == catIncidentClosed || newestCat == catMaintDone:
		return kindClosed, newest
	case maintStatus != "":
		return kindMaintenance, maintStatus
	}
	return kindIncident, newest
}

// affected is a service an item names as affected, with the status the
// item states for it ("" when none).
type affected struct {
	name, group string
	status      ComponentStatus
}

// affectedServices lists the services an item names as affected: the <li>
// entries following "Affected services" (or "Affected components"), or the
// list after "This incident affected:" / "Affected services:" in its text,
// where "Group (A, B)" names A and B in group Group.
func affectedServices(body, text string) []affected {
	var out []affected
	add := func(a affected) bool {
		if a.name == "" {
			return true
		}
		if len(out) >= maxNames {
			return false
		}
		for _, v := range out {
			if v == a {
				return true
			}
		}
		out = append(out, a)
		return true
	}
	lower := asciiLower(body)
	if i := strings.Index(lower, "affected"); i >= 0 {
		rest := body[i:]
		restLower := lower[i:]
		if ul := strings.Index(restLower, "<li"); ul >= 0 {
			block := rest[ul:]
			blockLower := restLower[ul:]
			if end := strings.Index(blockLower, "</ul"); end >= 0 {
				block = block[:end]
			} else if end := strings.Index(blockLower, "</ol"); end >= 0 {
				block = block[:end]
			}
			for _, li := range strings.Split(block, "<li")[1:] {
				if gt := strings.IndexByte(li, '>'); gt >= 0 {
					li = li[gt+1:]
				}
				name, st, _ := splitComponentStatus(cleanText(li))
				if !add(affected{name: name, status: st}) {
					break
				}
			}
			if len(out) > 0 {
				return out
			}
		}
	}
	for _, l := range strings.Split(text, "\n") {
		ll := asciiLower(l)
		for _, p := range []string{"this incident affected:", "affected services:", "affected components:", "components affected:"} {
			i := strings.Index(ll, p)
			if i < 0 {
				continue
			}
			for _, item := range splitList(l[i+len(p):]) {
				if name, st, ok := splitComponentStatus(item); ok {
					if !add(affected{name: name, status: st}) {
						return out
					}
					continue
				}
				group, inner, ok := splitGroup(item)
				if !ok {
					if !add(affected{name: item}) {
						return out
					}
					continue
				}
				for _, n := range splitList(inner) {
					if !add(affected{name: n, group: group}) {
						return out
					}
				}
			}
		}
	}
	return out
}

// splitGroup splits "Group (A, B)" into "Group" and "A, B".
func splitGroup(s string) (group, inner string, ok bool) {
	if !strings.HasSuffix(s, ")") {
		return "", "", false
	}
	open := strings.IndexByte(s, '(')
	if open <= 0 {
		return "", "", false
	}
	group = strings.TrimSpace(s[:open])
	inner = strings.TrimSpace(s[open+1 : len(s)-1])
	return group, inner, group != "" && inner != ""
}

// splitList splits "A, B, and C." (or "A and B") into its items, ignoring
// commas inside parentheses.
func splitList(s string) []string {
	s = strings.TrimRight(strings.TrimSpace(s), ".")
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
		case ',':
			if depth == 0 {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	parts = append(parts, s[start:])
	var out []string
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if i == len(parts)-1 {
			p = strings.TrimSpace(strings.TrimPrefix(p, "and "))
			if len(parts) == 1 && !strings.Contains(p, "(") {
				if a, b, ok := strings.Cut(p, " and "); ok {
					out = append(out, strings.TrimSpace(a), strings.TrimSpace(b))
					continue
				}
			}
		}
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// containsWord reports whether w occurs in s between non-letters.
func containsWord(s, w string) bool {
	for from := 0; from < len(s); {
		i := strings.Index(s[from:], w)
		if i < 0 {
			return false
		}
		i += from
		before := i == 0 || !isLetter(s[i-1])
		after := i+len(w) == len(s) || !isLetter(s[i+len(w)])
		if before && after {
			return true
		}
		from = i + 1
	}
	return false
}

// isLetter reports whether the byte is an ASCII letter or part of a
// multi-byte character.
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80 }

// asciiLower lower-cases ASCII letters only, so that an index into the result
// is an index into s: strings.ToLower changes the length of invalid UTF-8
// and of some non-ASCII letters, and slicing s with its indices would panic.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
