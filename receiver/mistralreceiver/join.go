package mistralreceiver // import "github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver"

import (
	"fmt"
	"slices"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.uber.org/zap"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralstate"
	"github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver/internal/metadata"
)

// joinState is the receiver's side of the mistral_state extension: it
// publishes what the probes found and turns the llm_enrich processor's call
// counters into metrics. Touched only by the scrape goroutine.
type joinState struct {
	store *mistralstate.Store // nil: no extension, nothing published
	// models is the last catalogue, by card id and alias.
	models map[string]mistralstate.Model
	// budget is the last reading of the monthly tokens remaining.
	budget   *budgetReading
	untrack  untracked
	hasTrack bool
}

// budgetReading is the monthly tokens remaining a chat probe announced,
// with the tokens the spans had reported by then.
type budgetReading struct {
	at        time.Time
	remaining int64
	// spanTk are the tokens of the spans' calls to the model so far,
	// otherTk those of calls to models counted as "other".
	spanTk, otherTk int64
}

type untracked struct{ tokens, uncertainty, window int64 }

// startJoin finds the extension named by `state`. A missing or wrong
// extension is logged, not fatal: the receiver works alone.
func (s *mistralScraper) startJoin(host component.Host) {
	if s.cfg.State == nil {
		return
	}
	id := *s.cfg.State
	ext, ok := host.GetExtensions()[id]
	if !ok {
		s.logger.Warn("state: extension not found; the receiver runs without the processor's traffic",
			zap.String("state", id.String()))
		return
	}
	p, ok := ext.(mistralstate.Provider)
	if !ok {
		s.logger.Warn("state: extension is not a mistral_state extension; ignored",
			zap.String("state", id.String()), zap.String("type", fmt.Sprintf("%T", ext)))
		return
	}
	s.join.store = p.MistralState()
}

// watchedModels are the models whose catalogue entry is recorded: those of
// `models`, then every model seen in traffic (bounded by the extension's
// max_models).
func (s *mistralScraper) watchedModels() []string {
	if s.join.store == nil {
		return s.cfg.Models
	}
	out := slices.Clone(s.cfg.Models)
	for _, m := range s.join.store.Models() {
		if !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

// catalogueModels indexes a catalogue by every card id and alias.
func catalogueModels(c catalogue) map[string]mistralstate.Model {
	out := make(map[string]mistralstate.Model, len(c.cards)*2)
	add := func(name string) {
		if _, done := out[name]; done || name == "" {
			return
		}
		w := c.resolve(name)
		if w.Available() {
			out[name] = mistralstate.Model{Resolved: w.Resolved, Deprecation: w.Deprecation, Replacement: w.Replacement}
		}
	}
	for _, m := range c.cards {
		add(m.ID)
		for _, a := range m.Aliases {
			add(a)
		}
	}
	return out
}

// probeClass maps a probe's error.type to the shared class vocabulary: the
// network failures the probes tell apart are all transport failures.
func probeClass(t metadata.AttributeErrorType) mistralapi.Class {
	switch t {
	case metadata.AttributeErrorTypeDNS, metadata.AttributeErrorTypeConnect, metadata.AttributeErrorTypeTLS:
		return mistralapi.ClassTransport
	}
	if c := mistralapi.Class(t.String()); slices.Contains(mistralapi.Classes[:], c) {
		return c
	}
	return mistralapi.ClassOther
}

// health is the provider's health from this scrape's probes: the models
// probe's failure, else the chat probe's when it ran; a backoff after our
// own 429 is no failure of the provider.
func (s *mistralScraper) health(res probeResults) mistralstate.Health {
	var h mistralstate.Health
	switch {
	case res.models != nil && res.models.Failure != nil:
		h.ProbeClass = probeClass(res.models.Failure.Type)
	case res.chat != nil && res.chat.Failure != nil:
		h.ProbeClass = probeClass(res.chat.Failure.Type)
	}
	for _, p := range res.pages {
		if p.err == nil {
			h.StatusPageSeverity = max(h.StatusPageSeverity, p.snapshot.Indicator.Severity())
		}
	}
	return h
}

// recordJoin publishes the snapshot and records the traffic metrics.
func (s *mistralScraper) recordJoin(ts pcommon.Timestamp, now time.Time, res probeResults) {
	j := &s.join
	if j.store == nil {
		return
	}
	if res.models != nil && res.models.HasCatalogue {
		j.models = catalogueModels(res.models.Catalogue)
	}
	snap := &mistralstate.Snapshot{At: now, Models: j.models, Health: s.health(res)}
	if s.state.hasRateLimit {
		model := s.cfg.ChatProbe.Model
		snap.Headroom = &mistralstate.Headroom{Model: model, Resolved: snap.Models[model].Resolved,
			RateLimit: s.state.rateLimit, At: now}
	}
	j.store.Publish(snap)

	totals := j.store.Totals()
	keys := sortedKeys(totals)
	for _, k := range keys {
		c := totals[k]
		s.mb.RecordMistralTrafficCallsDataPoint(ts, c.Calls, k.Service, k.Model)
		s.mb.RecordMistralTrafficDeprecatedCallsDataPoint(ts, c.Deprecated, k.Service, k.Model)
	}
	services, models := j.store.Overflow()
	s.mb.RecordMistralTrafficOverflowDataPoint(ts, services, metadata.AttributeMistralTrafficDimensionService)
	s.mb.RecordMistralTrafficOverflowDataPoint(ts, models, metadata.AttributeMistralTrafficDimensionModel)
	s.recordUnused(ts, snap, totals)

	window := j.store.Sum(now.Add(-j.store.DiagnosisWindow()), now.Add(mistralstate.BucketLength))
	d := mistralstate.Diagnose(snap.Health, window)
	for _, v := range mistralstate.Diagnoses {
		s.mb.RecordMistralDiagnosisDataPoint(ts, boolGauge(v == d), metadata.MapAttributeMistralDiagnosisState[string(v)])
	}
	s.recordQuotaShare(ts, now, snap, keys)
	s.recordUntracked(ts, now, snap, res)
}

func sortedKeys(m map[mistralstate.Key]mistralstate.Counts) []mistralstate.Key {
	keys := make([]mistralstate.Key, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b mistralstate.Key) int {
		if a.Service != b.Service {
			return compare(a.Service, b.Service)
		}
		return compare(a.Model, b.Model)
	})
	return keys
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// resolvedName is the concrete model a name stands for, the name itself
// when the catalogue does not know it.
func resolvedName(snap *mistralstate.Snapshot, name string) string {
	if m, ok := snap.Lookup(name); ok && m.Resolved != "" {
		return m.Resolved
	}
	return name
}

// recordUnused records, for each model of `models`, whether no call has used
// it (by any name resolving to the same concrete model) since the start.
func (s *mistralScraper) recordUnused(ts pcommon.Timestamp, snap *mistralstate.Snapshot, totals map[mistralstate.Key]mistralstate.Counts) {
	used := map[string]bool{}
	for k, c := range totals {
		if c.Calls > 0 {
			used[resolvedName(snap, k.Model)] = true
		}
	}
	for _, name := range s.cfg.Models {
		s.mb.RecordMistralModelUnusedDataPoint(ts, boolGauge(!used[resolvedName(snap, name)]), name)
	}
}

// recordQuotaShare records each service's use of the chat probe model's
// announced request and token limits. A window of W seconds up to the
// counters' reach is compared with the calls of the last complete minute,
// or of the last complete W when longer, the limit scaled to that span.
func (s *mistralScraper) recordQuotaShare(ts pcommon.Timestamp, now time.Time, snap *mistralstate.Snapshot, keys []mistralstate.Key) {
	h := snap.Headroom
	if h == nil {
		return
	}
	target := resolvedName(snap, h.Model)
	var services []string
	for _, k := range keys {
		if !slices.Contains(services, k.Service) {
			services = append(services, k.Service)
		}
	}
	end := now.Truncate(mistralstate.BucketLength)
	for _, w := range h.RateLimit.Windows {
		secs := w.Seconds()
		if !w.Limit.OK || w.Limit.V <= 0 || time.Duration(secs)*time.Second > mistralstate.MaxWindow {
			continue
		}
		span := max(time.Minute, (time.Duration(secs)*time.Second + mistralstate.BucketLength - 1).Truncate(mistralstate.BucketLength))
		limit := float64(w.Limit.V) * span.Seconds() / float64(secs)
		use := map[string]int64{}
		for k, c := range s.join.store.Sum(end.Add(-span), end) {
			if resolvedName(snap, k.Model) != target {
				continue
			}
			if w.Unit == mistralapi.UnitRequests {
				use[k.Service] += c.Calls
			} else {
				use[k.Service] += c.Tokens
			}
		}
		for _, svc := range services {
			share := float64(use[svc]) / limit
			if w.Unit == mistralapi.UnitRequests {
				s.mb.RecordMistralTrafficRequestsQuotaShareDataPoint(ts, share, svc, h.Model, secs)
			} else {
				s.mb.RecordMistralTrafficTokensQuotaShareDataPoint(ts, share, svc, h.Model, secs)
			}
		}
	}
}

// recordUntracked compares the drop of the monthly tokens remaining of the
// chat probe's model between two chat probes with the tokens the spans
// reported meanwhile for calls to that model (by any name resolving to it).
// Limits are per model, so calls to other models do not count.
func (s *mistralScraper) recordUntracked(ts pcommon.Timestamp, now time.Time, snap *mistralstate.Snapshot, res probeResults) {
	j := &s.join
	if c := res.chat; c != nil && c.Failure == nil && snap.Headroom != nil {
		if remaining, ok := monthlyTokensRemaining(snap.Headroom.RateLimit); ok {
			target := resolvedName(snap, snap.Headroom.Model)
			tracked, unsure := modelTokens(snap, target, j.store.Totals())
			cur := &budgetReading{at: now, remaining: remaining, spanTk: tracked, otherTk: unsure}
			if prev := j.budget; prev != nil && remaining <= prev.remaining {
				var probe int64
				if c.HasUsage {
					probe = c.InputTokens + c.OutputTokens
				}
				j.untrack = untracked{
					tokens: prev.remaining - remaining - (cur.spanTk - prev.spanTk) - probe,
					uncertainty: edgeTokens(j.store, snap, target, prev.at) + edgeTokens(j.store, snap, target, now) +
						(cur.otherTk - prev.otherTk) + probe,
					window: int64(now.Sub(prev.at) / time.Second),
				}
				j.hasTrack = true
			} else if prev != nil {
				// The month started again: no figure across the reset.
				j.hasTrack = false
			}
			j.budget = cur
		}
	}
	if j.hasTrack {
		s.mb.RecordMistralTrafficUntrackedTokensDataPoint(ts, j.untrack.tokens)
		s.mb.RecordMistralTrafficUntrackedTokensUncertaintyDataPoint(ts, j.untrack.uncertainty)
		s.mb.RecordMistralTrafficUntrackedTokensWindowDataPoint(ts, j.untrack.window)
	}
}

// modelTokens sums the tokens of the calls to target; unsure are the tokens
// of the calls counted under the model "other" (the cap was full), which
// may or may not be calls to target.
func modelTokens(snap *mistralstate.Snapshot, target string, counts map[mistralstate.Key]mistralstate.Counts) (tokens, unsure int64) {
	for k, c := range counts {
		switch {
		case k.Model == mistralstate.Other:
			unsure += c.Tokens
		case resolvedName(snap, k.Model) == target:
			tokens += c.Tokens
		}
	}
	return tokens, unsure
}

// monthlyTokensRemaining finds the monthly token window's remaining tokens.
func monthlyTokensRemaining(rl mistralapi.RateLimit) (int64, bool) {
	for _, w := range rl.Windows {
		if w.Unit == mistralapi.UnitTokens && w.Period == mistralapi.PeriodMonth && w.Remaining.OK {
			return w.Remaining.V, true
		}
	}
	return 0, false
}

// edgeTokens are the tokens the spans of calls to target reported within
// one bucket of t.
func edgeTokens(st *mistralstate.Store, snap *mistralstate.Snapshot, target string, t time.Time) int64 {
	n, _ := modelTokens(snap, target, st.Sum(t.Add(-mistralstate.BucketLength), t.Add(mistralstate.BucketLength)))
	return n
}
