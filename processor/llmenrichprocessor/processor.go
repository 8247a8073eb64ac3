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
	breakdown    bool
	costProposal bool
	classify     bool
	workspace    string
	attr         *attributor // nil: no attribution keys
	tel          *telemetry  // nil in tests that do not look at telemetry
	join         *joiner     // nil: no mistral_state extension configured
}

// processTraces enriches every LLM call span of the batch in one loop over
// resource → scope → span, the way the contrib attributes processor walks a
// batch. Spans are never added, removed or moved; only attributes are added.
func (e *enricher) processTraces(ctx context.Context, td ptrace.Traces) (ptrace.Traces, error) {
	var c batchCounts
	var pend *pendingSet
	var joined []joinSpan // the LLM spans, kept only when joined to the receiver
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
				if span := spans.At(k); mayBeLLM(span, checkNames) {
					// The join speaks of La Plateforme: its catalogue, limits and health.
					if e.enrich(span, checkNames, &res, &c, &pend) == providerMistral && e.join.active() {
						joined = append(joined, joinSpan{span: span, resource: res.attrs})
					}
				}
			}
		}
	}
	if pend != nil {
		pend.findChildren(td)
		for n := range pend.spans {
			ps := &pend.spans[n]
			cl := mistralapi.Classify(ps.evidence())
			var w attrWrites
			writeClassification(&w, ps.flags, ps.provider, cl)
			w.apply(ps.span.Attributes())
			c.addClassified(cl.Class)
		}
	}
	e.join.observe(joined)
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
		_, r.has = r.attrs.Get(attrWorkspace)
		r.checked = true
	}
	return r.has
}

// enrich handles one LLM span and returns its provider ("" when the span is
// not one call to a model): it reads the attributes it needs in one pass
// (scan) and leaves every span that is not one call to a model there.
func (e *enricher) enrich(span ptrace.Span, checkNames bool, res *resourceInfo, c *batchCounts, pend **pendingSet) (provider string) {
	var f fields
	attrs := span.Attributes()
	f.scan(attrs)
	if !f.isModelCall(span.Name()) {
		return ""
	}
	c.enriched++

	var hosting bool
	provider, hosting = f.provider(span.Name())
	if provider == "" && checkNames {
		// A failed call of OpenInference's Mistral instrumentation names no
		// provider (it reads it from the response): its scope does.
		provider = providerMistral
	}
	writeProvider := !f.hasProviderName && hosting && provider != ""
	writeWorkspace := e.workspace != "" && provider == providerMistral && !f.hasWorkspace && !res.hasWorkspace()
	var pr priceResult
	e.price(&pr, &f, provider, hosting, span.StartTimestamp())

	var cl mistralapi.Classification
	var flags writeFlags
	classified := false
	// A span an earlier llm_enrich classified (an agent collector before a
	// gateway) keeps its verdict: the earlier pass may have seen evidence,
	// such as a child HTTP span, that this batch lacks.
	if e.classify && !f.hasErrorClass && isErrorSpan(span, &f) {
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

	var w attrWrites
	if writeProvider {
		w.str(attrProviderName, provider)
	}
	if writeWorkspace {
		w.str(attrWorkspace, e.workspace)
	}
	e.writeCost(&w, &pr)
	switch pr.outcome {
	case costPriced:
		c.priced++
	case costMissing:
		c.addUnpriced(f.unpricedModel())
	}
	if classified {
		writeClassification(&w, flags, provider, cl)
		c.addClassified(cl.Class)
	}
	w.apply(attrs)
	e.attr.apply(attrs, res.attrs)
	// A cost and the marker that says there is none never sit on one span:
	// a later pass that prices what an earlier one could not drops it.
	if f.hasPriceMissing && pr.outcome == costPriced {
		attrs.Remove(attrPriceMissing)
	}
	return provider
}
