package mistralapi // import "github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"

import (
	"cmp"
	"iter"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Rate-limit headers of La Plateforme. The window in the name varies by
// account and date (req-10-second in 2025, req-60-second on paid tiers from
// 2025-12, req-minute on free tiers in 2026, tokens-minute, tokens-5-minute,
// tokens-month): every name of the form
//
//	x-ratelimit-(limit|remaining)-(req|tokens)-(N-)?(second|minute|month)
//
// is read, whatever N. The constants below are the names most often seen.
const (
	HeaderPrefix                = "x-ratelimit-"
	HeaderLimitReqMinute        = "x-ratelimit-limit-req-minute"
	HeaderRemainingReqMinute    = "x-ratelimit-remaining-req-minute"
	HeaderLimitReq60Second      = "x-ratelimit-limit-req-60-second"
	HeaderRemainingReq60Second  = "x-ratelimit-remaining-req-60-second"
	HeaderLimitTokensMinute     = "x-ratelimit-limit-tokens-minute"
	HeaderRemainingTokensMinute = "x-ratelimit-remaining-tokens-minute"
	HeaderLimitTokensMonth      = "x-ratelimit-limit-tokens-month"
	HeaderRemainingTokensMonth  = "x-ratelimit-remaining-tokens-month"
	HeaderQueryCost             = "x-ratelimit-tokens-query-cost"
)

// Rate-limit headers under their older names (still seen in May 2025).
// "bysize" limits count tokens.
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

// HeaderRetryAfter is the standard Retry-After header (seconds or an HTTP
// date). The docs mention it; La Plateforme's recorded 429s carry none.
const HeaderRetryAfter = "retry-after"

// Value is a header value that may be absent.
type Value struct {
	V  int64
	OK bool
}

// Unit is what a limit counts.
type Unit string

// Units of La Plateforme's limits, as spelled in the header names.
const (
	UnitRequests Unit = "req"
	UnitTokens   Unit = "tokens"
)

// Period is the unit of a window's length.
type Period string

// Periods a window is counted in.
const (
	PeriodSecond Period = "second"
	PeriodMinute Period = "minute"
	PeriodMonth  Period = "month"
)

// monthSeconds is the length given to a calendar month where a number of
// seconds is needed (a metric attribute): 30 days.
const monthSeconds = 30 * 24 * 3600

// Window is one limit's window: N seconds, N minutes or N calendar months.
type Window struct {
	Unit   Unit
	Count  int64
	Period Period
}

// Seconds is the window's length in seconds; a month counts as 30 days.
func (w Window) Seconds() int64 {
	switch w.Period {
	case PeriodSecond:
		return w.Count
	case PeriodMinute:
		return w.Count * 60
	}
	return w.Count * monthSeconds
}

// NextReset is when the window next starts again, assuming windows are
// aligned on their length (no reset header exists on the wire): the next
// multiple of the length since the Unix epoch, or the first day of the next
// calendar month (UTC) for a monthly window.
func (w Window) NextReset(now time.Time) time.Time {
	if w.Period == PeriodMonth {
		u := now.UTC()
		return time.Date(u.Year(), u.Month()+time.Month(max(1, w.Count)), 1, 0, 0, 0, 0, time.UTC)
	}
	d := time.Duration(max(1, w.Seconds())) * time.Second
	return now.Truncate(d).Add(d)
}

// WindowLimit is one window's announced limit and what remains of it.
type WindowLimit struct {
	Window
	Limit     Value
	Remaining Value
}

// RateLimit is what a response's headers say about the limits of the model
// it was made for (La Plateforme sets limits per model). A field whose header
// was absent or unreadable has OK false: nothing is invented.
type RateLimit struct {
	// Windows are the announced windows, requests first, then by length.
	Windows   []WindowLimit
	QueryCost Value
	// Reset is ratelimitbysize-reset: seconds until the window resets.
	Reset Value
	// RetryAfter is the Retry-After header in seconds (an HTTP date is
	// converted against the time given to the parser).
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

// HTTPHeaderSeq lists an http.Header's first values by lower-case name.
func HTTPHeaderSeq(h http.Header) iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for k, v := range h {
			if len(v) > 0 && !yield(strings.ToLower(k), v[0]) {
				return
			}
		}
	}
}

// lookupNames are the names ParseRateLimit asks a HeaderGetter for: the
// windows recorded on the wire. Callers that can list their headers use
// ParseRateLimitSeq, which reads any window.
var lookupNames = func() []string {
	out := []string{HeaderQueryCost, HeaderRetryAfter,
		LegacyHeaderLimit, LegacyHeaderRemaining, LegacyHeaderReset, LegacyHeaderQueryCost,
		LegacyHeaderLimitTokensMinute, LegacyHeaderRemainingTokensMinute,
		LegacyHeaderLimitTokensMonth, LegacyHeaderRemainingTokensMonth}
	for _, kind := range []string{"limit", "remaining"} {
		for _, w := range []string{"req-second", "req-10-second", "req-60-second", "req-minute",
			"tokens-minute", "tokens-5-minute", "tokens-month"} {
			out = append(out, HeaderPrefix+kind+"-"+w)
		}
	}
	return out
}()

// ParseRateLimit reads the rate-limit headers a getter can be asked for by
// name: the windows recorded on the wire (see ParseRateLimitSeq for any).
func ParseRateLimit(get HeaderGetter, now time.Time) RateLimit {
	return ParseRateLimitSeq(func(yield func(string, string) bool) {
		for _, n := range lookupNames {
			if v, ok := get(n); ok && !yield(n, v) {
				return
			}
		}
	}, now)
}

// ParseRateLimitHTTP reads an http.Header's rate-limit headers.
func ParseRateLimitHTTP(h http.Header, now time.Time) RateLimit {
	return ParseRateLimitSeq(HTTPHeaderSeq(h), now)
}

// ParseRateLimitSeq reads rate-limit headers from (lower-case name, value)
// pairs: every x-ratelimit-{limit,remaining}-{req,tokens}-[N-]{second,minute,month}
// window, the query cost, Retry-After, and the legacy names for whatever the
// current ones left unset. Other names are ignored.
func ParseRateLimitSeq(headers iter.Seq2[string, string], now time.Time) RateLimit {
	var r RateLimit
	var legacy [4]Value // limit minute, remaining minute, limit month, remaining month
	var legacyBare [2]Value
	var legacyCost Value
	for name, value := range headers {
		switch name {
		case HeaderQueryCost:
			r.QueryCost = intValue(value)
			continue
		case HeaderRetryAfter:
			r.RetryAfter = retryAfter(value, now)
			continue
		case LegacyHeaderReset:
			r.Reset = intValue(value)
			continue
		case LegacyHeaderQueryCost:
			legacyCost = intValue(value)
			continue
		case LegacyHeaderLimit:
			legacyBare[0] = intValue(value)
			continue
		case LegacyHeaderRemaining:
			legacyBare[1] = intValue(value)
			continue
		case LegacyHeaderLimitTokensMinute:
			legacy[0] = intValue(value)
			continue
		case LegacyHeaderRemainingTokensMinute:
			legacy[1] = intValue(value)
			continue
		case LegacyHeaderLimitTokensMonth:
			legacy[2] = intValue(value)
			continue
		case LegacyHeaderRemainingTokensMonth:
			legacy[3] = intValue(value)
			continue
		}
		isLimit, w, ok := parseWindowName(name)
		if !ok {
			continue
		}
		v := intValue(value)
		if !v.OK {
			continue
		}
		wl := r.window(w)
		if isLimit {
			wl.Limit = v
		} else {
			wl.Remaining = v
		}
	}
	useLegacy := func(w Window, limit, remaining Value) {
		if !limit.OK && !remaining.OK {
			return
		}
		if r.has(w) {
			return
		}
		wl := r.window(w)
		wl.Limit, wl.Remaining = limit, remaining
		r.Legacy = true
	}
	minute := Window{Unit: UnitTokens, Count: 1, Period: PeriodMinute}
	useLegacy(minute, legacy[0], legacy[1])
	useLegacy(minute, legacyBare[0], legacyBare[1])
	useLegacy(Window{Unit: UnitTokens, Count: 1, Period: PeriodMonth}, legacy[2], legacy[3])
	if !r.QueryCost.OK && legacyCost.OK {
		r.QueryCost, r.Legacy = legacyCost, true
	}
	if r.Reset.OK {
		r.Legacy = true
	}
	slices.SortFunc(r.Windows, compareWindows)
	return r
}

// compareWindows orders requests before tokens ("req" < "tokens"), then by length.
func compareWindows(a, b WindowLimit) int {
	if a.Unit != b.Unit {
		return cmp.Compare(a.Unit, b.Unit)
	}
	return cmp.Compare(a.Seconds(), b.Seconds())
}

// Update returns r with what a later answer announced laid over it: the
// windows u names replace r's, the others are kept (a request-limit 429
// sends only the request pair), and so is the query cost when u has none.
func (r RateLimit) Update(u RateLimit) RateLimit {
	out := u
	out.Windows = slices.Clone(u.Windows)
	for _, w := range r.Windows {
		if !u.has(w.Window) {
			out.Windows = append(out.Windows, w)
		}
	}
	slices.SortFunc(out.Windows, compareWindows)
	if !out.QueryCost.OK {
		out.QueryCost = r.QueryCost
	}
	return out
}

// parseWindowName reads "x-ratelimit-(limit|remaining)-(req|tokens)-(N-)?(second|minute|month)".
func parseWindowName(name string) (isLimit bool, w Window, ok bool) {
	rest, found := strings.CutPrefix(name, HeaderPrefix)
	if !found {
		return false, Window{}, false
	}
	switch {
	case strings.HasPrefix(rest, "limit-"):
		isLimit, rest = true, rest[len("limit-"):]
	case strings.HasPrefix(rest, "remaining-"):
		rest = rest[len("remaining-"):]
	default:
		return false, Window{}, false
	}
	switch {
	case strings.HasPrefix(rest, "req-"):
		w.Unit, rest = UnitRequests, rest[len("req-"):]
	case strings.HasPrefix(rest, "tokens-"):
		w.Unit, rest = UnitTokens, rest[len("tokens-"):]
	default:
		return false, Window{}, false
	}
	w.Count = 1
	if n, p, cut := strings.Cut(rest, "-"); cut {
		c, err := strconv.ParseInt(n, 10, 64)
		// A count: digits only, 1..one year of seconds, so lengths never overflow.
		if err != nil || c < 1 || c > 366*24*3600 || n[0] == '+' {
			return false, Window{}, false
		}
		w.Count, rest = c, p
	}
	switch Period(rest) {
	case PeriodSecond, PeriodMinute, PeriodMonth:
		w.Period = Period(rest)
	default:
		return false, Window{}, false
	}
	return isLimit, w, true
}

// window returns the entry of w, adding it when absent.
func (r *RateLimit) window(w Window) *WindowLimit {
	for i := range r.Windows {
		if r.Windows[i].Window == w {
			return &r.Windows[i]
		}
	}
	r.Windows = append(r.Windows, WindowLimit{Window: w})
	return &r.Windows[len(r.Windows)-1]
}

func (r RateLimit) has(w Window) bool {
	for i := range r.Windows {
		if r.Windows[i].Window == w {
			return true
		}
	}
	return false
}

// Announced reports whether any rate-limit value was read.
func (r RateLimit) Announced() bool {
	return len(r.Windows) > 0 || r.QueryCost.OK
}

func intValue(s string) Value {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 0 {
		return Value{}
	}
	return Value{V: n, OK: true}
}

func retryAfter(s string, now time.Time) Value {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n >= 0 {
		return Value{V: n, OK: true}
	}
	if t, err := http.ParseTime(s); err == nil {
		// Clamped to [0, MaxWait] before rounding up: a date centuries
		// ahead saturates time.Duration, and rounding would overflow it.
		d := min(max(t.Sub(now), 0), MaxWait)
		return Value{V: int64((d + time.Second - 1) / time.Second), OK: true}
	}
	return Value{}
}

// ZeroAllowance reports whether the key has no allowance at all for the
// model: a request limit of 0 is a plan or billing problem, not a transient
// limit.
func (r RateLimit) ZeroAllowance() bool {
	for _, w := range r.Windows {
		if w.Unit == UnitRequests && w.Limit.OK && w.Limit.V == 0 {
			return true
		}
	}
	return false
}

// Exhausted names the limit the headers show as used up, the longest window
// first: a spent monthly budget outlasts a spent minute.
func (r RateLimit) Exhausted() Limit {
	lim, _ := r.exhausted()
	return lim
}

func (r RateLimit) exhausted() (Limit, *WindowLimit) {
	var found *WindowLimit
	var lim Limit
	for i := range r.Windows {
		w := &r.Windows[i]
		spent := w.Remaining.OK && w.Remaining.V == 0
		var l Limit
		switch {
		case w.Unit == UnitTokens && w.Period == PeriodMonth && spent:
			l = LimitTokensPerMonth
		case w.Unit == UnitTokens && w.Period != PeriodMonth &&
			(spent || (w.Remaining.OK && r.QueryCost.OK && r.QueryCost.V > w.Remaining.V)):
			l = LimitTokensPerMinute
		case w.Unit == UnitRequests && spent:
			l = LimitRequestsPerMinute
		default:
			continue
		}
		if found == nil || w.Seconds() > found.Seconds() {
			found, lim = w, l
		}
	}
	return lim, found
}

// WaitAfter429 is how long a polite client waits after a 429 before calling
// again: Retry-After when present, else the legacy reset header, else until
// the next boundary of the exhausted window's length (the shortest request
// window when none shows as spent, a minute when no window is known):
// La Plateforme sends no reset header. The wait is capped at MaxWait so that
// a nonsensical header or a monthly window cannot silence a probe for days.
func (r RateLimit) WaitAfter429(now time.Time) time.Duration {
	switch {
	case r.RetryAfter.OK:
		return capWait(r.RetryAfter.V)
	case r.Reset.OK:
		return capWait(r.Reset.V)
	}
	w := Window{Unit: UnitRequests, Count: 1, Period: PeriodMinute}
	if _, spent := r.exhausted(); spent != nil {
		w = spent.Window
	} else {
		for _, wl := range r.Windows {
			if wl.Unit == UnitRequests {
				w = wl.Window
				break
			}
		}
	}
	return min(w.NextReset(now).Sub(now), MaxWait)
}

// MaxWait bounds the wait WaitAfter429 returns.
const MaxWait = time.Hour

func capWait(seconds int64) time.Duration {
	if seconds > int64(MaxWait/time.Second) {
		return MaxWait
	}
	return time.Duration(seconds) * time.Second
}

// Find returns the window of unit whose length is seconds.
func (r RateLimit) Find(unit Unit, seconds int64) (WindowLimit, bool) {
	for _, w := range r.Windows {
		if w.Unit == unit && w.Seconds() == seconds {
			return w, true
		}
	}
	return WindowLimit{}, false
}
