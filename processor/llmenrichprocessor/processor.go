package llmenrichprocessor // import "github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor"

import (
	"context"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
	"github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor/internal/pricing"
)

// enricher is the llm_enrich processor. It is stateless across batches: its
// fields are read-only after creation, every count and index lives in one
// call of processTraces, so replicas give the same output for the same batch
// and concurrent calls are safe.
type enricher struct {
	table        *pricing.Table // nil: pricing off
	overrideCost bool
	classify     bool
	workspace    string
	attr         *attributor // nil: no attribution keys
	tel          *telemetry  // nil in tests that do not look at telemetry
}

// processTraces enriches every LLM call span of the batch in one loop over
// resource → scope → span, the way the contrib attributes processor walks a
// batch. Spans are never added, removed or moved; only attributes are added.
func (e *enricher) processTraces(ctx context.Context, td ptrace.Traces) (ptrace.Traces, error) {
	var c batchCounts
	var pend *pendingSet
	rss := td.ResourceSpans()
	for i := 0; i < rss.Len(); i++ {
		rs := rss.At(i)
		res := resourceInfo{attrs: rs.Resource().Attributes()}
		sss := rs.ScopeSpans()
		for j := 0; j < sss.Len(); j++ {
			ss := sss.At(j)
			checkNames := strings.Contains(ss.Scope().Name(), "mistral")
			spans := ss.Spans()
			c.seen += int64(spans.Len())
			for k := 0; k < spans.Len(); k++ {
				span := spans.At(k)
				if !mayBeLLM(span, checkNames) {
					continue
				}
				e.enrich(span, &res, &c, &pend)
			}
		}
	}
	if pend != nil {
		pend.findChildren(td)
		for n := range pend.spans {
			ps := &pend.spans[n]
			cl := mistralapi.Classify(ps.evidence())
			writeClassification(ps.span.Attributes(), ps.flags, ps.provider, cl)
			c.classified[classIndex(cl.Class)]++
		}
	}
	if e.tel != nil {
		e.tel.record(ctx, &c)
	}
	return td, nil
}

// resourceInfo caches, for the spans of one resource, whether the resource
// has mistral.workspace (looked up at most once per resource).
type resourceInfo struct {
	attrs        pcommon.Map
	checked, has bool
}

func (r *resourceInfo) hasWorkspace() bool {
	if !r.checked {
		_, r.has = r.attrs.Get(AttrWorkspace)
		r.checked = true
	}
	return r.has
}

// enrich handles one candidate span. Every decision is made first, so that
// the span's attribute slice grows once, to the exact size.
func (e *enricher) enrich(span ptrace.Span, res *resourceInfo, c *batchCounts, pend **pendingSet) {
	var f fields
	attrs := span.Attributes()
	f.scan(attrs)
	if !f.isModelCall(span.Name()) {
		return
	}
	c.enriched++

	provider := f.provider(span.Name())
	writeProvider := !f.hasProviderName && provider != ""
	writeWorkspace := e.workspace != "" && provider == ProviderMistral && !f.hasWorkspace && !res.hasWorkspace()
	pr := e.price(&f, span.StartTimestamp())

	var cl mistralapi.Classification
	var flags writeFlags
	classified := false
	if e.classify && isErrorSpan(span, &f) {
		f.hasHeaders = hasHeaderAttrs(attrs)
		flags = flagsOf(&f)
		ev := spanEvidence(span, &f)
		if needsChild(&ev, &f) {
			if *pend == nil {
				*pend = newPendingSet()
			}
			(*pend).add(pendingSpan{
				span: span, traceID: span.TraceID(), spanID: span.SpanID(),
				ev: ev, flags: flags, provider: provider,
			})
		} else {
			cl, classified = mistralapi.Classify(ev), true
		}
	}

	n := pr.attrCount()
	if writeProvider {
		n++
	}
	if writeWorkspace {
		n++
	}
	if classified {
		n += classificationAttrCount(flags, provider, cl)
	}
	e.attr.apply(attrs, res.attrs)
	if n == 0 {
		return
	}
	attrs.EnsureCapacity(attrs.Len() + n)
	if writeProvider {
		attrs.PutStr(AttrProviderName, provider)
	}
	if writeWorkspace {
		attrs.PutStr(AttrWorkspace, e.workspace)
	}
	pr.write(attrs)
	switch pr.outcome {
	case costPriced:
		c.priced++
	case costMissing:
		c.addUnpriced(f.unpricedModel())
	}
	if classified {
		writeClassification(attrs, flags, provider, cl)
		c.classified[classIndex(cl.Class)]++
	}
}
