package fakemistral

import (
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
)

// limiter enforces a Tier per workspace and model: La Plateforme sets its
// limits per model (one account showed 1200 req/60 s for one model and 360
// for the others), and aliases share their model's row. GET /v1/models
// counts against a row of its own (model "").
type limiter struct {
	mu   sync.Mutex
	tier Tier
	rows map[rowKey]*rowState
}

type rowKey struct{ ws, model string }

type rowState struct {
	bucket      float64 // requests available now (token bucket)
	last        time.Time
	reqStart    time.Time // start of the current request window
	reqCount    int64
	tokStart    time.Time // start of the current token window
	tokCount    int64
	month       time.Time // start of the current calendar month (UTC)
	tokMonth    int64
	initialized bool
}

// snapshot is what the rate-limit headers announce for one row.
type snapshot struct {
	reqWindow       string // header window of the request pair: "minute", "60-second"
	reqLimit        int64  // -1 when unlimited
	reqRemaining    int64
	tokWindow       string // header window of the short token pair: "minute", "5-minute"
	tokMinLimit     int64  // -1 when unlimited
	tokMinRemaining int64
	tokMonLimit     int64 // -1 when unlimited
	tokMonRemaining int64
	cost            int64
	resetSeconds    int64 // until the token window ends (legacy ratelimitbysize-reset)
}

func newLimiter(t Tier) *limiter {
	return &limiter{tier: t.withDefaults(), rows: map[rowKey]*rowState{}}
}

func (l *limiter) setTier(t Tier) {
	l.mu.Lock()
	l.tier = t.withDefaults()
	l.mu.Unlock()
}

func (l *limiter) getTier() Tier {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.tier
}

func (l *limiter) reset() {
	l.mu.Lock()
	l.rows = map[rowKey]*rowState{}
	l.mu.Unlock()
}

// windowLength reads a header window ("minute", "60-second", "5-minute").
func windowLength(w string) time.Duration {
	n, unit, ok := strings.Cut(w, "-")
	count := int64(1)
	if ok {
		c, err := strconv.ParseInt(n, 10, 64)
		if err != nil || c < 1 {
			return time.Minute
		}
		count = c
	} else {
		unit = w
	}
	switch unit {
	case "second":
		return time.Duration(count) * time.Second
	case "minute":
		return time.Duration(count) * time.Minute
	}
	return time.Minute
}

// reqLimit is the request limit of the request window: the rate times the
// window's length.
func (t Tier) reqLimit() int64 {
	if t.RequestsPerSecond < 0 {
		return -1
	}
	return int64(math.Round(t.RequestsPerSecond * windowLength(t.RequestWindow).Seconds()))
}

func (t Tier) burst() float64 { return math.Max(1, t.RequestsPerSecond) }

// tierFor is the tier of a model's row: its entry in Models, or the base.
// Callers hold l.mu.
func (l *limiter) tierFor(model string) Tier {
	if t, ok := l.tier.Models[model]; ok {
		return t.withDefaults()
	}
	return l.tier
}

// state returns the row with its windows rolled to now. Callers hold l.mu.
func (l *limiter) state(k rowKey, now time.Time) (*rowState, Tier) {
	t := l.tierFor(k.model)
	st := l.rows[k]
	if st == nil {
		st = &rowState{}
		l.rows[k] = st
	}
	if !st.initialized {
		st.initialized = true
		st.bucket = t.burst()
		st.last = now
	}
	if t.RequestsPerSecond > 0 {
		if el := now.Sub(st.last).Seconds(); el > 0 {
			st.bucket = math.Min(t.burst(), st.bucket+el*t.RequestsPerSecond)
		}
	}
	if now.After(st.last) {
		st.last = now
	}
	if m := now.Truncate(windowLength(t.RequestWindow)); !m.Equal(st.reqStart) {
		st.reqStart, st.reqCount = m, 0
	}
	if m := now.Truncate(windowLength(t.TokenWindow)); !m.Equal(st.tokStart) {
		st.tokStart, st.tokCount = m, 0
	}
	u := now.UTC()
	if m := time.Date(u.Year(), u.Month(), 1, 0, 0, 0, 0, time.UTC); !m.Equal(st.month) {
		st.month, st.tokMonth = m, 0
	}
	return st, t
}

func snap(t Tier, st *rowState, now time.Time, cost int64) snapshot {
	s := snapshot{reqWindow: t.RequestWindow, tokWindow: t.TokenWindow, cost: cost,
		reqLimit: t.reqLimit(), tokMinLimit: t.TokensPerMinute, tokMonLimit: t.TokensPerMonth}
	if s.reqLimit >= 0 {
		s.reqRemaining = max(0, s.reqLimit-st.reqCount)
	} else {
		s.reqLimit = -1
	}
	if s.tokMinLimit >= 0 {
		s.tokMinRemaining = max(0, s.tokMinLimit-st.tokCount)
	} else {
		s.tokMinLimit = -1
	}
	if s.tokMonLimit >= 0 {
		s.tokMonRemaining = max(0, s.tokMonLimit-st.tokMonth)
	} else {
		s.tokMonLimit = -1
	}
	d := windowLength(t.TokenWindow)
	end := now.Truncate(d).Add(d)
	s.resetSeconds = int64(math.Ceil(end.Sub(now).Seconds()))
	return s
}

// peek returns a row's headers without consuming anything.
func (l *limiter) peek(ws, model string, now time.Time) snapshot {
	l.mu.Lock()
	defer l.mu.Unlock()
	st, t := l.state(rowKey{ws, model}, now)
	return snap(t, st, now, 0)
}

// admitRequest consumes one request of the row. It returns
// LimitRequestsPerMinute when the per-second bucket or the request window
// is spent; the snapshot then shows the remaining requests at 0.
func (l *limiter) admitRequest(ws, model string, now time.Time) (snapshot, mistralapi.Limit) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st, t := l.state(rowKey{ws, model}, now)
	limited := false
	if t.RequestsPerSecond >= 0 {
		if t.RequestsPerSecond == 0 || st.bucket < 1 {
			limited = true
		}
		if st.reqCount >= t.reqLimit() {
			limited = true
		}
	}
	if limited {
		s := snap(t, st, now, 0)
		s.reqRemaining = 0
		return s, mistralapi.LimitRequestsPerMinute
	}
	if t.RequestsPerSecond > 0 {
		st.bucket--
	}
	st.reqCount++
	return snap(t, st, now, 0), mistralapi.LimitNone
}

// admitTokens consumes cost tokens of the row, or names the token limit
// that would be exceeded (its remaining count is then 0 in the snapshot).
func (l *limiter) admitTokens(ws, model string, now time.Time, cost int64) (snapshot, mistralapi.Limit) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st, t := l.state(rowKey{ws, model}, now)
	switch {
	case t.TokensPerMonth >= 0 && st.tokMonth+cost > t.TokensPerMonth:
		s := snap(t, st, now, cost)
		s.tokMonRemaining = 0
		return s, mistralapi.LimitTokensPerMonth
	case t.TokensPerMinute >= 0 && st.tokCount+cost > t.TokensPerMinute:
		s := snap(t, st, now, cost)
		s.tokMinRemaining = 0
		return s, mistralapi.LimitTokensPerMinute
	}
	st.tokCount += cost
	st.tokMonth += cost
	return snap(t, st, now, cost), mistralapi.LimitNone
}
