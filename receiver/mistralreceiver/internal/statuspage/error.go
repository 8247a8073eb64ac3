package statuspage

import (
	"fmt"
	"strings"
)

// Reason says why a status page could not be read. An unreadable source is
// never a provider outage: callers report it apart from the page's content.
type Reason string

// The reasons a page could not be read.
const (
	// ReasonChallenge: a bot challenge (Cloudflare "Just a moment...", a
	// cf-mitigated header) answered instead of the document.
	ReasonChallenge Reason = "challenge"
	// ReasonHTML: an HTML page where JSON or XML was expected, including after
	// a redirect to an HTML page and HTML served with status 200.
	ReasonHTML Reason = "html"
	// ReasonNotFound: 404 (or 410) on every endpoint tried.
	ReasonNotFound Reason = "not_found"
	// ReasonInvalidBody: truncated or invalid JSON or XML, an empty body, or a
	// document of the wrong shape.
	ReasonInvalidBody Reason = "invalid_body"
	// ReasonTimeout: the deadline passed (or the fetch was cancelled) before
	// the document was read.
	ReasonTimeout Reason = "timeout"
	// ReasonConnection: DNS, connection refused or reset, TLS, a body cut
	// short, an unusable endpoint URL.
	ReasonConnection Reason = "connection"
	// ReasonHTTPStatus: any other non-2xx status.
	ReasonHTTPStatus Reason = "http_status"
	// ReasonTooLarge: the body is larger than the Client's limit.
	ReasonTooLarge Reason = "body_too_large"
	// ReasonRedirectLoop: a redirect loop or too many redirects.
	ReasonRedirectLoop Reason = "redirect_loop"
)

// reasons lists every Reason, most informative first (the order Fetch uses to
// choose which error to report when several endpoints failed).
var reasons = []Reason{
	ReasonChallenge, ReasonTimeout, ReasonConnection, ReasonTooLarge, ReasonRedirectLoop,
	ReasonInvalidBody, ReasonHTTPStatus, ReasonHTML, ReasonNotFound,
}

// rank orders reasons: lower is more informative.
func (r Reason) rank() int {
	for i, v := range reasons {
		if v == r {
			return i
		}
	}
	return len(reasons)
}

// Error says why a status page could not be read. Fetch returns only *Error.
type Error struct {
	// Reason classifies the failure.
	Reason Reason
	// Format is the format whose endpoint failed (for FormatAuto, the format
	// of the endpoint whose failure is reported).
	Format Format
	// URL is the URL requested, without query, fragment or userinfo.
	URL string
	// StatusCode is the HTTP status, 0 when no response was received.
	StatusCode int
	// Err is the underlying error, if any.
	Err error
}

// Error describes the failure; it never contains a response body, a query
// string or credentials.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "status page %s", e.URL)
	if e.Format != "" {
		fmt.Fprintf(&b, " (%s)", e.Format)
	}
	fmt.Fprintf(&b, ": %s", e.Reason)
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, ", HTTP %d", e.StatusCode)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// better reports whether e is more informative than other (other may be nil).
func (e *Error) better(other *Error) bool {
	return other == nil || e.Reason.rank() < other.Reason.rank()
}
