package statuspage

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/otelcol-mistral/otelcol-mistral/internal/outbound"
)

// Client reads status pages. It is safe for concurrent use; one Client
// serves one page, and remembers per endpoint the format it found.
type Client struct {
	http    *http.Client
	maxBody int64

	// redetectAfter is how long a format found by FormatAuto is trusted
	// before detection runs again: a page can move vendors without failing
	// a request (a transient failure of a Statuspage page can send
	// detection to its history feed). A format that fails with not_found,
	// invalid_body or html is re-detected at once.
	redetectAfter time.Duration
	// retryFailedAfter is, after a detection found no readable format, how
	// long only the endpoint with the most informative failure is polled
	// before all endpoints are tried again: a challenged page costs one
	// request per scrape, not six.
	retryFailedAfter time.Duration

	now func() time.Time

	mu    sync.Mutex
	known map[string]memo
}

// memo is what a Client remembers about one endpoint, per requested format.
type memo struct {
	format Format    // format found (failed: the format of the best failing URL)
	url    string    // the URL read (feeds), or the best failing URL
	until  time.Time // when the memo expires
	failed bool      // detection found nothing
	reason Reason    // failed: the reason reported
}

// memoKey is the key of the memo for endpoint read as format.
func memoKey(format Format, endpoint string) string { return string(format) + " " + endpoint }

// NewClient returns a Client that uses httpClient for every request and
// reads at most maxBody bytes of any body (a larger one fails with
// ReasonTooLarge; maxBody <= 0 means 4 MiB). The Client is a copy of
// httpClient whose redirects follow outbound.RedirectPolicy (to any origin:
// status pages are public and httpClient must carry no credentials), then
// httpClient's own policy, if any.
func NewClient(httpClient *http.Client, maxBody int64) *Client {
	if httpClient == nil {
		httpClient = &http.Client{}
	}
	hc := *httpClient
	policy, prev := outbound.RedirectPolicy(false), hc.CheckRedirect
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if err := policy(req, via); err != nil || prev == nil {
			return err
		}
		return prev(req, via)
	}
	if maxBody <= 0 {
		maxBody = 4 << 20
	}
	return &Client{
		http: &hc, maxBody: maxBody, now: time.Now, known: make(map[string]memo),
		redetectAfter: time.Hour, retryFailedAfter: 10 * time.Minute,
	}
}

// Fetch reads the page at endpoint: a page's base URL or a feed's own URL.
// With a concrete format it requests only what that format needs:
//
//	statuspage:  /api/v2/summary.json
//	incidentio:  /api/v2/summary.json and /api/v2/components.json
//	rootly:      /api/v1/status.json, and /api/v1/incidents.json when
//	             status.json has no incident list
//	rss, atom:   the endpoint itself when its path ends in .rss, .atom or
//	             .xml; else /feed.rss then /history.rss (rss) or
//	             /history.atom (atom), the next one only after a 404
//
// With FormatAuto it detects the format from the responses (see the package
// documentation) and remembers it. The error is always an *Error.
func (c *Client) Fetch(ctx context.Context, endpoint string, format Format) (Snapshot, error) {
	endpoint = strings.TrimSpace(endpoint)
	base, err := url.Parse(endpoint)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return Snapshot{}, &Error{Reason: ReasonConnection, Format: format, URL: outbound.RedactURL(endpoint),
			Err: errors.New("endpoint is not an absolute http(s) URL")}
	}
	var snap Snapshot
	var ferr *Error
	if format == FormatAuto || format == "" {
		snap, ferr = c.fetchAuto(ctx, endpoint, base)
	} else {
		snap, ferr = c.fetchFormat(ctx, endpoint, base, format, newAttempts())
	}
	if ferr != nil {
		return Snapshot{}, ferr
	}
	return snap, nil
}

// attempts records, within one Fetch, the URLs already requested and how they
// failed, so no URL is requested twice.
type attempts struct {
	failed  map[string]*Error
	best    *Error
	bestURL string // the URL (unredacted) that failed with best
}

func newAttempts() *attempts { return &attempts{failed: make(map[string]*Error)} }

// attempt requests u unless it already failed in this Fetch.
func (c *Client) attempt(ctx context.Context, a *attempts, u string, kind docKind, f Format) (*response, *Error) {
	if e, ok := a.failed[u]; ok {
		return nil, e
	}
	resp, e := c.get(ctx, u, kind, f)
	if e != nil {
		a.note(u, e)
	}
	return resp, e
}

// reject records that the 2xx body of u did not parse (see rejectedBody).
func (a *attempts) reject(f Format, u string, resp *response, err error) *Error {
	e := rejectedBody(f, u, resp, err)
	a.note(u, e)
	return e
}

// note records a failure of u.
func (a *attempts) note(u string, e *Error) {
	a.failed[u] = e
	if e.better(a.best) {
		a.best, a.bestURL = e, u
	}
}

// fetchFormat reads the page in one concrete format.
func (c *Client) fetchFormat(ctx context.Context, endpoint string, base *url.URL, f Format, a *attempts) (Snapshot, *Error) {
	switch f {
	case FormatStatuspage, FormatIncidentIO:
		return c.fetchSummary(ctx, base, f, a, false)
	case FormatRootly:
		return c.fetchRootly(ctx, base, a)
	case FormatRSS, FormatAtom:
		return c.fetchFeed(ctx, endpoint, base, f, a)
	}
	return Snapshot{}, &Error{Reason: ReasonInvalidBody, Format: f, URL: outbound.RedactURL(endpoint), Err: errors.New("unknown format " + string(f))}
}

// fetchSummary reads summary.json as f. With detect, the summary's shape
// decides between statuspage and incident.io (f is then ignored).
func (c *Client) fetchSummary(ctx context.Context, base *url.URL, f Format, a *attempts, detect bool) (Snapshot, *Error) {
	u := joinPath(base, pathSummary)
	resp, e := c.attempt(ctx, a, u, kindJSON, f)
	if e != nil {
		return Snapshot{}, e
	}
	s, err := decodeSummary(resp.body)
	if err != nil {
		return Snapshot{}, a.reject(f, u, resp, err)
	}
	if detect {
		f = FormatStatuspage
		if looksIncidentIO(s, resp.header) {
			f = FormatIncidentIO
		}
	}
	if f != FormatIncidentIO {
		return s.snapshot(FormatStatuspage, nil), nil
	}
	var full []spComponent
	partial := true
	cu := joinPath(base, pathComponents)
	if cresp, ce := c.attempt(ctx, a, cu, kindJSON, FormatIncidentIO); ce == nil {
		if l, err := decodeComponentList(cresp.body); err == nil {
			full, partial = l.Components, false
		}
	}
	snap := s.snapshot(FormatIncidentIO, full)
	snap.Partial = partial
	return snap, nil
}

// fetchRootly reads Rootly's status.json and, if needed, incidents.json.
func (c *Client) fetchRootly(ctx context.Context, base *url.URL, a *attempts) (Snapshot, *Error) {
	u := joinPath(base, pathRootlyStatus)
	resp, e := c.attempt(ctx, a, u, kindJSON, FormatRootly)
	if e != nil {
		return Snapshot{}, e
	}
	s, err := decodeRootlyStatus(resp.body)
	if err != nil {
		return Snapshot{}, a.reject(FormatRootly, u, resp, err)
	}
	var incidents []byte
	if !s.hasIncidents() {
		if iresp, ie := c.attempt(ctx, a, joinPath(base, pathRootlyIncidents), kindJSON, FormatRootly); ie == nil {
			incidents = iresp.body
		}
	}
	snap, err := parseRootly(resp.body, incidents)
	if err != nil && incidents != nil {
		snap, err = parseRootly(resp.body, nil)
	}
	if err != nil {
		return Snapshot{}, a.reject(FormatRootly, u, resp, err)
	}
	return snap, nil
}

// feedURLs lists the URLs a feed of format f is looked for at, in order.
func feedURLs(endpoint string, base *url.URL, f Format) []string {
	if looksFeedURL(base) {
		return []string{endpoint}
	}
	if f == FormatAtom {
		return []string{joinPath(base, "/history.atom")}
	}
	return []string{joinPath(base, "/feed.rss"), joinPath(base, "/history.rss")}
}

// looksFeedURL reports whether the URL's path names a feed document.
func looksFeedURL(u *url.URL) bool {
	p := strings.ToLower(u.Path)
	for _, ext := range []string{".rss", ".atom", ".xml"} {
		if strings.HasSuffix(p, ext) {
			return true
		}
	}
	return false
}

// fetchFeed reads a feed for a concrete rss or atom format: the remembered
// feed URL, else the candidates in turn, moving on only after a 404.
func (c *Client) fetchFeed(ctx context.Context, endpoint string, base *url.URL, f Format, a *attempts) (Snapshot, *Error) {
	urls := feedURLs(endpoint, base, f)
	if m, ok := c.recall(memoKey(f, endpoint)); ok && !m.failed && m.url != "" {
		urls = append([]string{m.url}, urls...)
	}
	var last *Error
	for _, u := range urls {
		snap, e := c.readFeed(ctx, a, u, f)
		if e == nil {
			c.remember(memoKey(f, endpoint), memo{format: snap.Format, url: u, until: c.now().Add(c.redetectAfter)})
			return snap, nil
		}
		last = e
		if e.Reason != ReasonNotFound {
			break
		}
	}
	if a.best != nil {
		return Snapshot{}, a.best
	}
	return Snapshot{}, last
}

// readFeed requests and parses one feed URL. f is the format reported in
// errors; the snapshot's format comes from the document.
func (c *Client) readFeed(ctx context.Context, a *attempts, u string, f Format) (Snapshot, *Error) {
	resp, e := c.attempt(ctx, a, u, kindFeed, f)
	if e != nil {
		return Snapshot{}, e
	}
	snap, err := parseFeed(resp.body)
	if err != nil {
		return Snapshot{}, a.reject(f, u, resp, err)
	}
	return snap, nil
}

// recall returns the unexpired memo stored under key.
func (c *Client) recall(key string) (memo, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m, ok := c.known[key]
	if !ok || !c.now().Before(m.until) {
		return memo{}, false
	}
	return m, true
}

// remember stores the memo under key.
func (c *Client) remember(key string, m memo) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.known[key] = m
}
