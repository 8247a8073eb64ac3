package pricing

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// LiteLLM field names read from a row; every other field is ignored, so a
// row's unread fields (tiered prices, per-image prices, objects such as
// search_context_cost_per_query) never make a file fail.
const (
	liteInput      = "input_cost_per_token"
	liteOutput     = "output_cost_per_token"
	liteCacheRead  = "cache_read_input_token_cost"
	liteCacheWrite = "cache_creation_input_token_cost"
	liteMode       = "mode"
)

// parseLiteLLM parses LiteLLM's model_prices_and_context_window.json (USD per
// token) into prices in USD per 1M tokens, keyed by the file's row keys as
// written (a provider prefix such as "mistral/" is kept; [Build] strips it).
//
// It skips "sample_spec", "_meta", members whose value is not an object, and
// rows with neither input_cost_per_token nor output_cost_per_token (image,
// audio, OCR rows priced per page, ...). A null price counts as absent.
// A price that is not a JSON number, is negative, or is out of range is an
// error naming the entry and the field, e.g.
//
//	entry "mistral/foo": input_cost_per_token: must be a non-negative number, got "abc"
func parseLiteLLM(data []byte) (map[string]Price, error) {
	top, err := parseTop(data)
	if err != nil {
		return nil, err
	}
	return liteLLMRows(top)
}

func liteLLMRows(top map[string]json.RawMessage) (map[string]Price, error) {
	out := make(map[string]Price, len(top))
	for _, key := range sortedKeys(top) {
		if key == "sample_spec" || key == "_meta" || !isObject(top[key]) {
			continue
		}
		row, err := parseObject(top[key])
		if err != nil {
			return nil, fmt.Errorf("entry %q: %v", key, err)
		}
		p, ok, err := liteLLMRow(row)
		if err != nil {
			return nil, fmt.Errorf("entry %q: %w", key, err)
		}
		if !ok {
			continue
		}
		if err := checkModelKey(key); err != nil {
			return nil, fmt.Errorf("entry %q: %w", key, err)
		}
		out[key] = p
	}
	return out, nil
}

// liteLLMRow reads one row; ok=false when it has no token price.
func liteLLMRow(row map[string]json.RawMessage) (p Price, ok bool, err error) {
	var hasIn, hasOut bool
	for _, f := range [...]struct {
		name string
		dst  *float64
		has  *bool
	}{
		{liteInput, &p.Input, &hasIn},
		{liteOutput, &p.Output, &hasOut},
		{liteCacheRead, &p.CacheRead, &p.HasCacheRead},
		{liteCacheWrite, &p.CacheWrite, &p.HasCacheWrite},
	} {
		raw, found := row[f.name]
		if !found {
			continue
		}
		v, present, err := parsePrice(raw, 1e6)
		if err != nil {
			return Price{}, false, fmt.Errorf("%s: %w", f.name, err)
		}
		*f.dst, *f.has = v, present
	}
	if raw, found := row[liteMode]; found {
		var mode string
		if json.Unmarshal(raw, &mode) == nil { // a non-string mode is just unknown
			p.Mode = mode
		}
	}
	return p, hasIn || hasOut, nil
}

// checkModelKey rejects keys that name no model.
func checkModelKey(key string) error {
	if _, bare := splitPrefix(key); strings.TrimSpace(bare) == "" {
		return errors.New("empty model name")
	}
	return nil
}
