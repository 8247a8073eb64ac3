package outbound

import (
	"net/url"
	"regexp"
	"strings"
)

// RedactURL returns rawURL as it may appear in an error or a log line:
// without userinfo, query or fragment, where credentials and tokens travel.
// A URL that does not parse is cut the same way, by its text.
func RedactURL(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		s := rawURL
		if i := strings.IndexAny(s, "?#"); i >= 0 {
			s = s[:i]
		}
		if j := strings.Index(s, "://"); j >= 0 {
			if i := strings.LastIndex(s, "@"); i > j {
				s = s[:j+3] + s[i+1:]
			}
		}
		return s
	}
	if u.User == nil && u.RawQuery == "" && !u.ForceQuery && u.Fragment == "" && u.RawFragment == "" {
		return rawURL
	}
	u.User = nil
	u.RawQuery = ""
	u.ForceQuery = false
	u.Fragment = ""
	u.RawFragment = ""
	return u.String()
}

// urlRE matches a URL inside free text, up to a blank or a quote.
var urlRE = regexp.MustCompile(`[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s"'<>]+`)

// RedactText applies RedactURL to every URL in s (an error message).
func RedactText(s string) string {
	return urlRE.ReplaceAllStringFunc(s, RedactURL)
}
