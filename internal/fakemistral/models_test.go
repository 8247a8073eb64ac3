package fakemistral

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// realCardKeys is the field set of a card of the real GET /v1/models (see
// README.md, "Catalogue").
var realCardKeys = []string{"id", "object", "created", "owned_by", "capabilities", "name", "description",
	"max_context_length", "aliases", "deprecation", "deprecation_replacement_model", "default_model_temperature", "type"}

func getCatalogue(t *testing.T, s *Server) ([]map[string]json.RawMessage, []ModelCard) {
	t.Helper()
	r := call(t, newClient(t, s), "GET", s.URL()+"/v1/models", "test-key", "")
	require.Equal(t, http.StatusOK, r.status, r.body)
	var raw struct {
		Data []map[string]json.RawMessage `json:"data"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.body), &raw))
	var list modelList
	require.NoError(t, json.Unmarshal([]byte(r.body), &list))
	return raw.Data, list.Data
}

func TestCatalogueAliasCards(t *testing.T) {
	clk := newClock()
	s := startFake(t, Options{Now: clk.Now, Tier: unlimited})
	raw, cards := getCatalogue(t, s)

	for _, card := range raw {
		keys := make([]string, 0, len(card))
		for k := range card {
			keys = append(keys, k)
		}
		assert.ElementsMatch(t, realCardKeys, keys, "exactly the real field set")
	}
	byID := map[string]ModelCard{}
	for _, c := range cards {
		require.NotContains(t, byID, c.ID, "one card per id")
		byID[c.ID] = c
		assert.Equal(t, clk.Now().Unix(), c.Created, "created is the time of the response, on every card")
	}

	// The alias has a card of its own, naming the model it points to.
	alias, concrete := byID["mistral-small-latest"], byID["mistral-small-2506"]
	assert.Equal(t, "mistral-small-2506", alias.Name)
	assert.Equal(t, []string{"mistral-small-2506"}, alias.Aliases)
	assert.Equal(t, []string{"mistral-small-latest"}, concrete.Aliases)
	assert.Equal(t, concrete.Description, alias.Description)
	assert.Nil(t, byID["mistral-embed"].DefaultModelTemperature, "embedding models have a null temperature")

	// 8 models, 6 of them with one alias.
	assert.Len(t, cards, 8+6)

	// Alias cards carry the model's deprecation.
	require.NoError(t, s.DeprecateModel("mistral-small-2506", clk.Now().Add(-24*time.Hour), "mistral-small-2603"))
	_, cards = getCatalogue(t, s)
	for _, c := range cards {
		if c.ID == "mistral-small-latest" {
			require.NotNil(t, c.Deprecation)
			assert.Equal(t, "mistral-small-2603", *c.DeprecationReplacementModel)
		}
	}
}

func TestCatalogueAliasGroups(t *testing.T) {
	clk := newClock()
	s := startFake(t, Options{Now: clk.Now, Tier: unlimited})
	// mistral-medium in 2026: every card of the group is named after the alias.
	s.SetModels([]ModelCard{{ID: "mistral-medium-2604", Name: "mistral-medium-latest",
		Aliases: []string{"mistral-medium-latest", "mistral-medium", "mistral-medium-3"}}})
	_, cards := getCatalogue(t, s)
	require.Len(t, cards, 4)
	for _, c := range cards {
		assert.Equal(t, "mistral-medium-latest", c.Name, c.ID)
		assert.NotContains(t, c.Aliases, c.ID, "a card does not list itself")
		assert.Len(t, c.Aliases, 3, c.ID)
	}
	assert.Equal(t, []string{"mistral-medium-2604", "mistral-medium", "mistral-medium-3"}, cards[1].Aliases)
}

func TestMoveAlias(t *testing.T) {
	s := startFake(t, Options{Tier: unlimited})
	c := newClient(t, s)
	cards := s.Models()
	cards = append(cards, ModelCard{ID: "mistral-small-2603", Name: "mistral-small-2603"})
	s.SetModels(cards)

	r := call(t, c, "POST", s.URL()+"/_fake/models/alias", "", `{"alias":"mistral-small-latest","target":"mistral-small-2603"}`)
	require.Equal(t, http.StatusOK, r.status, r.body)
	_, served := getCatalogue(t, s)
	i := slices.IndexFunc(served, func(c ModelCard) bool { return c.ID == "mistral-small-latest" })
	require.GreaterOrEqual(t, i, 0)
	assert.Equal(t, "mistral-small-2603", served[i].Name)
	for _, m := range s.Models() {
		switch m.ID {
		case "mistral-small-2506":
			assert.Empty(t, m.Aliases, "the old model lost the alias")
		case "mistral-small-2603":
			assert.Equal(t, []string{"mistral-small-latest"}, m.Aliases)
		}
	}
	// A call naming the alias now reaches the new model.
	card, ok := s.resolveModel("mistral-small-latest")
	require.True(t, ok)
	assert.Equal(t, "mistral-small-2603", card.ID)

	for body, status := range map[string]int{
		`{"alias":"mistral-small-latest","target":"nope"}`:         http.StatusNotFound,
		`{"alias":"mistral-small-2506","target":"codestral-2508"}`: http.StatusNotFound,
		`{"alias":"","target":"codestral-2508"}`:                   http.StatusNotFound,
		`{"alias":"x","target":"codestral-2508","extra":1}`:        http.StatusBadRequest,
	} {
		assert.Equal(t, status, call(t, c, "POST", s.URL()+"/_fake/models/alias", "", body).status, body)
	}
}
