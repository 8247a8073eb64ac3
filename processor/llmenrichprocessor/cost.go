package llmenrichprocessor // import "github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor"

import (
	"math"

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
	costNone    costOutcome = iota // nothing to price, a cost kept, or unusable usage
	costPriced                     // a cost written
	costMissing                    // usage but no price: llm_enrich.price.missing written
	costCopied                     // OpenInference's llm.cost.total copied to gen_ai.usage.cost
)

// priceResult is the pricing decision for one span, made before anything
// is written so that the attribute slice grows once.
type priceResult struct {
	outcome costOutcome
	entry   pricing.Entry
	cost    pricing.Cost
	usage   pricing.Usage
}

// price decides the cost of the call, or the price.missing marker, into r
// (zero on entry).
//
//   - A span that already carries a cost (gen_ai.usage.cost, the #443
//     gen_ai.usage.cost.amount, OpenInference's llm.cost.total) keeps it,
//     unless override_existing_cost; an llm.cost.total alone is copied to
//     gen_ai.usage.cost, the name dashboards read.
//   - A span without any token count gets nothing; a span whose counts are
//     unusable gets nothing either (see fields.usage). Tokens explicitly 0
//     (a rejected call that reports usage) cost 0.
//   - The model is looked up by every name the span carries (see
//     fields.modelNames), first among the user's prices, then in the
//     built-in table: a user's price for mistral-large-latest beats the
//     built-in price of mistral-large-2512 it points to.
//   - The built-in table holds La Plateforme's prices: it does not price a
//     span served by another provider (a Mistral model on Bedrock, Vertex
//     or Azure is billed at that provider's price).
//   - A dated price prices the spans that started while it was in force; a
//     span older than every dated row of its model has no price.
//   - A span an earlier llm_enrich marked as missing a price, and that this
//     one cannot price either, is left as it is.
func (e *enricher) price(r *priceResult, f *fields, provider string, hosting bool, start pcommon.Timestamp) {
	if e.table == nil {
		return
	}
	if f.hasCost && !e.overrideCost {
		if !f.hasUsageCost && f.hasOICost {
			if v, ok := costValue(f.oiCost); ok {
				r.outcome, r.cost.Total = costCopied, v
			}
		}
		return
	}
	u, st := f.usage()
	if st != usageValid {
		return
	}
	builtin := !hosting || provider == "" || provider == providerMistral
	if !e.lookup(&r.entry, f, builtin) {
		if !f.hasPriceMissing {
			r.outcome = costMissing
		}
		return
	}
	var ok bool
	if r.entry.Price, ok = r.entry.Price.At(start.AsTime()); !ok {
		r.outcome = costMissing // no price in force yet at the span's start
		return
	}
	if r.cost, ok = r.entry.Price.Cost(u); ok {
		r.outcome, r.usage = costPriced, u
	}
}

// costValue reads a cost a span carries: a finite, non-negative number.
func costValue(v pcommon.Value) (float64, bool) {
	var d float64
	switch v.Type() {
	case pcommon.ValueTypeDouble:
		d = v.Double()
	case pcommon.ValueTypeInt:
		d = float64(v.Int())
	default:
		return 0, false
	}
	return d, d >= 0 && d <= math.MaxFloat64
}

// lookup finds the price of the span's model among the user's prices, then
// (when builtin) in the whole table, into dst. The results are written in
// place and absent names are not looked up: an entry is a few hundred bytes.
func (e *enricher) lookup(dst *pricing.Entry, f *fields, builtin bool) bool {
	names := f.modelNames()
	for _, m := range names {
		if m == "" {
			continue
		}
		if entry, ok := e.table.LookupUser(m); ok {
			*dst = entry
			return true
		}
	}
	if !builtin {
		return false
	}
	for _, m := range names {
		if m == "" {
			continue
		}
		if entry, ok := e.table.Lookup(m); ok {
			*dst = entry
			return true
		}
	}
	return false
}

// modelNames are the names a span gives its model, the concrete model that
// answered first: gen_ai.response.model, llm.response.model_name,
// llm.model_name (OpenInference: the response's model once it arrived, the
// request's before), then gen_ai.request.model (often an alias),
// embedding.model_name (OpenInference embeddings), llm.request.model_name,
// ai.model.id and the "model" of
// llm.invocation_parameters (the only name on a failed OpenInference span).
// Empty entries are skipped by the lookups.
func (f *fields) modelNames() [8]string {
	return [...]string{f.responseModel, f.oiResponseModel, f.oiModel, f.oiEmbeddingModel, f.requestModel,
		f.oiRequestModel, f.vercelModelID, jsonTopString(f.oiInvocation, "model")}
}

// maxModelLabel bounds the model name used as a telemetry attribute.
const maxModelLabel = 128

// unpricedModel is the model name an unpriced span is counted under: the
// name the application asked for, as given.
func (f *fields) unpricedModel() string {
	m := ""
	for _, n := range [...]string{f.requestModel, f.oiRequestModel, jsonTopString(f.oiInvocation, "model"),
		f.responseModel, f.oiModel, f.oiEmbeddingModel, f.oiResponseModel, f.vercelModelID} {
		if n != "" {
			m = n
			break
		}
	}
	if len(m) > maxModelLabel {
		m = m[:maxModelLabel]
	}
	return m
}
