package llmenrichprocessor // import "github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor"

import (
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
)

// Where the processor writes on spans: every attribute it adds goes through
// an attrWrites (the names are in attributes.go).

// attrWrites collects the attributes one span gets, so that its attribute
// slice grows once, to the exact size, when they are applied: every
// decision about a span is made before anything is written.
type attrWrites struct {
	n int
	w [maxWrites]attrWrite
}

// maxWrites bounds the attributes written on one span: each is written at most once.
const maxWrites = len(writtenAttributes)

type attrWrite struct {
	key  string
	kind pcommon.ValueType
	s    string
	d    float64
	b    bool
}

func (w *attrWrites) str(k, v string) {
	w.w[w.n] = attrWrite{key: k, kind: pcommon.ValueTypeStr, s: v}
	w.n++
}
func (w *attrWrites) double(k string, v float64) {
	w.w[w.n] = attrWrite{key: k, kind: pcommon.ValueTypeDouble, d: v}
	w.n++
}
func (w *attrWrites) boolean(k string, v bool) {
	w.w[w.n] = attrWrite{key: k, kind: pcommon.ValueTypeBool, b: v}
	w.n++
}

// apply writes the collected attributes on attrs.
func (w *attrWrites) apply(attrs pcommon.Map) {
	if w.n == 0 {
		return
	}
	attrs.EnsureCapacity(attrs.Len() + w.n)
	for i := range w.w[:w.n] {
		a := &w.w[i]
		switch a.kind {
		case pcommon.ValueTypeStr:
			attrs.PutStr(a.key, a.s)
		case pcommon.ValueTypeDouble:
			attrs.PutDouble(a.key, a.d)
		case pcommon.ValueTypeBool:
			attrs.PutBool(a.key, a.b)
		}
	}
}

// writeCost adds the decision to the span's writes: by default the total
// cost only; the breakdown and the #443 attributes when configured.
func (e *enricher) writeCost(w *attrWrites, r *priceResult) {
	switch r.outcome {
	case costMissing:
		w.boolean(attrPriceMissing, true)
	case costCopied:
		w.double(attrUsageCost, r.cost.Total)
	case costPriced:
		w.double(attrUsageCost, r.cost.Total)
		if e.costProposal {
			w.double(attrCostAmount, r.cost.Total)
			w.str(attrCostCurrency, "USD")
			w.str(attrCostSource, "local")
		}
		if !e.breakdown {
			return
		}
		w.double(attrCostInput, r.cost.Input)
		w.double(attrCostOutput, r.cost.Output)
		if r.usage.CacheRead > 0 {
			w.double(attrCostCacheRead, r.cost.CacheRead)
		}
		if r.usage.CacheWrite > 0 {
			w.double(attrCostCacheWrite, r.cost.CacheWrite)
		}
		w.str(attrPriceModel, r.entry.Model)
		w.str(attrPriceSource, string(r.entry.Source))
	}
}

// writeClassification writes the verdict on a failed call. Attributes the
// span already has (error.type, mistral_ai.error.*) are kept; Mistral's type
// and code are only written on Mistral spans.
func writeClassification(w *attrWrites, f writeFlags, provider string, c mistralapi.Classification) {
	w.str(attrErrorClass, string(c.Class))
	if c.Limit != mistralapi.LimitNone {
		w.str(attrErrorLimit, string(c.Limit))
	}
	w.boolean(attrErrorRetryable, c.Retryable())
	w.boolean(attrErrorFallback, c.Fallback())
	if provider == providerMistral {
		if c.Type != "" && !f.hasMistralErrType {
			w.str(attrMistralErrorType, c.Type)
		}
		if c.Code != "" && !f.hasMistralErrCode {
			w.str(attrMistralErrorCode, c.Code)
		}
	}
	if !f.hasErrorType {
		w.str(attrErrorType, string(c.Class))
	}
}
