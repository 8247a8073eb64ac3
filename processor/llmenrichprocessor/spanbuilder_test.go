package llmenrichprocessor

import (
	"fmt"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// testSpan describes a span for hand-written tests.
type testSpan struct {
	name      string
	attrs     map[string]any
	status    ptrace.StatusCode
	statusMsg string
	// exceptions are (exception.type, exception.message) pairs.
	exceptions [][2]string
	trace      byte
	id, parent byte
	end        int64
}

var (
	traceA = pcommon.TraceID{0xa}
	traceB = pcommon.TraceID{0xb}
)

func tid(b byte) pcommon.TraceID {
	if b == 0 {
		return traceA
	}
	return pcommon.TraceID{b}
}

func sid(b byte) pcommon.SpanID {
	if b == 0 {
		return pcommon.SpanID{}
	}
	return pcommon.SpanID{b, 0x5c}
}

// buildTraces puts the spans, in order, in one resource and one scope.
func buildTraces(res map[string]any, spans ...testSpan) ptrace.Traces {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	if err := rs.Resource().Attributes().FromRaw(res); err != nil {
		panic(err)
	}
	ss := rs.ScopeSpans().AppendEmpty()
	for i, ts := range spans {
		s := ss.Spans().AppendEmpty()
		fillSpan(s, ts, i)
	}
	return td
}

func fillSpan(s ptrace.Span, ts testSpan, i int) {
	s.SetName(ts.name)
	s.SetTraceID(tid(ts.trace))
	id := ts.id
	if id == 0 {
		id = byte(i + 1)
	}
	s.SetSpanID(sid(id))
	s.SetParentSpanID(sid(ts.parent))
	s.SetStartTimestamp(1_700_000_000_000_000_000)
	end := ts.end
	if end == 0 {
		end = 1_700_000_001_000_000_000
	}
	s.SetEndTimestamp(pcommon.Timestamp(end))
	if err := s.Attributes().FromRaw(ts.attrs); err != nil {
		panic(err)
	}
	s.Status().SetCode(ts.status)
	s.Status().SetMessage(ts.statusMsg)
	for _, ex := range ts.exceptions {
		ev := s.Events().AppendEmpty()
		ev.SetName("exception")
		if ex[0] != "" {
			ev.Attributes().PutStr("exception.type", ex[0])
		}
		if ex[1] != "" {
			ev.Attributes().PutStr("exception.message", ex[1])
		}
	}
}

// firstSpan is the first span of a batch built by buildTraces.
func firstSpan(td ptrace.Traces) ptrace.Span {
	return td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0)
}

func spanAt(td ptrace.Traces, i int) ptrace.Span {
	return td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(i)
}

// merge returns a copy of base with extra set.
func merge(base map[string]any, extra map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

// added returns the attributes the processor added or changed on a span.
func added(before, after map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range after {
		if b, ok := before[k]; !ok || !equalAny(b, v) {
			out[k] = v
		}
	}
	return out
}

// equalAny compares attribute values; NaN equals NaN (at any depth).
func equalAny(a, b any) bool {
	return fmt.Sprintf("%T %#v", a, a) == fmt.Sprintf("%T %#v", b, b)
}
