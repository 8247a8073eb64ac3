package mistralreceiver // import "github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver"

import (
	"net/url"
	"regexp"
	"strings"
)

// userinfoRE matches the userinfo of a URL inside any text.
var userinfoRE = regexp.MustCompile(`([a-zA-Z][a-zA-Z0-9+.\-]*://)[^/@\s"']*@`)

// redactURL removes the userinfo (user:password@) of a URL.
func redactURL(s string) string {
	if u, err := url.Parse(s); err == nil && u.User != nil {
		u.User = nil
		return u.String()
	}
	return userinfoRE.ReplaceAllString(s, "$1")
}

// redactor scrubs error messages before they reach a log: URLs lose their
// userinfo and the API key, should it ever appear, is replaced.
type redactor struct {
	secret string
}

// message returns err's text, redacted. A nil error gives "".
func (r redactor) message(err error) string {
	if err == nil {
		return ""
	}
	msg := userinfoRE.ReplaceAllString(err.Error(), "$1")
	if r.secret != "" {
		msg = strings.ReplaceAll(msg, r.secret, "[REDACTED]")
	}
	return msg
}
