package mistralapi

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func header(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

func win(unit Unit, n int64, p Period, limit, remaining int64) WindowLimit {
	wl := WindowLimit{Window: Window{Unit: unit, Count: n, Period: p}}
	if limit >= 0 {
		wl.Limit = Value{limit, true}
	}
	if remaining >= 0 {
		wl.Remaining = Value{remaining, true}
	}
	return wl
}

// TestParseRateLimitRecorded reads the header sets recorded on the wire.
func TestParseRateLimitRecorded(t *testing.T) {
	tests := []struct {
		name string
		h    http.Header
		want []WindowLimit
		cost Value
	}{
		{"paid tier 2025-12 (maruel/genai ministral-14b-2512 GenSync-Text)", header(
			"X-Ratelimit-Limit-Req-60-Second", "360", "X-Ratelimit-Remaining-Req-60-Second", "174",
			"X-Ratelimit-Limit-Tokens-Minute", "2000000", "X-Ratelimit-Remaining-Tokens-Minute", "1980746",
			"X-Ratelimit-Limit-Tokens-Month", "10000000000", "X-Ratelimit-Remaining-Tokens-Month", "9999834127",
			"X-Ratelimit-Tokens-Query-Cost", "14"),
			[]WindowLimit{win(UnitRequests, 60, PeriodSecond, 360, 174), win(UnitTokens, 1, PeriodMinute, 2000000, 1980746),
				win(UnitTokens, 1, PeriodMonth, 10000000000, 9999834127)}, Value{14, true}},
		{"2025 ten-second window", header("x-ratelimit-limit-req-10-second", "10", "x-ratelimit-remaining-req-10-second", "9"),
			[]WindowLimit{win(UnitRequests, 10, PeriodSecond, 10, 9)}, Value{}},
		{"free tier 2026 minute and five-minute tokens", header(
			"x-ratelimit-limit-req-minute", "60", "x-ratelimit-remaining-req-minute", "59",
			"x-ratelimit-limit-tokens-5-minute", "250000", "x-ratelimit-remaining-tokens-5-minute", "0"),
			[]WindowLimit{win(UnitRequests, 1, PeriodMinute, 60, 59), win(UnitTokens, 5, PeriodMinute, 250000, 0)}, Value{}},
		{"request-limit 429: only the request pair", header("x-ratelimit-limit-req-60-second", "1200", "x-ratelimit-remaining-req-60-second", "0"),
			[]WindowLimit{win(UnitRequests, 60, PeriodSecond, 1200, 0)}, Value{}},
		{"a window never seen still parses", header("x-ratelimit-limit-req-3-month", "5"),
			[]WindowLimit{win(UnitRequests, 3, PeriodMonth, 5, -1)}, Value{}},
		{"malformed names are ignored", header("x-ratelimit-limit-req-0-second", "5", "x-ratelimit-limit-req--second", "5",
			"x-ratelimit-limit-req-+5-second", "5", "x-ratelimit-limit-req-hour", "5", "x-ratelimit-reset", "5",
			"x-ratelimit-limit-bytes-minute", "5", "x-ratelimit-limit-req-minute", "-3"), nil, Value{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ParseRateLimitHTTP(tt.h, time.Now())
			assert.Equal(t, tt.want, r.Windows)
			assert.Equal(t, tt.cost, r.QueryCost)
			assert.False(t, r.Legacy)
			// A getter that can only be asked by name reads the recorded windows too.
			if tt.name != "a window never seen still parses" {
				assert.Equal(t, r, ParseRateLimit(HTTPHeader(tt.h), time.Now()))
			}
		})
	}
}

func TestWindowSecondsAndReset(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 45, 0, time.UTC)
	tests := []struct {
		w       Window
		seconds int64
		reset   time.Time
	}{
		{Window{UnitRequests, 10, PeriodSecond}, 10, now.Add(5 * time.Second)},
		{Window{UnitRequests, 60, PeriodSecond}, 60, now.Add(15 * time.Second)},
		{Window{UnitRequests, 1, PeriodMinute}, 60, now.Add(15 * time.Second)},
		{Window{UnitTokens, 5, PeriodMinute}, 300, time.Date(2026, 11, 27, 12, 5, 0, 0, time.UTC)},
		{Window{UnitTokens, 1, PeriodMonth}, 2592000, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.seconds, tt.w.Seconds(), "%+v", tt.w)
		assert.Equal(t, tt.reset, tt.w.NextReset(now), "%+v", tt.w)
	}
}

func TestParseRateLimitLegacy(t *testing.T) {
	h := header(LegacyHeaderLimit, "2000000", LegacyHeaderRemaining, "1999000", LegacyHeaderReset, "17",
		LegacyHeaderQueryCost, "1000", LegacyHeaderLimitTokensMonth, "10000000000", LegacyHeaderRemainingTokensMonth, "0")
	now := time.Now()
	r := ParseRateLimitHTTP(h, now)
	assert.True(t, r.Legacy)
	assert.Equal(t, []WindowLimit{win(UnitTokens, 1, PeriodMinute, 2000000, 1999000), win(UnitTokens, 1, PeriodMonth, 10000000000, 0)}, r.Windows)
	assert.Equal(t, Value{1000, true}, r.QueryCost)
	assert.Equal(t, LimitTokensPerMonth, r.Exhausted())
	assert.Equal(t, 17*time.Second, r.WaitAfter429(now))
	assert.Equal(t, r, ParseRateLimit(HTTPHeader(h), now))

	// Current names win over legacy ones for the same window.
	r = ParseRateLimitHTTP(header(HeaderLimitTokensMinute, "5", LegacyHeaderLimitTokensMinute, "7"), now)
	assert.Equal(t, []WindowLimit{win(UnitTokens, 1, PeriodMinute, 5, -1)}, r.Windows)
	assert.False(t, r.Legacy)
}

func TestParseRateLimitBadValues(t *testing.T) {
	h := header(HeaderLimitReqMinute, "-1", HeaderRemainingReqMinute, "abc",
		HeaderLimitTokensMinute, "99999999999999999999999", HeaderRetryAfter, "soon")
	r := ParseRateLimitHTTP(h, time.Now())
	assert.Equal(t, RateLimit{}, r)
	assert.False(t, r.Announced())
}

func TestExhaustedAndZeroAllowance(t *testing.T) {
	now := time.Now()
	tests := []struct {
		name string
		h    http.Header
		lim  Limit
		zero bool
	}{
		{"60-second requests spent", header(HeaderLimitReq60Second, "360", HeaderRemainingReq60Second, "0"), LimitRequestsPerMinute, false},
		{"zero allowance for the model", header(HeaderLimitReq60Second, "0", HeaderRemainingReq60Second, "0"), LimitRequestsPerMinute, true},
		{"five-minute tokens spent", header("x-ratelimit-remaining-tokens-5-minute", "0"), LimitTokensPerMinute, false},
		{"query cost above the tokens left", header(HeaderRemainingTokensMinute, "10", HeaderQueryCost, "50"), LimitTokensPerMinute, false},
		{"month outlasts minute", header(HeaderRemainingReqMinute, "0", HeaderRemainingTokensMonth, "0"), LimitTokensPerMonth, false},
		{"nothing spent", header(HeaderRemainingReqMinute, "3"), LimitNone, false},
	}
	for _, tt := range tests {
		r := ParseRateLimitHTTP(tt.h, now)
		assert.Equal(t, tt.lim, r.Exhausted(), tt.name)
		assert.Equal(t, tt.zero, r.ZeroAllowance(), tt.name)
	}
}

func TestWaitAfter429(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 45, 0, time.UTC)
	get := func(kv ...string) RateLimit { return ParseRateLimitHTTP(header(kv...), now) }
	assert.Equal(t, 15*time.Second, get().WaitAfter429(now), "no header: next minute boundary")
	assert.Equal(t, 5*time.Second, get("x-ratelimit-limit-req-10-second", "10", "x-ratelimit-remaining-req-10-second", "0").WaitAfter429(now),
		"next 10-second boundary")
	assert.Equal(t, 15*time.Second, get(HeaderLimitReq60Second, "360", HeaderRemainingReq60Second, "0").WaitAfter429(now))
	assert.Equal(t, 4*time.Minute+15*time.Second, get("x-ratelimit-remaining-tokens-5-minute", "0").WaitAfter429(now))
	assert.Equal(t, MaxWait, get(HeaderRemainingTokensMonth, "0").WaitAfter429(now), "a month is capped")
	assert.Equal(t, 5*time.Second, get("x-ratelimit-limit-req-10-second", "10").WaitAfter429(now), "no window spent: the request window")
	assert.Equal(t, 7*time.Second, get(HeaderRetryAfter, "7").WaitAfter429(now))
	assert.Equal(t, 30*time.Second, get(HeaderRetryAfter, now.Add(30*time.Second).Format(http.TimeFormat)).WaitAfter429(now))
	assert.Equal(t, time.Duration(0), get(HeaderRetryAfter, now.Add(-time.Hour).Format(http.TimeFormat)).WaitAfter429(now))
	assert.Equal(t, MaxWait, get(HeaderRetryAfter, "9223372036854775807").WaitAfter429(now))
	assert.Equal(t, 3*time.Second, get(HeaderRetryAfter, "3", LegacyHeaderReset, "20").WaitAfter429(now), "Retry-After first")
}

func FuzzParseRateLimit(f *testing.F) {
	f.Add("x-ratelimit-limit-req-60-second", "60", "x-ratelimit-remaining-tokens-5-minute", "0", "7", "Wed, 21 Oct 2015 07:28:00 GMT")
	f.Add("x-ratelimit-limit-req-99999999999999999999-second", "-1", "x-ratelimit-remaining-req-month", "abc", " 5 ", "soon")
	f.Fuzz(func(t *testing.T, n1, v1, n2, v2, reset, retry string) {
		h := http.Header{}
		h.Set(n1, v1)
		h.Set(n2, v2)
		h.Set(LegacyHeaderReset, reset)
		h.Set(HeaderRetryAfter, retry)
		now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		r := ParseRateLimitHTTP(h, now)
		for _, w := range r.Windows {
			require.Positive(t, w.Count)
			require.Positive(t, w.Seconds())
			require.True(t, w.NextReset(now).After(now))
			for _, v := range []Value{w.Limit, w.Remaining} {
				if v.V < 0 || (!v.OK && v.V != 0) {
					t.Fatalf("bad value %+v", v)
				}
			}
		}
		if w := r.WaitAfter429(now); w < 0 || w > MaxWait {
			t.Fatalf("wait %s", w)
		}
	})
}

func TestRateLimitUpdate(t *testing.T) {
	now := time.Now()
	old := ParseRateLimitHTTP(header(HeaderLimitReq60Second, "360", HeaderRemainingReq60Second, "100",
		HeaderLimitTokensMinute, "2000000", HeaderRemainingTokensMinute, "1000", HeaderQueryCost, "14"), now)
	got := old.Update(ParseRateLimitHTTP(header(HeaderLimitReq60Second, "360", HeaderRemainingReq60Second, "0"), now))
	assert.Equal(t, []WindowLimit{win(UnitRequests, 60, PeriodSecond, 360, 0), win(UnitTokens, 1, PeriodMinute, 2000000, 1000)}, got.Windows)
	assert.Equal(t, Value{14, true}, got.QueryCost)
	assert.Len(t, old.Windows, 2, "the old value is not changed")
	assert.Equal(t, Value{100, true}, old.Windows[0].Remaining)
}
