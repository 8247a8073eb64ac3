package llmenrichprocessor // import "github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor"

import (
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor/internal/pricing"
)

// buildTable builds the price table of a configuration; nil when no price
// source is configured (then spans are neither priced nor marked).
func buildTable(cfg PricingConfig) (*pricing.Table, error) {
	if !cfg.Builtin && len(cfg.Files) == 0 && len(cfg.Models) == 0 {
		return nil, nil
	}
	models := make(map[string]pricing.Price, len(cfg.Models))
	for name, m := range cfg.Models {
		models[name] = m.price()
	}
	t, err := pricing.Build(pricing.Options{
		Builtin: cfg.Builtin,
		Files:   cfg.Files,
		Models:  models,
		Aliases: cfg.Aliases,
	})
	if err != nil {
		return nil, err // names the field, the file and the entry
	}
	return t, nil
}

// costOutcome is what pricing does to a span.
type costOutcome uint8

const (
	costNone    costOutcome = iota // nothing to price, or a cost kept, or unusable usage
	costPriced                     // cost attributes written
	costMissing                    // usage but no price: llm_enrich.price.missing written
)

// priceResult is the pricing decision for one span, made before anything
// is written so that the attribute slice grows once.
type priceResult struct {
	outcome costOutcome
	entry   pricing.Entry
	cost    pricing.Cost
	usage   pricing.Usage
}

// attrCount is the number of attributes write adds.
func (r *priceResult) attrCount() int {
	switch r.outcome {
	case costMissing:
		return 1
	case costPriced:
		n := 5
		if r.usage.CacheRead > 0 {
			n++
		}
		if r.usage.CacheWrite > 0 {
			n++
		}
		return n
	}
	return 0
}

// price decides the cost of the call, or the price.missing marker. The
// model is looked up as gen_ai.response.model (the concrete model that
// answered), then gen_ai.request.model (often an alias), then ai.model.id.
// A span without any token count gets nothing; a span whose counts are
// unusable gets nothing either (no cost beats a wrong cost). Tokens
// explicitly 0 (a rejected call that reports usage) cost 0.
func (e *enricher) price(f *fields, start pcommon.Timestamp) priceResult {
	if e.table == nil || (f.hasCost && !e.overrideCost) {
		return priceResult{}
	}
	u, st := f.usage()
	if st != usageValid {
		return priceResult{}
	}
	entry, ok := e.lookup(f)
	if !ok {
		return priceResult{outcome: costMissing}
	}
	if entry.Price, ok = entry.Price.At(start.AsTime()); !ok {
		return priceResult{outcome: costMissing} // no price in force yet at the span's start (pricedates.go)
	}
	c, ok := entry.Price.Cost(u)
	if !ok {
		return priceResult{}
	}
	return priceResult{outcome: costPriced, entry: entry, cost: c, usage: u}
}

// write writes the decision on the span.
func (r *priceResult) write(attrs pcommon.Map) {
	switch r.outcome {
	case costMissing:
		attrs.PutBool(AttrPriceMissing, true)
	case costPriced:
		attrs.PutDouble(AttrUsageCost, r.cost.Total)
		attrs.PutDouble(AttrCostInput, r.cost.Input)
		attrs.PutDouble(AttrCostOutput, r.cost.Output)
		if r.usage.CacheRead > 0 {
			attrs.PutDouble(AttrCostCacheRead, r.cost.CacheRead)
		}
		if r.usage.CacheWrite > 0 {
			attrs.PutDouble(AttrCostCacheWrite, r.cost.CacheWrite)
		}
		attrs.PutStr(AttrPriceModel, r.entry.Model)
		attrs.PutStr(AttrPriceSource, string(r.entry.Source))
	}
}

func (e *enricher) lookup(f *fields) (pricing.Entry, bool) {
	for _, m := range [...]string{f.responseModel, f.requestModel, f.vercelModelID} {
		if m == "" {
			continue
		}
		if entry, ok := e.table.Lookup(m); ok {
			return entry, true
		}
	}
	return pricing.Entry{}, false
}

// maxModelLabel bounds the model name used as a telemetry attribute.
const maxModelLabel = 128

// unpricedModel is the model name an unpriced span is counted under: the
// name the application asked for, as given.
func (f *fields) unpricedModel() string {
	m := f.requestModel
	if m == "" {
		m = f.responseModel
	}
	if m == "" {
		m = f.vercelModelID
	}
	if len(m) > maxModelLabel {
		m = m[:maxModelLabel]
	}
	return m
}
