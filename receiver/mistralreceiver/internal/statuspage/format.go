package statuspage

import (
	"fmt"
	"strings"
)

// Format names a status page format.
type Format string

// The formats a Client reads. FormatAuto is not a format of its own: it asks
// the Client to find the format from the responses.
const (
	FormatAuto       Format = "auto"
	FormatStatuspage Format = "statuspage"
	FormatIncidentIO Format = "incidentio"
	FormatRootly     Format = "rootly"
	FormatRSS        Format = "rss"
	FormatAtom       Format = "atom"
)

// Formats lists the concrete formats in auto-detection order.
var formats = []Format{FormatStatuspage, FormatIncidentIO, FormatRootly, FormatRSS, FormatAtom}

// ParseFormat returns the Format named s (case-insensitive, surrounding
// spaces ignored). The empty string is FormatAuto. The error names the bad
// value and the valid ones.
func ParseFormat(s string) (Format, error) {
	v := Format(strings.ToLower(strings.TrimSpace(s)))
	if v == "" || v == FormatAuto {
		return FormatAuto, nil
	}
	for _, f := range formats {
		if v == f {
			return f, nil
		}
	}
	valid := make([]string, 0, len(formats))
	valid = append(valid, string(FormatAuto))
	for _, f := range formats[:len(formats)-1] {
		valid = append(valid, string(f))
	}
	return "", fmt.Errorf("unknown format %q (want %s or %s)", s, strings.Join(valid, ", "), formats[len(formats)-1])
}

// isFeed reports whether f is read from an RSS or Atom document.
func (f Format) isFeed() bool { return f == FormatRSS || f == FormatAtom }
