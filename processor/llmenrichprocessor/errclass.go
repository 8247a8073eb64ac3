package llmenrichprocessor // import "github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor"

import (
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
)

// maxMessageLen bounds the part of a status or exception message that is
// parsed: error bodies are small, stack traces and echoed prompts are not.
const maxMessageLen = 16 << 10

// isErrorSpan tells a failed call: status ERROR, an error.type, an HTTP
// status ≥ 400, or an exception event on a span whose status is not OK
// (an SDK may record the exception of an attempt it then retried with
// success, and set the status OK).
func isErrorSpan(span ptrace.Span, f *fields) bool {
	code := span.Status().Code()
	if code == ptrace.StatusCodeError || f.hasErrorType || statusCode(f.httpStatus, f.hasStatus) >= 400 {
		return true
	}
	if code == ptrace.StatusCodeOk {
		return false
	}
	events := span.Events()
	for i := 0; i < events.Len(); i++ {
		if events.At(i).Name() == eventException {
			return true
		}
	}
	return false
}

// statusCode reads an HTTP status from an int, a whole double or a numeric
// string; 0 when absent or not a status (100..599).
func statusCode(v pcommon.Value, ok bool) int {
	if !ok {
		return 0
	}
	var n int64
	switch v.Type() {
	case pcommon.ValueTypeInt:
		n = v.Int()
	case pcommon.ValueTypeDouble:
		d := v.Double()
		if d != float64(int64(d)) {
			return 0
		}
		n = int64(d)
	case pcommon.ValueTypeStr:
		p, err := strconv.ParseInt(strings.TrimSpace(v.Str()), 10, 64)
		if err != nil {
			return 0
		}
		n = p
	default:
		return 0
	}
	if n < 100 || n > 599 {
		return 0
	}
	return int(n)
}

// evidence gathers what the span itself says about its failure: its HTTP
// status, error.type, status message, exception events, Mistral error
// attributes and captured rate-limit headers.
func spanEvidence(span ptrace.Span, f *fields) mistralapi.Evidence {
	var ev mistralapi.Evidence
	ev.StatusCode = statusCode(f.httpStatus, f.hasStatus)
	if ev.StatusCode == 0 {
		ev.StatusCode = errorTypeStatus(f.errorType)
	}
	ev.ErrorType = f.errorType

	statusMsg := clip(cutStack(span.Status().Message()))
	var excMsg, excType string
	events := span.Events()
	for i := 0; i < events.Len(); i++ {
		ev := events.At(i)
		if ev.Name() != eventException {
			continue
		}
		attrs := ev.Attributes()
		if v, ok := attrs.Get(keyExceptionMessage); ok && excMsg == "" {
			excMsg = clip(cutStack(strVal(v)))
		}
		if v, ok := attrs.Get(keyExceptionType); ok && excType == "" {
			excType = strVal(v)
		}
	}
	if ev.ErrorType == "" {
		ev.ErrorType = excType
	}
	for i, m := range [...]string{statusMsg, excMsg} {
		if m == "" || (i == 1 && m == statusMsg) || (ev.StatusCode != 0 && ev.HasBody) {
			continue
		}
		pm := mistralapi.ParseErrorMessage(m)
		if ev.StatusCode == 0 {
			ev.StatusCode = pm.StatusCode
		}
		if !ev.HasBody && pm.Body != nil {
			ev.Body, ev.HasBody = mistralapi.ParseErrorBody(pm.Body)
		}
	}
	switch {
	case statusMsg == "" || statusMsg == excMsg:
		ev.Message = excMsg
	case excMsg == "":
		ev.Message = statusMsg
	default:
		ev.Message = statusMsg + " " + excMsg
	}
	// The Mistral SDK 2.x writes the code as an attribute, without a body.
	if ev.Body.Code == "" {
		ev.Body.Code = f.mistralErrCode
	}
	if ev.Body.Type == "" {
		ev.Body.Type = f.mistralErrType
	}
	if f.hasHeaders {
		ev.RateLimit = mistralapi.ParseRateLimit(headerGetter(span.Attributes()), spanTime(span))
	}
	return ev
}

// errorTypeStatus reads an HTTP error status written as the error.type
// ("429", "503": the google-genai instrumentation does so); 0 otherwise.
func errorTypeStatus(s string) int {
	if len(s) != 3 {
		return 0
	}
	n := 0
	for i := 0; i < 3; i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0
		}
		n = n*10 + int(s[i]-'0')
	}
	if n < 400 || n > 599 {
		return 0
	}
	return n
}

// needsChild reports whether a child HTTP client span could add to the
// evidence: the span names no HTTP status, or it is a 429 without the
// rate-limit headers that tell a quota from a transient limit.
func needsChild(ev *mistralapi.Evidence, f *fields) bool {
	return ev.StatusCode == 0 || (ev.StatusCode == 429 && !f.hasHeaders)
}

// cutStack drops a JavaScript stack trace appended to an error message:
// OpenInference's LangChain.js instrumentation records
// error.message + "\n\n" + error.stack as the status and exception
// message, and the stack repeats the message after the body.
func cutStack(s string) string {
	i := strings.Index(s, "\n\n")
	if i < 0 || !strings.Contains(s[i:], "\n    at ") {
		return s
	}
	return s[:i]
}

func clip(s string) string {
	if len(s) > maxMessageLen {
		return s[:maxMessageLen]
	}
	return s
}

// headerAttrKeys maps the rate-limit header names mistralapi reads to their
// span attribute keys, so that reading them does not build strings.
var headerAttrKeys = func() map[string]string {
	m := map[string]string{}
	for _, h := range []string{
		mistralapi.HeaderLimitReqMinute, mistralapi.HeaderRemainingReqMinute,
		mistralapi.HeaderLimitTokensMinute, mistralapi.HeaderRemainingTokensMinute,
		mistralapi.HeaderLimitTokensMonth, mistralapi.HeaderRemainingTokensMonth,
		mistralapi.HeaderQueryCost,
		mistralapi.LegacyHeaderLimit, mistralapi.LegacyHeaderRemaining, mistralapi.LegacyHeaderReset,
		mistralapi.LegacyHeaderQueryCost, mistralapi.LegacyHeaderLimitTokensMinute,
		mistralapi.LegacyHeaderRemainingTokensMinute, mistralapi.LegacyHeaderLimitTokensMonth,
		mistralapi.LegacyHeaderRemainingTokensMonth, mistralapi.HeaderRetryAfter,
	} {
		m[h] = headerAttrPrefix + h
	}
	return m
}()

// headerGetter reads captured response headers from span attributes
// (http.response.header.<lower-case name>), whose value is a string array
// in the semantic conventions and a plain string in some SDKs.
func headerGetter(attrs pcommon.Map) mistralapi.HeaderGetter {
	return func(name string) (string, bool) {
		key, ok := headerAttrKeys[name]
		if !ok {
			key = headerAttrPrefix + name
		}
		v, ok := attrs.Get(key)
		if !ok {
			return "", false
		}
		switch v.Type() {
		case pcommon.ValueTypeStr:
			return v.Str(), true
		case pcommon.ValueTypeSlice:
			s := v.Slice()
			if s.Len() > 0 && s.At(0).Type() == pcommon.ValueTypeStr {
				return s.At(0).Str(), true
			}
		case pcommon.ValueTypeInt:
			return v.AsString(), true
		}
		return "", false
	}
}

// spanTime is the reference time for Retry-After dates: the span's end, so
// that the result does not depend on when the batch is processed.
func spanTime(span ptrace.Span) time.Time { return span.EndTimestamp().AsTime() }
