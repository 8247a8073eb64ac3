package mistralapi

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestParseRateLimitCurrent(t *testing.T) {
	h := http.Header{}
	h.Set("X-Ratelimit-Limit-Req-Minute", "60")
	h.Set("x-ratelimit-remaining-req-minute", "59")
	h.Set(HeaderLimitTokensMinute, "500000")
	h.Set(HeaderRemainingTokensMinute, "499990")
	h.Set(HeaderLimitTokensMonth, "1000000000")
	h.Set(HeaderRemainingTokensMonth, "999999990")
	h.Set(HeaderQueryCost, "10")
	r := ParseRateLimit(HTTPHeader(h), time.Now())
	assert.Equal(t, Value{60, true}, r.RequestsMinuteLimit)
	assert.Equal(t, Value{59, true}, r.RequestsMinuteRemaining)
	assert.Equal(t, Value{500000, true}, r.TokensMinuteLimit)
	assert.Equal(t, Value{499990, true}, r.TokensMinuteRemaining)
	assert.Equal(t, Value{1000000000, true}, r.TokensMonthLimit)
	assert.Equal(t, Value{999999990, true}, r.TokensMonthRemaining)
	assert.Equal(t, Value{10, true}, r.QueryCost)
	assert.False(t, r.Legacy)
	assert.False(t, r.ZeroAllowance())
	assert.Equal(t, LimitNone, r.Exhausted())
}

func TestParseRateLimitLegacy(t *testing.T) {
	h := http.Header{}
	h.Set(LegacyHeaderLimit, "2000000")
	h.Set(LegacyHeaderRemaining, "1999000")
	h.Set(LegacyHeaderReset, "17")
	h.Set(LegacyHeaderQueryCost, "1000")
	h.Set(LegacyHeaderLimitTokensMonth, "10000000000")
	h.Set(LegacyHeaderRemainingTokensMonth, "0")
	now := time.Now()
	r := ParseRateLimit(HTTPHeader(h), now)
	assert.True(t, r.Legacy)
	assert.Equal(t, Value{2000000, true}, r.TokensMinuteLimit)
	assert.Equal(t, Value{1999000, true}, r.TokensMinuteRemaining)
	assert.Equal(t, Value{10000000000, true}, r.TokensMonthLimit)
	assert.Equal(t, Value{0, true}, r.TokensMonthRemaining)
	assert.Equal(t, Value{1000, true}, r.QueryCost)
	assert.False(t, r.RequestsMinuteLimit.OK, "nothing invented when a header is absent")
	assert.Equal(t, LimitTokensPerMonth, r.Exhausted())
	assert.Equal(t, 17*time.Second, r.WaitAfter429(now))
}

func TestParseRateLimitBadValues(t *testing.T) {
	h := http.Header{}
	h.Set(HeaderLimitReqMinute, "-1")
	h.Set(HeaderRemainingReqMinute, "abc")
	h.Set(HeaderLimitTokensMinute, "99999999999999999999999")
	h.Set(HeaderRetryAfter, "soon")
	r := ParseRateLimit(HTTPHeader(h), time.Now())
	assert.Equal(t, RateLimit{}, r)
}

func TestWaitAfter429(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 45, 0, time.UTC)
	get := func(kv ...string) RateLimit {
		h := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return ParseRateLimit(HTTPHeader(h), now)
	}
	assert.Equal(t, 15*time.Second, get().WaitAfter429(now), "next minute boundary")
	assert.Equal(t, 7*time.Second, get(HeaderRetryAfter, "7").WaitAfter429(now))
	assert.Equal(t, 30*time.Second, get(HeaderRetryAfter, now.Add(30*time.Second).Format(http.TimeFormat)).WaitAfter429(now))
	assert.Equal(t, time.Duration(0), get(HeaderRetryAfter, now.Add(-time.Hour).Format(http.TimeFormat)).WaitAfter429(now))
	assert.Equal(t, MaxWait, get(HeaderRetryAfter, "9223372036854775807").WaitAfter429(now))
	assert.Equal(t, 3*time.Second, get(HeaderRetryAfter, "3", LegacyHeaderReset, "20").WaitAfter429(now), "Retry-After first")
}

func FuzzParseRateLimit(f *testing.F) {
	f.Add("60", "0", "500000", "10", "0", "7")
	f.Add("", "-1", "1e9", "abc", " 5 ", "Wed, 21 Oct 2015 07:28:00 GMT")
	f.Fuzz(func(t *testing.T, a, b, c, d, e, retry string) {
		h := http.Header{}
		h.Set(HeaderLimitReqMinute, a)
		h.Set(HeaderRemainingReqMinute, b)
		h.Set(LegacyHeaderLimit, c)
		h.Set(HeaderRemainingTokensMinute, d)
		h.Set(LegacyHeaderReset, e)
		h.Set(HeaderRetryAfter, retry)
		now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		r := ParseRateLimit(HTTPHeader(h), now)
		for _, v := range []Value{r.RequestsMinuteLimit, r.RequestsMinuteRemaining, r.TokensMinuteLimit, r.TokensMinuteRemaining, r.Reset, r.RetryAfter} {
			if v.V < 0 || (!v.OK && v.V != 0) {
				t.Fatalf("bad value %+v", v)
			}
		}
		if w := r.WaitAfter429(now); w < 0 || w > MaxWait {
			t.Fatalf("wait %s", w)
		}
	})
}
