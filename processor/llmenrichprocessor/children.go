package llmenrichprocessor // import "github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor"

import (
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
)

// Child HTTP client spans.
//
// The GenAI semantic conventions put the HTTP status on a child HTTP client
// span, not on the GenAI span. Such a child may come before or after its
// parent in a batch, so finding it needs a second pass over the batch. The
// processor only makes that pass when an LLM error span of the batch lacks
// its HTTP status, or is a 429 without rate-limit headers; it only builds a
// set of those few span ids (no per-span map), and a 256-bit filter on the
// first byte of the parent span id keeps the second pass to a byte test for
// nearly every span. Everything is local to one call: nothing is kept
// between batches, so every replica of the collector gives the same result
// for the same batch. A child in another batch is not seen.

// pendingSpan is an LLM error span whose classification waits for the
// second pass.
type pendingSpan struct {
	span     ptrace.Span
	traceID  pcommon.TraceID
	spanID   pcommon.SpanID
	ev       mistralapi.Evidence
	flags    writeFlags
	provider string

	// The latest-ending child HTTP span with any evidence (the last attempt
	// of a call the client retried decides how it failed).
	child    pcommon.Map
	childEnd pcommon.Timestamp
	hasChild bool
	childSC  int
	childET  string
	childHdr bool
}

// writeFlags are the presence flags writeClassification needs.
type writeFlags struct {
	hasErrorType, hasMistralErrType, hasMistralErrCode, hasHeaders bool
}

func flagsOf(f *fields) writeFlags {
	return writeFlags{f.hasErrorType, f.hasMistralErrType, f.hasMistralErrCode, f.hasHeaders}
}

// pendingSet holds the pending spans of one batch.
type pendingSet struct {
	spans  []pendingSpan
	filter [4]uint64
}

// pendingCap is the initial room for pending spans: enough for most batches
// without the copies of growing the slice from one.
const pendingCap = 8

func newPendingSet() *pendingSet {
	return &pendingSet{spans: make([]pendingSpan, 0, pendingCap)}
}

func (p *pendingSet) add(ps pendingSpan) {
	b := ps.spanID[0]
	p.filter[b>>6] |= 1 << (b & 63)
	p.spans = append(p.spans, ps)
}

func (p *pendingSet) mayContain(id pcommon.SpanID) bool {
	b := id[0]
	return p.filter[b>>6]&(1<<(b&63)) != 0
}

// findChildren is the second pass: it offers every span whose parent is a
// pending span to that span.
func (p *pendingSet) findChildren(td ptrace.Traces) {
	rss := td.ResourceSpans()
	for i := 0; i < rss.Len(); i++ {
		sss := rss.At(i).ScopeSpans()
		for j := 0; j < sss.Len(); j++ {
			spans := sss.At(j).Spans()
			for k := 0; k < spans.Len(); k++ {
				s := spans.At(k)
				parent := s.ParentSpanID()
				if parent.IsEmpty() || !p.mayContain(parent) {
					continue
				}
				for n := range p.spans {
					ps := &p.spans[n]
					if ps.spanID == parent && ps.traceID == s.TraceID() {
						ps.offer(s)
					}
				}
			}
		}
	}
}

// offer records s as the child evidence when it carries an HTTP status, an
// error.type or rate-limit headers and ends after the child seen so far.
func (ps *pendingSpan) offer(s ptrace.Span) {
	var sc int
	var et string
	var hdr bool
	for k, v := range s.Attributes().All() {
		switch k {
		case keyHTTPStatus:
			sc = statusCode(v, true)
		case keyHTTPStatusOld:
			if sc == 0 {
				sc = statusCode(v, true)
			}
		case attrErrorType:
			et = strVal(v)
		default:
			hdr = hdr || isHeaderKey(k)
		}
	}
	if sc == 0 && et == "" && !hdr {
		return
	}
	if ps.hasChild && s.EndTimestamp() < ps.childEnd {
		return
	}
	ps.child, ps.childEnd, ps.hasChild = s.Attributes(), s.EndTimestamp(), true
	ps.childSC, ps.childET, ps.childHdr = sc, et, hdr
}

// evidence completes the span's own evidence with its child's.
func (ps *pendingSpan) evidence() mistralapi.Evidence {
	ev := ps.ev
	if !ps.hasChild {
		return ev
	}
	if ev.StatusCode == 0 {
		ev.StatusCode = ps.childSC
	}
	if ev.ErrorType == "" {
		ev.ErrorType = ps.childET
	}
	if !ps.flags.hasHeaders && ps.childHdr {
		ev.RateLimit = mistralapi.ParseRateLimit(headerGetter(ps.child), spanTime(ps.span))
	}
	return ev
}
