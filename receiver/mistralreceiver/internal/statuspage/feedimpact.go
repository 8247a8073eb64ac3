package statuspage

import (
	"strings"
)

// A feed entry is rated from what it states about its impact, never from
// the wording of its sentences: "some requests may return 503 Service
// Unavailable" is prose, not a rating. What counts, strongest first:
//
//  1. a labelled field: a "Severity: X" or "Impact: X" line, or an RSS
//     <category> / Atom <category term> that is an impact word;
//  2. the statuses the entry gives its affected components, as incident.io
//     feeds do ("Search (Degraded performance)"): the worst one;
//  3. the title's status label: a leading "[X]" tag, or a status phrase
//     ("partial outage", "major outage", "degraded performance", or a bare
//     "outage", read as partial: an outage of unstated extent).
//
// An entry that states none is unrated: its impact is none, like an impact
// a JSON page states in words the receiver does not know (normalizeImpact).

// severity is what a feed entry states about its impact.
type severity int

// The severities, from unstated to worst.
const (
	sevUnstated severity = iota
	sevDegraded          // degraded performance: minor impact
	sevPartial           // partial outage: major impact
	sevMajor             // major (full) outage: critical impact
)

// impact is the incident impact a severity states.
func (s severity) impact() string {
	switch s {
	case sevDegraded:
		return ImpactMinor
	case sevPartial:
		return ImpactMajor
	case sevMajor:
		return ImpactCritical
	}
	return ImpactNone
}

// componentStatus is the status of an affected component whose own status
// the entry does not state. A component an open incident names is at least
// degraded: that is what "affected" says.
func (s severity) componentStatus() ComponentStatus {
	switch s {
	case sevPartial:
		return StatusPartialOutage
	case sevMajor:
		return StatusMajorOutage
	}
	return StatusDegradedPerformance
}

// impactSeverity is the severity a stated impact (see impactWords) implies.
func impactSeverity(impact string) severity {
	switch impact {
	case ImpactMinor:
		return sevDegraded
	case ImpactMajor:
		return sevPartial
	case ImpactCritical:
		return sevMajor
	}
	return sevUnstated
}

// statedSeverity reads a labelled value ("MAJOR", "Partial outage",
// "degraded - see below"): its first one or two words.
func statedSeverity(v string) (severity, bool) {
	fields := strings.FieldsFunc(v, func(r rune) bool {
		return r == ' ' || r == '\t' || r == ',' || r == '.' || r == ';' || r == '(' || r == ')' || r == '-' || r == '–'
	})
	for n := min(2, len(fields)); n >= 1; n-- {
		if imp, ok := impactWords[foldKey(strings.Join(fields[:n], " "))]; ok {
			return impactSeverity(imp), true
		}
	}
	return sevUnstated, false
}

// componentSeverity is the severity a stated component status implies.
func componentSeverity(c ComponentStatus) severity {
	switch c {
	case StatusDegradedPerformance:
		return sevDegraded
	case StatusPartialOutage:
		return sevPartial
	case StatusMajorOutage:
		return sevMajor
	}
	return sevUnstated
}

// splitComponentStatus splits "Search (Degraded performance)" into the
// component and its stated status; ok is false when the parenthesis holds
// no status (it may be a group's member list).
func splitComponentStatus(s string) (name string, st ComponentStatus, ok bool) {
	if !strings.HasSuffix(s, ")") {
		return s, "", false
	}
	open := strings.LastIndexByte(s, '(')
	if open <= 0 {
		return s, "", false
	}
	st, ok = componentStatusWords[foldKey(s[open+1:len(s)-1])]
	if !ok {
		return s, "", false
	}
	return strings.TrimSpace(s[:open]), st, true
}

// labelledSeverity finds a "Severity: X" or "Impact: X" line in the text,
// or an impact word among the categories.
func labelledSeverity(text string, categories []string) (severity, bool) {
	for _, l := range strings.Split(text, "\n") {
		key, value, found := strings.Cut(l, ":")
		if !found {
			continue
		}
		switch foldKey(key) {
		case "severity", "impact", "severitylevel", "impactlevel":
			if s, ok := statedSeverity(value); ok {
				return s, true
			}
		}
	}
	worst, found := sevUnstated, false
	for _, c := range categories {
		if imp, ok := impactWords[foldKey(c)]; ok {
			worst, found = max(worst, impactSeverity(imp)), true
		}
	}
	return worst, found
}

// titleSeverity reads the title's status label: a leading "[X]" tag, else
// a status phrase.
func titleSeverity(title string) (severity, bool) {
	t := strings.TrimSpace(title)
	if strings.HasPrefix(t, "[") {
		if end := strings.IndexByte(t, ']'); end > 0 {
			if s, ok := statedSeverity(t[1:end]); ok {
				return s, true
			}
		}
	}
	lower := strings.ToLower(t)
	for _, p := range []struct {
		phrase string
		sev    severity
	}{
		{"major outage", sevMajor}, {"full outage", sevMajor}, {"complete outage", sevMajor}, {"total outage", sevMajor},
		{"partial outage", sevPartial}, {"degraded performance", sevDegraded},
	} {
		if strings.Contains(lower, p.phrase) {
			return p.sev, true
		}
	}
	if containsWord(lower, "outage") {
		return sevPartial, true
	}
	return sevUnstated, false
}

// entrySeverity rates an open feed incident (see the top of this file).
func entrySeverity(title, text string, categories []string, services []affected) severity {
	if s, ok := labelledSeverity(text, categories); ok {
		return s
	}
	worst, stated := sevUnstated, false
	for _, a := range services {
		if a.status != "" {
			worst, stated = max(worst, componentSeverity(a.status)), true
		}
	}
	if stated {
		return worst
	}
	s, _ := titleSeverity(title)
	return s
}
