package statuspage

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// step is one stage of auto-detection.
type step struct {
	format Format // statuspage (summary.json, tells incident.io apart), rootly, rss or atom
	url    string // feeds: the URL to read
}

// detectionSteps lists the stages of auto-detection in order: the endpoint
// itself first when its path names a feed, then summary.json, Rootly's
// status.json, the feed paths, and last the endpoint itself.
func detectionSteps(endpoint string, base *url.URL) []step {
	self := step{format: feedFormatOf(base.Path), url: endpoint}
	var steps []step
	if looksFeedURL(base) {
		steps = append(steps, self)
	}
	steps = append(steps, step{format: FormatStatuspage}, step{format: FormatRootly})
	for _, p := range feedPaths {
		u := joinPath(base, p)
		if u != endpoint {
			steps = append(steps, step{format: feedFormatOf(p), url: u})
		}
	}
	if !looksFeedURL(base) {
		steps = append(steps, self)
	}
	return steps
}

// feedFormatOf guesses a feed's format from its path, for error reports
// only: the document's root element decides the snapshot's format.
func feedFormatOf(path string) Format {
	if strings.HasSuffix(strings.ToLower(path), ".atom") {
		return FormatAtom
	}
	return FormatRSS
}

// runStep performs one detection stage.
func (c *Client) runStep(ctx context.Context, base *url.URL, s step, a *attempts) (Snapshot, *Error) {
	switch s.format {
	case FormatStatuspage, FormatIncidentIO:
		return c.fetchSummary(ctx, base, FormatStatuspage, a, true)
	case FormatRootly:
		return c.fetchRootly(ctx, base, a)
	}
	return c.readFeed(ctx, a, s.url, s.format)
}

// stepFor returns the stage that reads a remembered format or URL.
func stepFor(format Format, u string) step {
	if format.isFeed() {
		return step{format: format, url: u}
	}
	return step{format: format}
}

// fetchAuto reads the page, detecting its format. A remembered format is
// tried first; it is re-detected when it fails as not_found, invalid_body or
// html (pages move vendors) and when its memo expires. After a detection that
// found nothing, only the URL with the most informative failure is polled
// until retryFailedAfter passes or it fails differently.
func (c *Client) fetchAuto(ctx context.Context, endpoint string, base *url.URL) (Snapshot, *Error) {
	key := memoKey(FormatAuto, endpoint)
	a := newAttempts()
	if m, ok := c.recall(key); ok {
		snap, e := c.runStep(ctx, base, stepFor(m.format, m.url), a)
		if e == nil {
			if m.failed {
				c.remember(key, c.found(snap, m.url))
			}
			return snap, nil
		}
		switch {
		case m.failed && e.Reason == m.reason:
			return Snapshot{}, e
		case !m.failed && !redetectable(e.Reason):
			return Snapshot{}, e
		}
	}
	for _, s := range detectionSteps(endpoint, base) {
		snap, e := c.runStep(ctx, base, s, a)
		if e == nil {
			c.remember(key, c.found(snap, s.url))
			return snap, nil
		}
		if stopsDetection(ctx, e) {
			break
		}
	}
	best := a.best
	c.remember(key, memo{
		format: best.Format,
		url:    a.bestURL,
		until:  c.now().Add(c.retryFailedAfter),
		failed: true,
		reason: best.Reason,
	})
	return Snapshot{}, best
}

// found is the memo of a successful read.
func (c *Client) found(snap Snapshot, u string) memo {
	return memo{format: snap.Format, url: u, until: c.now().Add(c.redetectAfter)}
}

// redetectable reports whether a remembered format failing this way means
// the page may have moved to another format.
func redetectable(r Reason) bool {
	switch r {
	case ReasonNotFound, ReasonInvalidBody, ReasonHTML:
		return true
	}
	return false
}

// stopsDetection reports whether a failure concerns the whole site, so that
// trying its other endpoints would only cost time or the site's patience:
// timeouts, connection failures, rate limiting, a cancelled context.
func stopsDetection(ctx context.Context, e *Error) bool {
	if ctx.Err() != nil {
		return true
	}
	switch e.Reason {
	case ReasonTimeout, ReasonConnection:
		return true
	case ReasonHTTPStatus:
		return e.StatusCode == http.StatusTooManyRequests
	}
	return false
}
