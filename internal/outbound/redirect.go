package outbound

import (
	"errors"
	"fmt"
	"net/http"
)

// MaxRedirects is how many redirects one request follows at most. Neither
// La Plateforme nor a status page needs more; a loop costs a few requests
// per probe, not Go's default of ten.
const MaxRedirects = 5

// ErrRedirect is wrapped by every redirect the policy refuses.
var ErrRedirect = errors.New("refused to follow a redirect")

// RedirectPolicy returns an http.Client CheckRedirect function that follows
// at most MaxRedirects redirects and never the same URL twice. With
// sameOrigin it also refuses a redirect to another scheme or host:port, so
// that credentials set for the origin (Go's client keeps them on a redirect
// to the same host name whatever the port or scheme) never leave it.
func RedirectPolicy(sameOrigin bool) func(req *http.Request, via []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if origin := via[0].URL; sameOrigin && (req.URL.Scheme != origin.Scheme || req.URL.Host != origin.Host) {
			return fmt.Errorf("%w to another origin (%s://%s)", ErrRedirect, req.URL.Scheme, req.URL.Host)
		}
		if len(via) > MaxRedirects {
			return fmt.Errorf("%w: more than %d redirects", ErrRedirect, MaxRedirects)
		}
		target := req.URL.String()
		for _, v := range via {
			if v.URL.String() == target {
				return fmt.Errorf("%w: redirect loop at %s", ErrRedirect, RedactURL(target))
			}
		}
		return nil
	}
}
