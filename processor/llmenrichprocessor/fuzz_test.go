package llmenrichprocessor

import (
	"encoding/binary"
	"math"
	"testing"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// decodeSpans turns fuzz bytes into spans with random attribute maps: each
// attribute takes a key byte (an index into keyVocabulary), a type byte and
// a value; message becomes the status message and an exception message.
func decodeSpans(data []byte, message string) ptrace.Traces {
	td := ptrace.NewTraces()
	spans := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans()
	next := func(n int) []byte {
		if len(data) < n {
			b := make([]byte, n)
			copy(b, data)
			data = nil
			return b
		}
		b := data[:n]
		data = data[n:]
		return b
	}
	for i := 0; i < 4 && len(data) > 0; i++ {
		s := spans.AppendEmpty()
		h := next(3)
		s.SetName(nameVocabulary[int(h[0])%len(nameVocabulary)])
		s.SetTraceID(pcommon.TraceID{1})
		s.SetSpanID(pcommon.SpanID{byte(i + 1)})
		s.SetParentSpanID(pcommon.SpanID{h[1] % 5})
		s.Status().SetCode(ptrace.StatusCode(h[2] % 3))
		if h[2]&4 != 0 {
			s.Status().SetMessage(message)
		}
		if h[2]&8 != 0 {
			ev := s.Events().AppendEmpty()
			ev.SetName("exception")
			ev.Attributes().PutStr(keyExceptionMessage, message)
		}
		a := s.Attributes()
		for n := int(next(1)[0] % 16); n > 0 && len(data) > 0; n-- {
			kb := next(2)
			key := keyVocabulary[int(kb[0])%len(keyVocabulary)]
			v := a.PutEmpty(key)
			switch kb[1] % 6 {
			case 0:
				v.SetInt(int64(binary.LittleEndian.Uint64(next(8))))
			case 1:
				v.SetDouble(math.Float64frombits(binary.LittleEndian.Uint64(next(8))))
			case 2:
				ln := int(next(1)[0] % 32)
				v.SetStr(string(next(ln)))
			case 3:
				v.SetStr(stringVocabulary[int(next(1)[0])%len(stringVocabulary)])
			case 4:
				v.SetEmptySlice().AppendEmpty().SetStr(message)
			default:
				v.SetBool(next(1)[0]&1 == 1)
			}
		}
	}
	return td
}

// FuzzProcessAttributes feeds random attribute maps, statuses and error
// messages through the processor: it must not panic, and its output must be
// its input plus its own attributes only.
func FuzzProcessAttributes(f *testing.F) {
	f.Add([]byte{0, 0, 0x0e, 4, 14, 3, 0, 0, 12, 0, 0xe8, 3, 0, 0, 0, 0, 0, 0}, "API error occurred: Status 429 Content-Type application/json Body "+body1300)
	f.Add([]byte{1, 0, 0x06, 3, 0, 3, 1, 3, 5, 12, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, "429 status code (no body)")
	f.Add([]byte{2, 1, 0x0a, 5, 1, 3, 6, 3, 3, 14, 1, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f}, `{"detail":"Unauthorized"}`)
	f.Add([]byte{0, 0, 1, 2, 36, 4, 37, 2, 5, 0x30, 0x2e, 0x35, 0x65, 0x31}, "Status 503")
	f.Add([]byte{}, "")
	cfg := testConfig()
	cfg.Pricing.Builtin = true
	cfg.Workspace = "ws"
	e, err := newEnricher(cfg)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte, message string) {
		td := decodeSpans(data, message)
		in := ptrace.NewTraces()
		td.CopyTo(in)
		out := process(t, e, td)
		checkOnlyAdded(t, in, out, false)
	})
}
