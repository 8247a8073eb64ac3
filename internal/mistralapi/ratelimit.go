package mistralapi // import "github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Rate-limit headers La Plateforme sends, current names (2026).
const (
	HeaderLimitReqMinute        = "x-ratelimit-limit-req-minute"
	HeaderRemainingReqMinute    = "x-ratelimit-remaining-req-minute"
	HeaderLimitTokensMinute     = "x-ratelimit-limit-tokens-minute"
	HeaderRemainingTokensMinute = "x-ratelimit-remaining-tokens-minute"
	HeaderLimitTokensMonth      = "x-ratelimit-limit-tokens-month"
	HeaderRemainingTokensMonth  = "x-ratelimit-remaining-tokens-month"
	HeaderQueryCost             = "x-ratelimit-tokens-query-cost"
)

// Rate-limit headers under their older names (2024). "bysize" limits count tokens.
const (
	LegacyHeaderLimit                 = "ratelimitbysize-limit"
	LegacyHeaderRemaining             = "ratelimitbysize-remaining"
	LegacyHeaderReset                 = "ratelimitbysize-reset"
	LegacyHeaderQueryCost             = "ratelimitbysize-query-cost"
	LegacyHeaderLimitTokensMinute     = "x-ratelimitbysize-limit-minute"
	LegacyHeaderRemainingTokensMinute = "x-ratelimitbysize-remaining-minute"
	LegacyHeaderLimitTokensMonth      = "x-ratelimitbysize-limit-month"
	LegacyHeaderRemainingTokensMonth  = "x-ratelimitbysize-remaining-month"
)

// HeaderRetryAfter is the standard Retry-After header (seconds or an HTTP date).
const HeaderRetryAfter = "retry-after"

// Value is a header value that may be absent.
type Value struct {
	V  int64
	OK bool
}

// RateLimit is what a response's headers say about the workspace's limits.
// A field whose header was absent or unreadable has OK false: nothing is invented.
type RateLimit struct {
	RequestsMinuteLimit     Value
	RequestsMinuteRemaining Value
	TokensMinuteLimit       Value
	TokensMinuteRemaining   Value
	TokensMonthLimit        Value
	TokensMonthRemaining    Value
	QueryCost               Value
	// Reset is ratelimitbysize-reset: seconds until the window resets.
	Reset Value
	// RetryAfter is the Retry-After header in seconds (an HTTP date is
	// converted against the time given to ParseRateLimit).
	RetryAfter Value
	// Legacy is true when any value came from a legacy header name.
	Legacy bool
}

// HeaderGetter returns the value of a header by lower-case name.
type HeaderGetter func(name string) (string, bool)

// HTTPHeader adapts an http.Header to a HeaderGetter.
func HTTPHeader(h http.Header) HeaderGetter {
	return func(name string) (string, bool) {
		v := h.Values(name)
		if len(v) == 0 {
			return "", false
		}
		return v[0], true
	}
}

// ParseRateLimit reads the rate-limit headers, current names first, then the
// legacy ones for whatever the current ones left unset.
func ParseRateLimit(get HeaderGetter, now time.Time) RateLimit {
	var r RateLimit
	r.RequestsMinuteLimit = intHeader(get, HeaderLimitReqMinute)
	r.RequestsMinuteRemaining = intHeader(get, HeaderRemainingReqMinute)
	r.TokensMinuteLimit = intHeader(get, HeaderLimitTokensMinute)
	r.TokensMinuteRemaining = intHeader(get, HeaderRemainingTokensMinute)
	r.TokensMonthLimit = intHeader(get, HeaderLimitTokensMonth)
	r.TokensMonthRemaining = intHeader(get, HeaderRemainingTokensMonth)
	r.QueryCost = intHeader(get, HeaderQueryCost)

	legacy := func(dst *Value, names ...string) {
		if dst.OK {
			return
		}
		for _, n := range names {
			if v := intHeader(get, n); v.OK {
				*dst = v
				r.Legacy = true
				return
			}
		}
	}
	legacy(&r.TokensMinuteLimit, LegacyHeaderLimitTokensMinute, LegacyHeaderLimit)
	legacy(&r.TokensMinuteRemaining, LegacyHeaderRemainingTokensMinute, LegacyHeaderRemaining)
	legacy(&r.TokensMonthLimit, LegacyHeaderLimitTokensMonth)
	legacy(&r.TokensMonthRemaining, LegacyHeaderRemainingTokensMonth)
	legacy(&r.QueryCost, LegacyHeaderQueryCost)
	legacy(&r.Reset, LegacyHeaderReset)

	if s, ok := get(HeaderRetryAfter); ok {
		s = strings.TrimSpace(s)
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n >= 0 {
			r.RetryAfter = Value{V: n, OK: true}
		} else if t, err := http.ParseTime(s); err == nil {
			// Clamped to [0, MaxWait] before rounding up: a date centuries
			// ahead saturates time.Duration, and rounding would overflow it.
			d := min(max(t.Sub(now), 0), MaxWait)
			r.RetryAfter = Value{V: int64((d + time.Second - 1) / time.Second), OK: true}
		}
	}
	return r
}

// intHeader reads a non-negative integer header. Values that are not
// integers (or are negative, or overflow) count as absent.
func intHeader(get HeaderGetter, name string) Value {
	s, ok := get(name)
	if !ok {
		return Value{}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 0 {
		return Value{}
	}
	return Value{V: n, OK: true}
}

// ZeroAllowance reports whether the key has no allowance at all: a request
// limit of 0 per minute is a plan or billing problem, not a transient limit.
func (r RateLimit) ZeroAllowance() bool {
	return r.RequestsMinuteLimit.OK && r.RequestsMinuteLimit.V == 0
}

// Exhausted names the limit the headers show as used up, the longest window
// first: a spent monthly budget outlasts a spent minute.
func (r RateLimit) Exhausted() Limit {
	switch {
	case r.TokensMonthRemaining.OK && r.TokensMonthRemaining.V == 0:
		return LimitTokensPerMonth
	case r.TokensMinuteRemaining.OK && (r.TokensMinuteRemaining.V == 0 ||
		(r.QueryCost.OK && r.QueryCost.V > r.TokensMinuteRemaining.V)):
		return LimitTokensPerMinute
	case r.RequestsMinuteRemaining.OK && r.RequestsMinuteRemaining.V == 0:
		return LimitRequestsPerMinute
	}
	return LimitNone
}

// WaitAfter429 is how long a polite client waits after a 429 before calling
// again: Retry-After when present, else the legacy reset header, else until
// the next minute boundary (Mistral's real 429s usually carry neither).
// The wait is capped at MaxWait so that a nonsensical header cannot silence
// a probe for days.
func (r RateLimit) WaitAfter429(now time.Time) time.Duration {
	switch {
	case r.RetryAfter.OK:
		return capWait(r.RetryAfter.V)
	case r.Reset.OK:
		return capWait(r.Reset.V)
	}
	next := now.Truncate(time.Minute).Add(time.Minute)
	return next.Sub(now)
}

// MaxWait bounds the wait WaitAfter429 returns.
const MaxWait = time.Hour

func capWait(seconds int64) time.Duration {
	if seconds > int64(MaxWait/time.Second) {
		return MaxWait
	}
	return time.Duration(seconds) * time.Second
}
