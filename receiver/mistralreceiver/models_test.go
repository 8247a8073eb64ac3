package mistralreceiver

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseCatalogue(t *testing.T) {
	c, err := parseCatalogue([]byte(`{"object":"list","data":[
		{"id":"mistral-small-2506","aliases":["mistral-small-latest"],"deprecation":null},
		{"id":"mistral-small-2409","aliases":[],"deprecation":"2025-03-30T00:00:00Z","deprecation_replacement_model":"mistral-small-2506"},
		{"id":"old-date","deprecation":"2025-03-30"},
		{"id":"bad-date","deprecation":"soon"}]}`))
	require.NoError(t, err)
	assert.Len(t, c.cards, 4)

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
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := parseCatalogue(body)
		if err != nil {
			return
		}
		for _, card := range c.cards {
			w := c.resolve(card.ID)
			if card.ID != "" && w.Resolved != card.ID {
				t.Fatalf("resolve(%q) = %q", card.ID, w.Resolved)
			}
			for _, a := range card.Aliases {
				_ = c.resolve(a)
			}
		}
	})
}
