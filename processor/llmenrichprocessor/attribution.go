package llmenrichprocessor // import "github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor"

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"unicode/utf8"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor/internal/metadata"
)

// attrAttributionPrefix prefixes the attribution attributes llm_enrich writes: attribution key K (e.g. team,
// tenant.id) is written as llm_enrich.attribution.K on every LLM call span, which the pipeline's connectors turn
// into the label llm_enrich_attribution_K of the cost and token metrics. The key's own attribute is left as the
// application wrote it; only the copy is capped.
const attrAttributionPrefix = "llm_enrich.attribution."

// AttributionOther replaces the values of a key beyond its max_values_per_key.
const AttributionOther = "other"

// attrBaggageHeader is a W3C baggage header captured on the span as a request header (semantic conventions'
// http.request.header.<name>, a string array), the form in which baggage reaches a span when the application
// records headers instead of running a baggage span processor.
const attrBaggageHeader = "http.request.header.baggage"

// maxAttributionValueLen bounds the length of an attribution value (bytes, cut at a UTF-8 boundary).
const maxAttributionValueLen = 128

// AttributionConfig lists the attribution keys copied onto LLM call spans for cost and token metrics by team,
// tenant, user or service.
type AttributionConfig struct {
	// Keys are read, in order, from the span's attributes (where OpenTelemetry's baggage span processors copy
	// W3C baggage entries, under the baggage key), then the resource's attributes, then a W3C baggage header
	// captured on the span (http.request.header.baggage).
	Keys []string `mapstructure:"keys"`
	// MaxValuesPerKey caps the distinct values of each key this collector writes; later new values become
	// "other". 0 means defaultMaxValuesPerKey.
	MaxValuesPerKey int `mapstructure:"max_values_per_key"`
}

const defaultMaxValuesPerKey = 100

// maxAttributionKeys bounds the number of keys: each one multiplies the cost and token metrics' series.
const maxAttributionKeys = 16

func (a AttributionConfig) validate() []error {
	var errs []error
	if len(a.Keys) > maxAttributionKeys {
		errs = append(errs, fmt.Errorf("attribution.keys: %d keys, at most %d (each multiplies the metrics' series)", len(a.Keys), maxAttributionKeys))
	}
	seen := map[string]int{}
	for i, k := range a.Keys {
		switch {
		case k == "":
			errs = append(errs, fmt.Errorf("attribution.keys[%d]: empty key", i))
		case strings.ContainsAny(k, " \t\n,;="):
			errs = append(errs, fmt.Errorf("attribution.keys[%d]: %q contains a space, ',', ';' or '='", i, k))
		case strings.HasPrefix(k, attrAttributionPrefix):
			errs = append(errs, fmt.Errorf("attribution.keys[%d]: %q is an output attribute; name the key without %q", i, k, attrAttributionPrefix))
		}
		if j, dup := seen[k]; dup {
			errs = append(errs, fmt.Errorf("attribution.keys[%d]: %q is already attribution.keys[%d]", i, k, j))
		}
		seen[k] = i
	}
	if a.MaxValuesPerKey < 0 {
		errs = append(errs, fmt.Errorf("attribution.max_values_per_key: must be at least 1 (or 0 for the default %d), got %d", defaultMaxValuesPerKey, a.MaxValuesPerKey))
	}
	return errs
}

// attributor writes the attribution attributes. Unlike the rest of the processor it keeps state across batches:
// the values admitted so far for each key, at most MaxValuesPerKey each, first come first admitted, for the
// collector's lifetime. Collectors behind a load balancer each admit their own values.
type attributor struct {
	keys []attributionKey
	max  int
	tb   *metadata.TelemetryBuilder // nil until setTelemetry
}

type attributionKey struct {
	name, out string
	overOpt   metric.AddOption
	mu        *sync.RWMutex
	admitted  map[string]struct{}
}

// newAttributor returns nil when no key is configured.
func newAttributor(cfg AttributionConfig) *attributor {
	if len(cfg.Keys) == 0 {
		return nil
	}
	a := &attributor{max: cfg.MaxValuesPerKey}
	if a.max == 0 {
		a.max = defaultMaxValuesPerKey
	}
	for _, k := range cfg.Keys {
		a.keys = append(a.keys, attributionKey{
			name: k, out: attrAttributionPrefix + k,
			overOpt:  metric.WithAttributeSet(attribute.NewSet(attribute.String("llm_enrich.attribution.key", k))),
			mu:       &sync.RWMutex{},
			admitted: map[string]struct{}{},
		})
	}
	return a
}

func (a *attributor) setTelemetry(tb *metadata.TelemetryBuilder) {
	if a != nil {
		a.tb = tb
	}
}

// apply writes llm_enrich.attribution.<key> for every key found, unless the span already has it (written by an
// llm_enrich upstream, e.g. an agent in front of this gateway).
func (a *attributor) apply(span, resource pcommon.Map) {
	if a == nil {
		return
	}
	var baggage map[string]string // parsed once, when a key needs it
	parsed := false
	for i := range a.keys {
		k := &a.keys[i]
		if _, done := span.Get(k.out); done {
			continue
		}
		v, ok := lookup(span, k.name)
		if !ok {
			v, ok = lookup(resource, k.name)
		}
		if !ok {
			if !parsed {
				baggage, parsed = parseBaggageAttr(span), true
			}
			v, ok = baggage[k.name]
		}
		if !ok || v == "" {
			continue
		}
		span.PutStr(k.out, a.admit(k, v))
	}
}

func lookup(m pcommon.Map, key string) (string, bool) {
	v, ok := m.Get(key)
	if !ok || v.Type() == pcommon.ValueTypeEmpty {
		return "", false
	}
	return v.AsString(), true
}

// admit returns v (cut to maxAttributionValueLen) if it is admitted or there is room for it, else "other".
func (a *attributor) admit(k *attributionKey, v string) string {
	v = truncateUTF8(v, maxAttributionValueLen)
	k.mu.RLock()
	_, ok := k.admitted[v]
	k.mu.RUnlock()
	if ok {
		return v
	}
	k.mu.Lock()
	if _, ok = k.admitted[v]; !ok && len(k.admitted) < a.max {
		k.admitted[v], ok = struct{}{}, true
	}
	k.mu.Unlock()
	if ok {
		return v
	}
	if a.tb != nil {
		a.tb.ProcessorLlmEnrichAttributionOverflow.Add(context.Background(), 1, k.overOpt)
	}
	return AttributionOther
}

func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// parseBaggageAttr reads the W3C baggage header captured on the span (a string, or an array of strings, one per
// header line); nil when the span has none.
func parseBaggageAttr(span pcommon.Map) map[string]string {
	v, ok := span.Get(attrBaggageHeader)
	if !ok {
		return nil
	}
	out := map[string]string{}
	switch v.Type() {
	case pcommon.ValueTypeStr:
		_ = parseBaggage(v.Str(), out)
	case pcommon.ValueTypeSlice:
		s := v.Slice()
		for i := 0; i < s.Len(); i++ {
			if s.At(i).Type() == pcommon.ValueTypeStr {
				_ = parseBaggage(s.At(i).Str(), out)
			}
		}
	}
	return out
}

// parseBaggage adds the members of a W3C baggage header (https://www.w3.org/TR/baggage/: key=value[;property]
// list, values percent-encoded) to out. A malformed member is skipped, and reported in the error; the first
// occurrence of a key wins.
func parseBaggage(header string, out map[string]string) error {
	var errs []error
	for _, member := range strings.Split(header, ",") {
		kv, _, _ := strings.Cut(member, ";")
		k, v, ok := strings.Cut(kv, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" {
			if strings.TrimSpace(member) != "" {
				errs = append(errs, fmt.Errorf("baggage member %q: not key=value", member))
			}
			continue
		}
		dec, err := url.PathUnescape(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("baggage member %q: %w", k, err))
			continue
		}
		if _, dup := out[k]; !dup {
			out[k] = dec
		}
	}
	return errors.Join(errs...)
}
