package pricing

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// maxFileSize bounds a price file: LiteLLM's full table is about 1.6 MB.
const maxFileSize = 64 << 20

// format is a price file format.
type format string

// Price file formats recognised by [detectFormat].
const (
	formatLiteLLM format = "litellm" // model_prices_and_context_window.json, USD per token
	formatOpenLIT format = "openlit" // pricing.json, USD per 1K tokens
)

// loadFile reads and parses one price file, detecting its format (see
// detectFormat). Every error starts with the quoted path, e.g.
//
//	"prices.json": entry "mistral/foo": input_cost_per_token: must be a non-negative number, got "abc"
//
// A file that yields no token price at all is an error too: it is almost
// certainly the wrong file.
func loadFile(path string) (map[string]Price, format, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, "", fmt.Errorf("%q: %w", path, err)
	}
	prices, format, err := parseAny(data)
	if err != nil {
		return nil, format, fmt.Errorf("%q: %w", path, err)
	}
	return prices, format, nil
}

func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read file: %w", unwrapPath(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read file: %w", unwrapPath(err))
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("file larger than %d MiB", maxFileSize>>20)
	}
	return data, nil
}

// unwrapPath drops the path that os errors repeat (the caller quotes it).
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// parseAny parses data in whichever format it is in.
func parseAny(data []byte) (map[string]Price, format, error) {
	top, err := parseTop(data)
	if err != nil {
		return nil, "", err
	}
	format := detect(top)
	var prices map[string]Price
	if format == formatOpenLIT {
		prices, err = openLITRows(top)
	} else {
		prices, err = liteLLMRows(top)
	}
	if err != nil {
		return nil, format, err
	}
	if len(prices) == 0 {
		return nil, format, fmt.Errorf("no token prices found (read as %s format: expected LiteLLM rows with %s/%s, "+
			"or OpenLIT %q/%q sections)", format, liteInput, liteOutput, openlitChat, openlitEmbeddings)
	}
	return prices, format, nil
}

// detectFormat tells a LiteLLM file from an OpenLIT one: OpenLIT when the top
// level has a "chat" or "embeddings" object that is not itself a LiteLLM row
// (a row would carry *_cost_per_token, litellm_provider or mode fields),
// LiteLLM otherwise. It returns an error only when data is not a JSON object.
func detectFormat(data []byte) (format, error) {
	top, err := parseTop(data)
	if err != nil {
		return "", err
	}
	return detect(top), nil
}

func detect(top map[string]json.RawMessage) format {
	for _, section := range [...]string{openlitChat, openlitEmbeddings} {
		raw, ok := top[section]
		if !ok || !isObject(raw) {
			continue
		}
		m, err := parseObject(raw)
		if err != nil || looksLikeLiteLLMRow(m) {
			continue
		}
		return formatOpenLIT
	}
	return formatLiteLLM
}

func looksLikeLiteLLMRow(m map[string]json.RawMessage) bool {
	for k := range m {
		if k == liteMode || k == "litellm_provider" || strings.HasSuffix(k, "_cost_per_token") {
			return true
		}
	}
	return false
}
