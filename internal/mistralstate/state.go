// Package mistralstate is the state the mistral receiver and the llm_enrich
// processor share through the mistral_state extension: the receiver
// publishes what its probes found (catalogue, rate-limit headroom, provider
// health) as an immutable snapshot; the processor reads the snapshot once per
// batch and adds the batch's call outcomes to bounded rolling counters, which
// the receiver turns into metrics at each scrape.
package mistralstate // import "github.com/otelcol-mistral/otelcol-mistral/internal/mistralstate"

import (
	"sync/atomic"
	"time"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
)

// Model is what the catalogue says about one model name (an id or an alias).
type Model struct {
	// Resolved is the concrete model the name stands for.
	Resolved string
	// Deprecation is the concrete model's deprecation date, zero when none.
	Deprecation time.Time
	// Replacement is the replacement model, "" when none.
	Replacement string
}

// Deprecated reports whether the catalogue gives the model a deprecation date.
func (m Model) Deprecated() bool { return !m.Deprecation.IsZero() }

// Health is the provider's health as seen from outside.
type Health struct {
	// ProbeClass is the class of the last API probe failure, "" when the
	// last probes succeeded.
	ProbeClass mistralapi.Class
	// StatusPageSeverity is the worst overall indicator of the status pages
	// read (0: operational).
	StatusPageSeverity int
}

// Headroom is the rate-limit headroom announced for one model.
type Headroom struct {
	// Model is the model the chat probe measured it on, as configured.
	Model string
	// Resolved is that model's concrete model ("" when unknown).
	Resolved  string
	RateLimit mistralapi.RateLimit
	At        time.Time
}

// Snapshot is the receiver's latest view. It is immutable once published.
type Snapshot struct {
	At time.Time
	// Models maps every card id and alias of the catalogue to its model.
	Models   map[string]Model
	Health   Health
	Headroom *Headroom
}

// Lookup returns what the catalogue says about a model name.
func (s *Snapshot) Lookup(name string) (Model, bool) {
	if s == nil || name == "" {
		return Model{}, false
	}
	m, ok := s.Models[name]
	return m, ok
}

// Store is the shared state. Publish and Load are lock-free; Add and the
// readers of the counters take a mutex, once per batch and once per scrape.
type Store struct {
	snap    atomic.Pointer[Snapshot]
	traffic *traffic
	window  time.Duration
}

// NewStore returns a store that keeps at most maxServices services and
// maxModels models in its counters (the rest count as Other) and diagnoses
// over the last diagnosisWindow (at most MaxWindow).
func NewStore(maxServices, maxModels int, diagnosisWindow time.Duration) *Store {
	return &Store{traffic: newTraffic(maxServices, maxModels, time.Now), window: min(diagnosisWindow, MaxWindow)}
}

// DiagnosisWindow is the span of time Diagnose looks back.
func (s *Store) DiagnosisWindow() time.Duration { return s.window }

// Publish replaces the snapshot.
func (s *Store) Publish(snap *Snapshot) { s.snap.Store(snap) }

// Load returns the latest snapshot, nil before the first.
func (s *Store) Load() *Snapshot { return s.snap.Load() }

// Provider is implemented by the mistral_state extension.
type Provider interface {
	MistralState() *Store
}
