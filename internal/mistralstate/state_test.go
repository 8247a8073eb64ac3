package mistralstate

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

func newTestStore(maxServices, maxModels int) (*Store, *clock) {
	c := &clock{now: time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)}
	s := NewStore(maxServices, maxModels, time.Minute)
	s.SetClock(c.Now)
	return s, c
}

func batch(calls ...Call) *Batch {
	var b Batch
	for _, c := range calls {
		b.Add(c)
	}
	return &b
}

func TestSnapshotLoadPublish(t *testing.T) {
	s, _ := newTestStore(1, 1)
	assert.Nil(t, s.Load())
	m, ok := s.Load().Lookup("x")
	assert.False(t, ok)
	assert.Zero(t, m)
	snap := &Snapshot{Models: map[string]Model{"a": {Resolved: "a-1", Deprecation: time.Unix(1, 0), Replacement: "b"}}}
	s.Publish(snap)
	m, ok = s.Load().Lookup("a")
	require.True(t, ok)
	assert.True(t, m.Deprecated())
	assert.Equal(t, "b", m.Replacement)
}

// TestCapsAndOverflow: the services and models beyond the caps count under
// "other", and the overflow counts the calls that went there.
func TestCapsAndOverflow(t *testing.T) {
	s, _ := newTestStore(2, 1)
	s.Add(batch(
		Call{Service: "a", Model: "m1", Tokens: 10},
		Call{Service: "b", Model: "m1", Tokens: 5, Class: mistralapi.ClassRateLimit},
	))
	s.Add(batch(
		Call{Service: "c", Model: "m1"},
		Call{Service: "a", Model: "m2", Deprecated: true},
		Call{Service: "a", Model: "m2"},
	))
	tot := s.Totals()
	assert.Equal(t, int64(1), tot[Key{"a", "m1"}].Calls)
	assert.Equal(t, int64(1), tot[Key{Other, "m1"}].Calls)
	assert.Equal(t, int64(2), tot[Key{"a", Other}].Calls)
	assert.Equal(t, int64(1), tot[Key{"a", Other}].Deprecated)
	k := tot[Key{"b", "m1"}]
	assert.Equal(t, int64(1), k.Failed(mistralapi.ClassRateLimit))
	services, models := s.Overflow()
	assert.Equal(t, int64(1), services)
	assert.Equal(t, int64(2), models)
	assert.Equal(t, []string{"m1"}, s.Models())
	assert.Equal(t, int64(15), s.TotalTokens())
}

// TestSumWindows: Sum adds the buckets starting in [from, to); the ring
// forgets buckets older than MaxWindow.
func TestSumWindows(t *testing.T) {
	s, c := newTestStore(10, 10)
	t0 := c.now
	s.Add(batch(Call{Service: "a", Model: "m", Tokens: 1}))
	c.now = t0.Add(30 * time.Second)
	s.Add(batch(Call{Service: "a", Model: "m", Tokens: 2}))
	assert.Equal(t, int64(3), s.Sum(t0, t0.Add(time.Minute))[Key{"a", "m"}].Tokens)
	assert.Equal(t, int64(2), s.Sum(t0.Add(time.Second), t0.Add(time.Minute))[Key{"a", "m"}].Tokens)
	assert.Equal(t, int64(1), s.Sum(t0, t0.Add(30*time.Second))[Key{"a", "m"}].Tokens)
	c.now = t0.Add(MaxWindow + time.Minute)
	s.Add(batch(Call{Service: "a", Model: "m", Tokens: 4}))
	assert.Equal(t, int64(4), s.Sum(t0, c.now.Add(BucketLength))[Key{"a", "m"}].Tokens, "the old buckets were reused")
	assert.Equal(t, int64(7), s.Totals()[Key{"a", "m"}].Tokens)
}

func TestBatchUnknownClassIsOther(t *testing.T) {
	b := batch(Call{Service: "a", Model: "m", Class: "weird", Tokens: -5})
	assert.Equal(t, 1, b.Len())
	c := b.counts[Key{"a", "m"}]
	assert.Equal(t, int64(1), c.Failed(mistralapi.ClassOther))
	assert.Zero(t, c.Tokens, "negative token counts are ignored")
}

func TestConcurrentAddAndRead(t *testing.T) {
	s := NewStore(5, 5, time.Minute)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for range 200 {
				s.Add(batch(Call{Service: string(rune('a' + i)), Model: "m", Tokens: 1}))
				s.Publish(&Snapshot{})
				_ = s.Load()
			}
		})
	}
	wg.Go(func() {
		for range 200 {
			_ = s.Totals()
			_ = s.Sum(time.Now().Add(-time.Minute), time.Now().Add(time.Minute))
		}
	})
	wg.Wait()
	assert.Equal(t, int64(800), s.TotalTokens())
}

func counts(class mistralapi.Class, n int64) map[Key]Counts {
	var c Counts
	c.Calls = n
	if class != mistralapi.ClassNone {
		b := batch(Call{Class: class})
		c.Failures = b.counts[Key{}].Failures
		for i := range c.Failures {
			c.Failures[i] *= n
		}
	}
	return map[Key]Counts{{Service: "a", Model: "m"}: c}
}

func TestDiagnose(t *testing.T) {
	capacity := Health{ProbeClass: mistralapi.ClassProviderCapacity}
	degraded := Health{StatusPageSeverity: 2}
	ourLimit := Health{ProbeClass: mistralapi.ClassRateLimit}
	for _, tc := range []struct {
		name   string
		health Health
		window map[Key]Counts
		want   Diagnosis
	}{
		{"all fine", Health{}, counts(mistralapi.ClassNone, 3), DiagnosisHealthy},
		{"no traffic, nothing wrong", Health{}, nil, DiagnosisHealthy},
		{"probe capacity and our calls capacity", capacity, counts(mistralapi.ClassProviderCapacity, 2), DiagnosisProviderIncident},
		{"status page degraded and our calls 500", degraded, counts(mistralapi.ClassServerError, 1), DiagnosisProviderIncident},
		{"probe failing, no traffic", Health{ProbeClass: mistralapi.ClassTimeout}, nil, DiagnosisProviderIncident},
		{"probe failing, our calls succeed", capacity, counts(mistralapi.ClassNone, 5), DiagnosisHealthy},
		{"our 429s, probe fine", Health{}, counts(mistralapi.ClassRateLimit, 2), DiagnosisOurQuota},
		{"budget spent, probe refused by our own limit", ourLimit, counts(mistralapi.ClassQuotaExhausted, 1), DiagnosisOurQuota},
		{"our 429s while the status page is degraded", degraded, counts(mistralapi.ClassRateLimit, 1), DiagnosisOurQuota},
		{"our 429s while the probe sees capacity", capacity, counts(mistralapi.ClassRateLimit, 1), DiagnosisHealthy},
		{"bad key in the app", Health{}, counts(mistralapi.ClassAuthentication, 1), DiagnosisOurConfiguration},
		{"unknown model in the app", Health{}, counts(mistralapi.ClassModelNotFound, 1), DiagnosisOurConfiguration},
		{"our calls capacity, outside fine", Health{}, counts(mistralapi.ClassProviderCapacity, 4), DiagnosisHealthy},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Diagnose(tc.health, tc.window))
		})
	}
}
