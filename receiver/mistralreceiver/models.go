package mistralreceiver // import "github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver"

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// modelCard is the part of a model card of GET /v1/models the receiver reads.
type modelCard struct {
	ID          string   `json:"id"`
	Aliases     []string `json:"aliases"`
	Deprecation *string  `json:"deprecation"`
	Replacement *string  `json:"deprecation_replacement_model"`
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
	// Resolved is the concrete id; "" when the model is not in the catalogue.
	Resolved string
	// Deprecation is the card's deprecation date, zero when none.
	Deprecation time.Time
	// Replacement is the replacement model, "" when none.
	Replacement string
}

// Available reports whether the model is in the catalogue.
func (w watchedModel) Available() bool { return w.Resolved != "" }

// resolve looks a model name up: a card with that id first, else a card
// listing it among its aliases.
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
	w.Resolved = card.ID
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
