package mistralreceiver

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/otelcol-mistral/otelcol-mistral/internal/fakemistral"
)

func TestParseCatalogue(t *testing.T) {
	c, err := parseCatalogue([]byte(`{"object":"list","data":[
		{"id":"mistral-small-2506","aliases":["mistral-small-latest"],"deprecation":null},
		{"id":"mistral-small-2409","aliases":[],"deprecation":"2025-03-30T00:00:00Z","deprecation_replacement_model":"mistral-small-2506"},
		{"id":"old-date","deprecation":"2025-03-30"},
		{"id":"bad-date","deprecation":"soon"}]}`))
	require.NoError(t, err)
	assert.Len(t, c.cards, 4)

	// A catalogue without alias cards (2024) is read through the aliases lists.
	w := c.resolve("mistral-small-latest")
	assert.Equal(t, watchedModel{Name: "mistral-small-latest", Resolved: "mistral-small-2506"}, w)
	assert.True(t, w.Available())

	w = c.resolve("mistral-small-2409")
	assert.Equal(t, "mistral-small-2409", w.Resolved)
	assert.Equal(t, time.Date(2025, 3, 30, 0, 0, 0, 0, time.UTC), w.Deprecation)
	assert.Equal(t, "mistral-small-2506", w.Replacement)

	assert.Equal(t, time.Date(2025, 3, 30, 0, 0, 0, 0, time.UTC), c.resolve("old-date").Deprecation)
	assert.True(t, c.resolve("bad-date").Deprecation.IsZero(), "an unreadable date is no date")
	assert.False(t, c.resolve("mistral-tiny-latest").Available())
}

func TestParseCatalogueInvalid(t *testing.T) {
	for _, body := range []string{
		``,
		`<!DOCTYPE html><html></html>`,
		`{"object":"list","data":[{"id":"mistral-sm`,
		`{"object":"list"}`,
		`[]`,
		`{"data":{"id":"x"}}`,
		`{"data":[1,2]}`,
	} {
		_, err := parseCatalogue([]byte(body))
		assert.ErrorIs(t, err, errInvalidBody, body)
	}
}

func FuzzParseCatalogue(f *testing.F) {
	for _, seed := range []string{
		`{"object":"list","data":[{"id":"a","aliases":["b"],"deprecation":"2025-01-01T00:00:00Z","deprecation_replacement_model":"c"}]}`,
		`{"object":"list","data":[]}`,
		`{"data":null}`,
		`<html>`,
		`{"data":[{"id":"a","deprecation":"2025-01-01"}]}`,
		`{"data":[{"id":"a-latest","name":"a-1","aliases":["a-1"]},{"id":"a-1","name":"a-1","deprecation":"2025-01-01"},{"id":"b","name":null}]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := parseCatalogue(body)
		if err != nil {
			return
		}
		for i, card := range c.cards {
			w := c.resolve(card.ID)
			first := slices.IndexFunc(c.cards, func(m modelCard) bool { return m.ID == card.ID }) == i
			if first && w.Resolved != card.target() {
				t.Fatalf("resolve(%q) = %q, want the card's target %q", card.ID, w.Resolved, card.target())
			}
			if n := c.models(); n > len(c.cards) || (len(c.cards) > 0 && n == 0) {
				t.Fatalf("models() = %d for %d cards", n, len(c.cards))
			}
			for _, a := range card.Aliases {
				_ = c.resolve(a)
			}
		}
	})
}

// TestResolveAliasCards reads a catalogue shaped like the recorded ones
// (README of internal/fakemistral, "Catalogue"): alias cards, an alias card
// named after the alias itself, a null name, a deprecation only on the
// concrete card.
func TestResolveAliasCards(t *testing.T) {
	c, err := parseCatalogue([]byte(`{"object":"list","data":[
		{"id":"mistral-small-2603","name":"mistral-small-2603","aliases":["mistral-small-latest","magistral-small-latest"],"deprecation":"2027-03-01T12:00:00Z","deprecation_replacement_model":"mistral-small-2609"},
		{"id":"mistral-small-latest","name":"mistral-small-2603","aliases":["mistral-small-2603","magistral-small-latest"],"deprecation":null},
		{"id":"magistral-small-latest","name":"mistral-small-2603","aliases":["mistral-small-2603","mistral-small-latest"],"deprecation":null},
		{"id":"mistral-medium-latest","name":"mistral-medium-latest","aliases":["mistral-medium-2604","mistral-medium"]},
		{"id":"mistral-medium-2604","name":"mistral-medium-latest","aliases":["mistral-medium-latest","mistral-medium"]},
		{"id":"mistral-medium","name":"mistral-medium-latest","aliases":["mistral-medium-latest","mistral-medium-2604"]},
		{"id":"mistral-large-latest","name":null,"aliases":[]}]}`))
	require.NoError(t, err)
	assert.Equal(t, 3, c.models(), "alias cards are not models of their own")

	w := c.resolve("mistral-small-latest")
	assert.Equal(t, "mistral-small-2603", w.Resolved, "the alias card's name is its target")
	assert.Equal(t, time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC), w.Deprecation, "the deprecation comes from the concrete model")
	assert.Equal(t, "mistral-small-2609", w.Replacement)
	assert.Equal(t, "mistral-small-2603", c.resolve("magistral-small-latest").Resolved)
	assert.Equal(t, "mistral-medium-latest", c.resolve("mistral-medium-2604").Resolved, "a group named after its alias")
	assert.Equal(t, "mistral-medium-latest", c.resolve("mistral-medium-latest").Resolved)
	assert.Equal(t, "mistral-large-latest", c.resolve("mistral-large-latest").Resolved, "a null name stands for itself")
}

// targets maps a metric's gen_ai.request.model to its data points as
// "resolved|replacement=value".
func targets(t *testing.T, m pmetric.Metrics) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, dp := range datapoints(t, m, "mistral.model.target") {
		model, _ := dp.Attributes().Get("gen_ai.request.model")
		res, _ := dp.Attributes().Get("mistral.model.resolved")
		repl, _ := dp.Attributes().Get("mistral.model.replacement")
		out[model.Str()] = append(out[model.Str()], res.Str()+"|"+repl.Str()+"="+toString(dp.IntValue()))
	}
	return out
}

func byModel(t *testing.T, m pmetric.Metrics, name string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, dp := range datapoints(t, m, name) {
		model, _ := dp.Attributes().Get("gen_ai.request.model")
		out[model.Str()] = dp.IntValue()
	}
	return out
}

func TestModels(t *testing.T) {
	h := newHarness(t, withConfig(withModels))
	m := h.scrape()
	assert.Equal(t, int64(8), gaugeInt(t, m, "mistral.models.count"), "8 models, their alias cards not counted")
	assert.Equal(t, map[string]int64{"mistral-small-latest": 1, "mistral-medium-2505": 1, "mistral-small-2409": 1,
		"mistral-tiny-latest": 0}, byModel(t, m, "mistral.model.available"))
	assert.Equal(t, map[string][]string{
		"mistral-small-latest": {"mistral-small-2506|=1"},
		"mistral-medium-2505":  {"mistral-medium-2505|mistral-medium-2508=1"},
		"mistral-small-2409":   {"mistral-small-2409|mistral-small-2506=1"},
	}, targets(t, m))
	assert.Equal(t, map[string]int64{"mistral-medium-2505": 60 * 24 * 3600, "mistral-small-2409": -30 * 24 * 3600},
		byModel(t, m, "mistral.model.deprecation.time_remaining"))
	assert.Equal(t, map[string]int64{"mistral-small-latest": 0, "mistral-medium-2505": 0, "mistral-small-2409": 0,
		"mistral-tiny-latest": 0}, byModel(t, m, "mistral.model.alias.changes"))
	for _, dp := range datapoints(t, m, "mistral.model.available") {
		assert.Equal(t, 1, dp.Attributes().Len(), "no transient state in the identity of an alerted series")
	}

	// The alias vanishes: the watched model is unavailable.
	h.fake.SetModels(removeModel(fakemistral.DefaultModels(h.clock.Now()), "mistral-small-2506"))
	h.clock.Advance(time.Minute)
	m = h.scrape()
	assert.Equal(t, int64(0), byModel(t, m, "mistral.model.available")["mistral-small-latest"])
	assert.Equal(t, int64(7), gaugeInt(t, m, "mistral.models.count"))
	assert.Equal(t, []string{"mistral-small-2506|=0"}, targets(t, m)["mistral-small-latest"], "the gone target's series ends at 0")
	h.clock.Advance(time.Minute)
	m = h.scrape()
	assert.NotContains(t, targets(t, m), "mistral-small-latest", "ended once, then not repeated")
}

func removeModel(cards []fakemistral.ModelCard, id string) []fakemistral.ModelCard {
	var out []fakemistral.ModelCard
	for _, c := range cards {
		if c.ID != id {
			out = append(out, c)
		}
	}
	return out
}

// TestAliasMoved moves mistral-small-latest to a new release between two
// scrapes: the counter counts the move, the old target's series ends at 0,
// the deprecation follows the new model, and the move is logged.
func TestAliasMoved(t *testing.T) {
	h := newHarness(t, withConfig(func(c *Config) { c.Models = []string{"mistral-small-latest", "codestral-latest"} }))
	cards := append(fakemistral.DefaultModels(h.clock.Now()), fakemistral.ModelCard{
		ID: "mistral-small-2603", Name: "mistral-small-2603", Description: "Mistral Small 4.",
	})
	h.fake.SetModels(cards)
	m := h.scrape()
	assertGolden(t, "models_alias_before", m)
	assert.Equal(t, int64(9), gaugeInt(t, m, "mistral.models.count"))

	require.NoError(t, h.fake.MoveAlias("mistral-small-latest", "mistral-small-2603"))
	require.NoError(t, h.fake.DeprecateModel("mistral-small-2603", h.clock.Now().Add(365*24*time.Hour), ""))
	h.clock.Advance(time.Minute)
	m = h.scrape()
	assertGolden(t, "models_alias_moved", m)
	assert.Equal(t, map[string][]string{
		"mistral-small-latest": {"mistral-small-2506|=0", "mistral-small-2603|=1"},
		"codestral-latest":     {"codestral-2508|=1"},
	}, targets(t, m))
	assert.Equal(t, map[string]int64{"mistral-small-latest": 1, "codestral-latest": 0}, byModel(t, m, "mistral.model.alias.changes"))
	assert.Equal(t, map[string]int64{"mistral-small-latest": 365*24*3600 - 60},
		byModel(t, m, "mistral.model.deprecation.time_remaining"), "the new target's deprecation")
	moved := h.logs.FilterMessage("Watched model now resolves to another model").All()
	require.Len(t, moved, 1)
	assert.Equal(t, "mistral-small-2603", moved[0].ContextMap()["current"])
	assert.Equal(t, "mistral-small-2506", moved[0].ContextMap()["previous"])

	// Steady again: the counter keeps its value, the old pair is not repeated.
	h.clock.Advance(time.Minute)
	m = h.scrape()
	assert.Equal(t, map[string][]string{"mistral-small-latest": {"mistral-small-2603|=1"}, "codestral-latest": {"codestral-2508|=1"}}, targets(t, m))
	assert.Equal(t, int64(1), byModel(t, m, "mistral.model.alias.changes")["mistral-small-latest"])

	// The alias moves back: a second move.
	require.NoError(t, h.fake.MoveAlias("mistral-small-latest", "mistral-small-2506"))
	h.clock.Advance(time.Minute)
	m = h.scrape()
	assert.Equal(t, int64(2), byModel(t, m, "mistral.model.alias.changes")["mistral-small-latest"])
}
