package fakemistral

import (
	"net/http"
	"strconv"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
)

// setRateLimitHeaders writes a snapshot under the current or the legacy
// header names. Unlimited values are not sent.
func setRateLimitHeaders(h http.Header, s snapshot, legacy bool) {
	set := func(name string, v int64) {
		if v >= 0 {
			h.Set(name, strconv.FormatInt(v, 10))
		}
	}
	opt := func(limit int64, name string, v int64) {
		if limit >= 0 {
			set(name, v)
		}
	}
	if legacy {
		opt(s.tokMinLimit, mistralapi.LegacyHeaderLimit, s.tokMinLimit)
		opt(s.tokMinLimit, mistralapi.LegacyHeaderRemaining, s.tokMinRemaining)
		opt(s.tokMinLimit, mistralapi.LegacyHeaderReset, s.resetSeconds)
		set(mistralapi.LegacyHeaderQueryCost, s.cost)
		opt(s.tokMinLimit, mistralapi.LegacyHeaderLimitTokensMinute, s.tokMinLimit)
		opt(s.tokMinLimit, mistralapi.LegacyHeaderRemainingTokensMinute, s.tokMinRemaining)
		opt(s.tokMonLimit, mistralapi.LegacyHeaderLimitTokensMonth, s.tokMonLimit)
		opt(s.tokMonLimit, mistralapi.LegacyHeaderRemainingTokensMonth, s.tokMonRemaining)
		return
	}
	opt(s.reqLimit, mistralapi.HeaderLimitReqMinute, s.reqLimit)
	opt(s.reqLimit, mistralapi.HeaderRemainingReqMinute, s.reqRemaining)
	opt(s.tokMinLimit, mistralapi.HeaderLimitTokensMinute, s.tokMinLimit)
	opt(s.tokMinLimit, mistralapi.HeaderRemainingTokensMinute, s.tokMinRemaining)
	opt(s.tokMonLimit, mistralapi.HeaderLimitTokensMonth, s.tokMonLimit)
	opt(s.tokMonLimit, mistralapi.HeaderRemainingTokensMonth, s.tokMonRemaining)
	set(mistralapi.HeaderQueryCost, s.cost)
}
