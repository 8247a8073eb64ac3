package pricing

import (
	"encoding/json"
	"fmt"
)

// OpenLIT pricing.json sections read by [parseOpenLIT]; "images", "audio"
// and any other section are priced per image or per character and ignored.
const (
	openlitChat       = "chat"
	openlitEmbeddings = "embeddings"
	openlitPrompt     = "promptPrice"
	openlitCompletion = "completionPrice"
)

// parseOpenLIT parses OpenLIT's pricing.json:
//
//	{"chat": {"<model>": {"promptPrice": p, "completionPrice": c}},
//	 "embeddings": {"<model>": p}, "images": {...}, "audio": {...}}
//
// Prices are USD per 1K tokens there and are returned in USD per 1M tokens.
// Chat rows get Mode "chat", embedding rows Mode "embedding". A model listed
// in both sections (OpenLIT's "ada") keeps its chat row. Null prices count as
// absent; a row with neither price is skipped. Errors name the section, the
// model and the field, e.g. `chat "gpt-4": promptPrice: must be a
// non-negative number, got "abc"`.
func parseOpenLIT(data []byte) (map[string]Price, error) {
	top, err := parseTop(data)
	if err != nil {
		return nil, err
	}
	return openLITRows(top)
}

func openLITRows(top map[string]json.RawMessage) (map[string]Price, error) {
	out := make(map[string]Price)
	if err := openLITEmbeddings(top[openlitEmbeddings], out); err != nil {
		return nil, err
	}
	if err := openLITChat(top[openlitChat], out); err != nil { // chat overwrites embeddings
		return nil, err
	}
	return out, nil
}

func openLITSection(name string, raw json.RawMessage) (map[string]json.RawMessage, error) {
	if raw == nil || isNull(raw) {
		return nil, nil
	}
	if !isObject(raw) {
		return nil, fmt.Errorf("%s: must be an object, got %s", name, jsonKind(raw))
	}
	m, err := parseObject(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	return m, nil
}

func openLITEmbeddings(raw json.RawMessage, out map[string]Price) error {
	section, err := openLITSection(openlitEmbeddings, raw)
	if err != nil {
		return err
	}
	for _, model := range sortedKeys(section) {
		v, present, err := parsePrice(section[model], 1e3)
		if err != nil {
			return fmt.Errorf("%s %q: %w", openlitEmbeddings, model, err)
		}
		if !present {
			continue
		}
		if err := checkModelKey(model); err != nil {
			return fmt.Errorf("%s %q: %w", openlitEmbeddings, model, err)
		}
		out[model] = Price{Input: v, Mode: modeEmbedding}
	}
	return nil
}

func openLITChat(raw json.RawMessage, out map[string]Price) error {
	section, err := openLITSection(openlitChat, raw)
	if err != nil {
		return err
	}
	for _, model := range sortedKeys(section) {
		rowRaw := section[model]
		if isNull(rowRaw) {
			continue
		}
		if !isObject(rowRaw) {
			return fmt.Errorf("%s %q: must be an object with %s and %s, got %s",
				openlitChat, model, openlitPrompt, openlitCompletion, jsonKind(rowRaw))
		}
		row, err := parseObject(rowRaw)
		if err != nil {
			return fmt.Errorf("%s %q: %v", openlitChat, model, err)
		}
		p := Price{Mode: "chat"}
		var hasIn, hasOut bool
		if p.Input, hasIn, err = optionalPrice(row, openlitPrompt, 1e3); err != nil {
			return fmt.Errorf("%s %q: %w", openlitChat, model, err)
		}
		if p.Output, hasOut, err = optionalPrice(row, openlitCompletion, 1e3); err != nil {
			return fmt.Errorf("%s %q: %w", openlitChat, model, err)
		}
		if !hasIn && !hasOut {
			continue
		}
		if err := checkModelKey(model); err != nil {
			return fmt.Errorf("%s %q: %w", openlitChat, model, err)
		}
		out[model] = p
	}
	return nil
}

func optionalPrice(row map[string]json.RawMessage, field string, scale float64) (float64, bool, error) {
	raw, found := row[field]
	if !found {
		return 0, false, nil
	}
	v, present, err := parsePrice(raw, scale)
	if err != nil {
		return 0, false, fmt.Errorf("%s: %w", field, err)
	}
	return v, present, nil
}
