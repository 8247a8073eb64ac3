package fakemistral

import (
	"net/http"
	"strconv"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
)

// Which rate-limit headers an answer carries. La Plateforme sends them only
// on non-streaming successes and on 429s: never on GET /v1/models, never on
// a stream, not on 400/401/404/422/500 (maruel/genai cassettes, 2025-06 to
// 2026-08). Embeddings send only the request pair, and so does a 429 for
// the request limit.
type headerSet int

const (
	headersAll      headerSet = iota // request pair, token windows, query cost
	headersRequests                  // the request pair only
)

// setRateLimitHeaders writes a snapshot under the current or the legacy
// header names. Unlimited values are not sent.
func setRateLimitHeaders(h http.Header, s snapshot, legacy bool, set headerSet) {
	put := func(name string, v int64) {
		if v >= 0 {
			h.Set(name, strconv.FormatInt(v, 10))
		}
	}
	opt := func(limit int64, name string, v int64) {
		if limit >= 0 {
			put(name, v)
		}
	}
	if legacy {
		// The 2024 names carry no request counts.
		if set == headersRequests {
			return
		}
		opt(s.tokMinLimit, mistralapi.LegacyHeaderLimit, s.tokMinLimit)
		opt(s.tokMinLimit, mistralapi.LegacyHeaderRemaining, s.tokMinRemaining)
		opt(s.tokMinLimit, mistralapi.LegacyHeaderReset, s.resetSeconds)
		put(mistralapi.LegacyHeaderQueryCost, s.cost)
		opt(s.tokMinLimit, mistralapi.LegacyHeaderLimitTokensMinute, s.tokMinLimit)
		opt(s.tokMinLimit, mistralapi.LegacyHeaderRemainingTokensMinute, s.tokMinRemaining)
		opt(s.tokMonLimit, mistralapi.LegacyHeaderLimitTokensMonth, s.tokMonLimit)
		opt(s.tokMonLimit, mistralapi.LegacyHeaderRemainingTokensMonth, s.tokMonRemaining)
		return
	}
	opt(s.reqLimit, mistralapi.HeaderPrefix+"limit-req-"+s.reqWindow, s.reqLimit)
	opt(s.reqLimit, mistralapi.HeaderPrefix+"remaining-req-"+s.reqWindow, s.reqRemaining)
	if set == headersRequests {
		return
	}
	opt(s.tokMinLimit, mistralapi.HeaderPrefix+"limit-tokens-"+s.tokWindow, s.tokMinLimit)
	opt(s.tokMinLimit, mistralapi.HeaderPrefix+"remaining-tokens-"+s.tokWindow, s.tokMinRemaining)
	opt(s.tokMonLimit, mistralapi.HeaderLimitTokensMonth, s.tokMonLimit)
	opt(s.tokMonLimit, mistralapi.HeaderRemainingTokensMonth, s.tokMonRemaining)
	put(mistralapi.HeaderQueryCost, s.cost)
}
