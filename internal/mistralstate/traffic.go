package mistralstate // import "github.com/otelcol-mistral/otelcol-mistral/internal/mistralstate"

import (
	"slices"
	"sync"
	"time"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
)

// Other is the service or model name the calls beyond the caps count under.
const Other = "other"

// BucketLength is the resolution of the rolling counters; the ring keeps
// numBuckets of them (15 minutes).
const (
	BucketLength = 10 * time.Second
	numBuckets   = 90
	// MaxWindow is the longest span of time the rolling counters can sum.
	MaxWindow = (numBuckets - 1) * BucketLength
)

// Key is a service and the model it called, as the span names it.
type Key struct{ Service, Model string }

// Call is the outcome of one LLM call, as the processor saw it.
type Call struct {
	Service, Model string
	// Class is the failure class, ClassNone for a success.
	Class mistralapi.Class
	// Tokens are the input plus output tokens the span reports.
	Tokens     int64
	Deprecated bool
}

// Counts are the calls of one key.
type Counts struct {
	Calls, Deprecated, Tokens int64
	// Failures counts the failed calls by class, indexed like mistralapi.Classes.
	Failures [len(mistralapi.Classes)]int64
}

// Failed returns the failures of class c.
func (c *Counts) Failed(class mistralapi.Class) int64 {
	if i := slices.Index(mistralapi.Classes[:], class); i >= 0 {
		return c.Failures[i]
	}
	return 0
}

func (c *Counts) add(o *Counts) {
	c.Calls += o.Calls
	c.Deprecated += o.Deprecated
	c.Tokens += o.Tokens
	for i := range c.Failures {
		c.Failures[i] += o.Failures[i]
	}
}

// Batch gathers the calls of one batch, so that the store's mutex is taken
// once per batch. The zero value is ready to use.
type Batch struct {
	counts map[Key]*Counts
}

// Add counts one call.
func (b *Batch) Add(c Call) {
	if b.counts == nil {
		b.counts = make(map[Key]*Counts, 4)
	}
	k := Key{c.Service, c.Model}
	n := b.counts[k]
	if n == nil {
		n = &Counts{}
		b.counts[k] = n
	}
	n.Calls++
	n.Tokens += max(0, c.Tokens)
	if c.Deprecated {
		n.Deprecated++
	}
	if c.Class != mistralapi.ClassNone {
		i := slices.Index(mistralapi.Classes[:], c.Class)
		if i < 0 {
			i = slices.Index(mistralapi.Classes[:], mistralapi.ClassOther)
		}
		n.Failures[i]++
	}
}

// Len is the number of distinct keys of the batch.
func (b *Batch) Len() int { return len(b.counts) }

type bucket struct {
	// slot is the bucket's start in BucketLength units since the epoch.
	slot   int64
	counts map[Key]*Counts
}

// traffic holds the counters: totals since the start and a ring of buckets.
type traffic struct {
	mu               sync.Mutex
	clock            func() time.Time
	maxServices      int
	maxModels        int
	services, models map[string]struct{}
	// overflow counts the calls whose service or model was counted as Other.
	overflowServices, overflowModels int64
	totals                           map[Key]*Counts
	tokens                           int64
	ring                             [numBuckets]bucket
}

func newTraffic(maxServices, maxModels int, clock func() time.Time) *traffic {
	return &traffic{
		clock: clock, maxServices: maxServices, maxModels: maxModels,
		services: map[string]struct{}{}, models: map[string]struct{}{},
		totals: map[Key]*Counts{},
	}
}

// SetClock replaces the clock of the rolling counters (tests).
func (s *Store) SetClock(f func() time.Time) {
	s.traffic.mu.Lock()
	s.traffic.clock = f
	s.traffic.mu.Unlock()
}

// Now is the time of the store's clock.
func (s *Store) Now() time.Time {
	s.traffic.mu.Lock()
	defer s.traffic.mu.Unlock()
	return s.traffic.clock()
}

// admit returns name, or Other when the set is full and name is new.
func admit(set map[string]struct{}, limit int, name string) (string, bool) {
	if _, ok := set[name]; ok {
		return name, true
	}
	if len(set) >= limit {
		return Other, false
	}
	set[name] = struct{}{}
	return name, true
}

// Add adds a batch's calls to the counters.
func (s *Store) Add(b *Batch) {
	if b == nil || len(b.counts) == 0 {
		return
	}
	t := s.traffic
	t.mu.Lock()
	defer t.mu.Unlock()
	slot := t.clock().UnixNano() / int64(BucketLength)
	bk := &t.ring[slot%numBuckets]
	if bk.slot != slot || bk.counts == nil {
		bk.slot, bk.counts = slot, map[Key]*Counts{}
	}
	for k, c := range b.counts {
		var ok bool
		if k.Service, ok = admit(t.services, t.maxServices, k.Service); !ok {
			t.overflowServices += c.Calls
		}
		if k.Model, ok = admit(t.models, t.maxModels, k.Model); !ok {
			t.overflowModels += c.Calls
		}
		addTo(t.totals, k, c)
		addTo(bk.counts, k, c)
		t.tokens += c.Tokens
	}
}

func addTo(m map[Key]*Counts, k Key, c *Counts) {
	n := m[k]
	if n == nil {
		n = &Counts{}
		m[k] = n
	}
	n.add(c)
}

// Totals returns a copy of the counts since the start, by key.
func (s *Store) Totals() map[Key]Counts {
	t := s.traffic
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make(map[Key]Counts, len(t.totals))
	for k, c := range t.totals {
		out[k] = *c
	}
	return out
}

// TotalTokens returns the tokens of every call since the start.
func (s *Store) TotalTokens() int64 {
	t := s.traffic
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.tokens
}

// Overflow returns the calls counted under Other because the service cap
// (services) or the model cap (models) was reached.
func (s *Store) Overflow() (services, models int64) {
	t := s.traffic
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.overflowServices, t.overflowModels
}

// Models returns the models seen in traffic (Other excluded), sorted.
func (s *Store) Models() []string {
	t := s.traffic
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]string, 0, len(t.models))
	for m := range t.models {
		out = append(out, m)
	}
	slices.Sort(out)
	return out
}

// Sum returns the counts of the buckets that start in [from, to), by key.
// Buckets older than MaxWindow are gone.
func (s *Store) Sum(from, to time.Time) map[Key]Counts {
	t := s.traffic
	t.mu.Lock()
	defer t.mu.Unlock()
	lo := ceilDiv(from.UnixNano(), int64(BucketLength))
	hi := ceilDiv(to.UnixNano(), int64(BucketLength))
	lo = max(lo, t.clock().UnixNano()/int64(BucketLength)-numBuckets+1)
	out := map[Key]Counts{}
	for i := range t.ring {
		bk := &t.ring[i]
		if bk.counts == nil || bk.slot < lo || bk.slot >= hi {
			continue
		}
		for k, c := range bk.counts {
			n := out[k]
			n.add(c)
			out[k] = n
		}
	}
	return out
}

func ceilDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a > 0 {
		q++
	}
	return q
}
