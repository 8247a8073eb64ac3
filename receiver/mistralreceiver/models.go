package mistralreceiver // import "github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver"

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.uber.org/zap"
)

// modelCard is the part of a model card of GET /v1/models the receiver reads.
// Name is null on some cards (recorded 2025-08).
type modelCard struct {
	ID          string   `json:"id"`
	Name        *string  `json:"name"`
	Aliases     []string `json:"aliases"`
	Deprecation *string  `json:"deprecation"`
	Replacement *string  `json:"deprecation_replacement_model"`
}

// target is the model the card stands for: its name, else its id. An alias
// card's name is the model the alias points to.
func (m modelCard) target() string {
	if m.Name != nil && *m.Name != "" {
		return *m.Name
	}
	return m.ID
}

// modelList is the body of GET /v1/models: {"object":"list","data":[...]}.
type modelList struct {
	Data *[]modelCard `json:"data"`
}

// catalogue is the model catalogue of one successful probe.
type catalogue struct {
	cards []modelCard
}

// parseCatalogue reads the body of GET /v1/models. Anything but a JSON
// object with a "data" list of objects is errInvalidBody: an HTML page
// served with 200, truncated JSON, a list without "data".
func parseCatalogue(body []byte) (catalogue, error) {
	var l modelList
	if err := json.Unmarshal(body, &l); err != nil {
		return catalogue{}, fmt.Errorf("%w: %s", errInvalidBody, bodyError(err))
	}
	if l.Data == nil {
		return catalogue{}, fmt.Errorf(`%w: no "data" list`, errInvalidBody)
	}
	return catalogue{cards: *l.Data}, nil
}

// bodyError describes a JSON error without quoting the body.
func bodyError(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("invalid JSON at offset %d", syn.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("unexpected JSON %s for field %q", typ.Value, typ.Field)
	}
	return "invalid JSON"
}

// watchedModel is what the catalogue says about one model of `models`.
type watchedModel struct {
	// Name is the name as configured.
	Name string
	// Resolved is the concrete model; "" when the name is not in the catalogue.
	Resolved string
	// Deprecation is the concrete model's deprecation date, zero when none.
	Deprecation time.Time
	// Replacement is the replacement model, "" when none.
	Replacement string
}

// Available reports whether the model is in the catalogue.
func (w watchedModel) Available() bool { return w.Resolved != "" }

// resolve looks a model name up. La Plateforme lists every alias as a card
// of its own whose name is the model it points to, so the card with that id
// gives the target; a catalogue without alias cards is read through the
// aliases lists. The deprecation is the target's (its card, when the
// catalogue has one; else the card found), not the alias card's.
func (c catalogue) resolve(name string) watchedModel {
	w := watchedModel{Name: name}
	i := slices.IndexFunc(c.cards, func(m modelCard) bool { return m.ID == name })
	if i < 0 {
		i = slices.IndexFunc(c.cards, func(m modelCard) bool { return m.ID != "" && slices.Contains(m.Aliases, name) })
	}
	if i < 0 {
		return w
	}
	card := c.cards[i]
	w.Resolved = card.target()
	if j := slices.IndexFunc(c.cards, func(m modelCard) bool { return m.ID == w.Resolved }); j >= 0 {
		card = c.cards[j]
	}
	if card.Deprecation != nil {
		if t, ok := parseDeprecation(*card.Deprecation); ok {
			w.Deprecation = t
		}
	}
	if card.Replacement != nil {
		w.Replacement = *card.Replacement
	}
	return w
}

// models counts the distinct models of the catalogue: the cards of an alias
// group share their target, and count once.
func (c catalogue) models() int {
	seen := make(map[string]struct{}, len(c.cards))
	for _, m := range c.cards {
		seen[m.target()] = struct{}{}
	}
	return len(seen)
}

// catalogueState remembers, per watched name, the target and replacement of
// the last catalogue read, to tell when an alias moves.
type catalogueState struct {
	// last is the last known pair per watched name (kept while the name is
	// unavailable, so that a return to another target counts as a move).
	last map[string]modelTarget
	// changes counts the moves per watched name since the start.
	changes map[string]int64
	// gone marks the names whose last pair was ended at 0 because the name
	// left the catalogue.
	gone map[string]bool
}

// modelTarget is what mistral.model.target reports for a watched name.
type modelTarget struct {
	resolved, replacement string
}

// recordCatalogue records the model catalogue and the watched models.
func (s *mistralScraper) recordCatalogue(ts pcommon.Timestamp, now time.Time, c catalogue) {
	st := &s.catalogue
	if st.last == nil {
		st.last = map[string]modelTarget{}
		st.changes = map[string]int64{}
		st.gone = map[string]bool{}
	}
	s.mb.RecordMistralModelsCountDataPoint(ts, int64(c.models()))
	for _, name := range s.watchedModels() {
		w := c.resolve(name)
		s.mb.RecordMistralModelAvailableDataPoint(ts, boolGauge(w.Available()), name)
		if !w.Deprecation.IsZero() {
			s.mb.RecordMistralModelDeprecationTimeRemainingDataPoint(ts, int64(w.Deprecation.Sub(now)/time.Second), name)
		}
		if w.Available() {
			cur := modelTarget{resolved: w.Resolved, replacement: w.Replacement}
			prev, known := st.last[name]
			if known && prev != cur {
				// The old pair's series ends at 0 rather than lingering at 1.
				s.mb.RecordMistralModelTargetDataPoint(ts, 0, name, prev.resolved, prev.replacement)
				if prev.resolved != cur.resolved {
					st.changes[name]++
					s.logger.Info("Watched model now resolves to another model",
						zap.String("gen_ai.request.model", name),
						zap.String("previous", prev.resolved), zap.String("current", cur.resolved))
				}
			}
			st.last[name], st.gone[name] = cur, false
			s.mb.RecordMistralModelTargetDataPoint(ts, 1, name, cur.resolved, cur.replacement)
		} else if prev, known := st.last[name]; known && !st.gone[name] {
			// Gone from the catalogue: its pair ends at 0 too.
			s.mb.RecordMistralModelTargetDataPoint(ts, 0, name, prev.resolved, prev.replacement)
			st.gone[name] = true
		}
		s.mb.RecordMistralModelAliasChangesDataPoint(ts, st.changes[name], name)
	}
}

// deprecationLayouts are the date formats seen in "deprecation".
var deprecationLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05", "2006-01-02"}

// parseDeprecation reads a deprecation date; dates without a zone are UTC.
func parseDeprecation(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	for _, layout := range deprecationLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
