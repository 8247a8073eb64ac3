package fakemistral

import (
	"io"
	"net/http"
)

const challengeHTML = `<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>` +
	`<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta http-equiv="X-UA-Compatible" content="IE=Edge">` +
	`<meta name="robots" content="noindex,nofollow"><meta name="viewport" content="width=device-width,initial-scale=1">` +
	`</head><body><div class="main-wrapper" role="main"><div class="main-content">` +
	`<noscript><div class="h2"><span id="challenge-error-text">Enable JavaScript and cookies to continue</span></div></noscript>` +
	`</div></div><script>(function(){window._cf_chl_opt={cvId: '3',cType: 'managed'};}());</script></body></html>`

const homeHTML = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Status</title></head>` +
	`<body><h1>Status</h1><p>All systems operational.</p><p>This page is rendered in the browser; there is no API here.</p></body></html>`

// writeChallenge answers like a Cloudflare managed challenge to a non-browser.
func writeChallenge(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Server", "cloudflare")
	h.Set("Cf-Mitigated", "challenge")
	h.Set("Cf-Ray", newID()[:16]+"-CDG")
	h.Set("Cache-Control", "private, max-age=0, no-store, no-cache, must-revalidate, post-check=0, pre-check=0")
	writeHTML(w, http.StatusForbidden, challengeHTML)
}

func writeHTML(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}
