package fakemistral

import (
	"math"
	"sync"
	"time"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
)

// limiter enforces a Tier per workspace.
type limiter struct {
	mu   sync.Mutex
	tier Tier
	ws   map[string]*wsState
}

type wsState struct {
	bucket      float64 // requests available now (token bucket)
	last        time.Time
	minute      time.Time // start of the current minute window
	reqMinute   int64
	tokMinute   int64
	month       time.Time // start of the current calendar month (UTC)
	tokMonth    int64
	initialized bool
}

// snapshot is what the rate-limit headers announce.
type snapshot struct {
	tier            Tier
	reqLimit        int64 // -1 when unlimited
	reqRemaining    int64
	tokMinLimit     int64 // -1 when unlimited
	tokMinRemaining int64
	tokMonLimit     int64 // -1 when unlimited
	tokMonRemaining int64
	cost            int64
	resetSeconds    int64 // until the minute window ends
}

func newLimiter(t Tier) *limiter {
	return &limiter{tier: t.withDefaults(), ws: map[string]*wsState{}}
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
	l.ws = map[string]*wsState{}
	l.mu.Unlock()
}

func (t Tier) reqPerMinute() int64 {
	if t.RequestsPerSecond < 0 {
		return -1
	}
	return int64(math.Round(t.RequestsPerSecond * 60))
}

func (t Tier) burst() float64 { return math.Max(1, t.RequestsPerSecond) }

// state returns the workspace's state with its windows rolled to now.
// Callers hold l.mu.
func (l *limiter) state(name string, now time.Time) *wsState {
	st := l.ws[name]
	if st == nil {
		st = &wsState{}
		l.ws[name] = st
	}
	if !st.initialized {
		st.initialized = true
		st.bucket = l.tier.burst()
		st.last = now
	}
	if l.tier.RequestsPerSecond > 0 {
		if el := now.Sub(st.last).Seconds(); el > 0 {
			st.bucket = math.Min(l.tier.burst(), st.bucket+el*l.tier.RequestsPerSecond)
		}
	}
	if now.After(st.last) {
		st.last = now
	}
	if m := now.Truncate(time.Minute); !m.Equal(st.minute) {
		st.minute, st.reqMinute, st.tokMinute = m, 0, 0
	}
	u := now.UTC()
	if m := time.Date(u.Year(), u.Month(), 1, 0, 0, 0, 0, time.UTC); !m.Equal(st.month) {
		st.month, st.tokMonth = m, 0
	}
	return st
}

func (l *limiter) snap(st *wsState, now time.Time, cost int64) snapshot {
	t := l.tier
	s := snapshot{tier: t, cost: cost, reqLimit: t.reqPerMinute(), tokMinLimit: t.TokensPerMinute, tokMonLimit: t.TokensPerMonth}
	if s.reqLimit >= 0 {
		s.reqRemaining = max(0, s.reqLimit-st.reqMinute)
	} else {
		s.reqLimit = -1
	}
	if s.tokMinLimit >= 0 {
		s.tokMinRemaining = max(0, s.tokMinLimit-st.tokMinute)
	} else {
		s.tokMinLimit = -1
	}
	if s.tokMonLimit >= 0 {
		s.tokMonRemaining = max(0, s.tokMonLimit-st.tokMonth)
	} else {
		s.tokMonLimit = -1
	}
	end := now.Truncate(time.Minute).Add(time.Minute)
	s.resetSeconds = int64(math.Ceil(end.Sub(now).Seconds()))
	return s
}

// peek returns the workspace's headers without consuming anything.
func (l *limiter) peek(ws string, now time.Time) snapshot {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.snap(l.state(ws, now), now, 0)
}

// admitRequest consumes one request. It returns LimitRequestsPerMinute when
// the per-second bucket or the per-minute count is spent; the snapshot then
// shows the remaining requests at 0.
func (l *limiter) admitRequest(ws string, now time.Time) (snapshot, mistralapi.Limit) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.state(ws, now)
	t := l.tier
	limited := false
	if t.RequestsPerSecond >= 0 {
		if t.RequestsPerSecond == 0 || st.bucket < 1 {
			limited = true
		}
		if lim := t.reqPerMinute(); st.reqMinute >= lim {
			limited = true
		}
	}
	if limited {
		s := l.snap(st, now, 0)
		s.reqRemaining = 0
		return s, mistralapi.LimitRequestsPerMinute
	}
	if t.RequestsPerSecond > 0 {
		st.bucket--
	}
	st.reqMinute++
	return l.snap(st, now, 0), mistralapi.LimitNone
}

// admitTokens consumes cost tokens, or names the token limit that would be
// exceeded (its remaining count is then 0 in the snapshot).
func (l *limiter) admitTokens(ws string, now time.Time, cost int64) (snapshot, mistralapi.Limit) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.state(ws, now)
	t := l.tier
	switch {
	case t.TokensPerMonth >= 0 && st.tokMonth+cost > t.TokensPerMonth:
		s := l.snap(st, now, cost)
		s.tokMonRemaining = 0
		return s, mistralapi.LimitTokensPerMonth
	case t.TokensPerMinute >= 0 && st.tokMinute+cost > t.TokensPerMinute:
		s := l.snap(st, now, cost)
		s.tokMinRemaining = 0
		return s, mistralapi.LimitTokensPerMinute
	}
	st.tokMinute += cost
	st.tokMonth += cost
	return l.snap(st, now, cost), mistralapi.LimitNone
}
