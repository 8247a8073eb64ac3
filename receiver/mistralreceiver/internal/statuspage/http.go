package statuspage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/otelcol-mistral/otelcol-mistral/internal/jsonraw"
	"github.com/otelcol-mistral/otelcol-mistral/internal/outbound"
)

// challengeBodyLimit bounds how much of a non-2xx body is read to look for a
// challenge page.
const challengeBodyLimit = 64 << 10

// docKind is what a request expects back.
type docKind int

const (
	kindJSON docKind = iota
	kindFeed
)

// acceptHeader is the Accept header sent for each kind.
func (k docKind) accept() string {
	if k == kindFeed {
		return "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8"
	}
	return "application/json"
}

// response is a successful (2xx) answer, body read in full.
type response struct {
	body   []byte
	header http.Header
}

// get requests rawURL and returns the 2xx answer, or an *Error that classifies
// why the document could not be had. The body of a 2xx answer is checked only
// for size and HTML; parsing it is the caller's job.
func (c *Client) get(ctx context.Context, rawURL string, kind docKind, f Format) (*response, *Error) {
	fail := func(r Reason, code int, err error) *Error {
		return &Error{Reason: r, Format: f, URL: outbound.RedactURL(rawURL), StatusCode: code, Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, http.NoBody)
	if err != nil {
		return nil, fail(ReasonConnection, 0, errors.New("invalid endpoint URL"))
	}
	req.Header.Set("Accept", kind.accept())
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fail(transportReason(ctx, err), 0, innerError(err))
	}
	defer func() {
		// Drain a little so the connection can be reused, then close.
		_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
		_ = resp.Body.Close()
	}()

	code := resp.StatusCode
	if code < 200 || code > 299 {
		if isChallenge(resp, min(challengeBodyLimit, c.maxBody)) {
			return nil, fail(ReasonChallenge, code, errors.New("bot challenge page"))
		}
		switch code {
		case http.StatusNotFound, http.StatusGone:
			return nil, fail(ReasonNotFound, code, nil)
		}
		return nil, fail(ReasonHTTPStatus, code, nil)
	}

	body, err := outbound.ReadBody(resp.Body, c.maxBody)
	if errors.Is(err, outbound.ErrBodyTooLarge) {
		return nil, fail(ReasonTooLarge, code, err)
	}
	if err != nil {
		return nil, fail(transportReason(ctx, err), code, fmt.Errorf("reading body: %w", innerError(err)))
	}
	if looksHTML(body) {
		return nil, fail(ReasonHTML, code, fmt.Errorf("HTML page (content type %q) where %s was expected", mediaType(resp.Header), kind))
	}
	return &response{body: body, header: resp.Header}, nil
}

// String names the kind in error messages.
func (k docKind) String() string {
	if k == kindFeed {
		return "an RSS or Atom feed"
	}
	return "JSON"
}

// bodyError classifies a 2xx body the parser rejected: HTML when the server
// says so (text/html), invalid body otherwise.
func rejectedBody(f Format, rawURL string, resp *response, err error) *Error {
	r := ReasonInvalidBody
	if mediaType(resp.header) == "text/html" {
		r = ReasonHTML
	}
	return &Error{Reason: r, Format: f, URL: outbound.RedactURL(rawURL), StatusCode: http.StatusOK, Err: err}
}

// transportReason classifies an error from sending a request or reading its
// body.
func transportReason(ctx context.Context, err error) Reason {
	if errors.Is(err, outbound.ErrRedirect) {
		return ReasonRedirectLoop
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) || ctx.Err() != nil {
		return ReasonTimeout
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return ReasonTimeout
	}
	return ReasonConnection
}

// innerError drops the *url.Error wrapper, whose text repeats the URL with
// its query string.
func innerError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err
	}
	return err
}

// mediaType is the response's media type, lower case, without parameters.
func mediaType(h http.Header) string {
	ct := h.Get("Content-Type")
	if ct == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(strings.SplitN(ct, ";", 2)[0]))
	}
	return mt
}

// isChallenge reports whether a non-2xx response is a bot challenge: a
// cf-mitigated: challenge header, or a 403/429/503 HTML page with the marks
// of Cloudflare's (and similar) interstitials. It reads at most limit bytes
// of the body.
func isChallenge(resp *http.Response, limit int64) bool {
	if strings.Contains(strings.ToLower(resp.Header.Get("Cf-Mitigated")), "challenge") {
		return true
	}
	switch resp.StatusCode {
	case http.StatusForbidden, http.StatusTooManyRequests, http.StatusServiceUnavailable:
	default:
		return false
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, limit))
	if mediaType(resp.Header) != "text/html" && !looksHTML(body) {
		return false
	}
	lower := bytes.ToLower(body)
	for _, mark := range challengeMarks {
		if bytes.Contains(lower, []byte(mark)) {
			return true
		}
	}
	return false
}

// challengeMarks are lower-case strings found in bot challenge pages.
var challengeMarks = []string{
	"just a moment...",
	"/cdn-cgi/challenge-platform/",
	"cf_chl_opt",
	"cf-chl-",
	"attention required! | cloudflare",
	"checking your browser",
	"enable javascript and cookies to continue",
	"ddos protection by",
	"captcha",
}

// looksHTML reports whether body starts (after a BOM, white space and
// comments) like an HTML document.
func looksHTML(body []byte) bool {
	b := jsonraw.TrimBOM(body)
	for {
		b = bytes.TrimLeft(b, " \t\r\n\f")
		if !bytes.HasPrefix(b, []byte("<!--")) {
			break
		}
		end := bytes.Index(b, []byte("-->"))
		if end < 0 {
			return false
		}
		b = b[end+3:]
	}
	if len(b) > 64 {
		b = b[:64]
	}
	head := bytes.ToLower(b)
	for _, p := range []string{"<!doctype html", "<html", "<head", "<body", "<meta", "<title", "<script"} {
		if bytes.HasPrefix(head, []byte(p)) {
			return true
		}
	}
	return false
}

// joinPath returns base with p appended to its path (query kept).
func joinPath(base *url.URL, p string) string {
	u := *base
	u.Path = strings.TrimRight(u.Path, "/") + p
	u.RawPath = ""
	u.Fragment = ""
	u.RawFragment = ""
	return u.String()
}
