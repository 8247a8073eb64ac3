package llmenrichprocessor_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor"
)

// wireCase is an answer of La Plateforme as recorded, with the class (and
// limit) a span carrying it must get. internal/mistralapi/wire_test.go names
// the recording of each; these check that each form a span carries it in
// reaches the classifier through the processor.
type wireCase struct {
	name   string
	status int
	header map[string]string
	body   string
	class  string
	limit  string
	// msgClass is the class from the message alone, when the headers decide.
	msgClass string
}

var wireCases = []wireCase{
	{name: "rate limit, 60-second request window spent", status: 429,
		header: map[string]string{"x-ratelimit-limit-req-60-second": "360", "x-ratelimit-remaining-req-60-second": "0"},
		body:   `{"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300","raw_status_code":429}`,
		class:  "rate_limit", limit: "requests_per_minute", msgClass: "rate_limit"},
	{name: "zero allowance for the model", status: 429,
		header: map[string]string{"x-ratelimit-limit-req-minute": "0", "x-ratelimit-remaining-req-minute": "0"},
		body:   `{"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300"}`,
		class:  "quota_exhausted", limit: "requests_per_minute", msgClass: "rate_limit"},
	{name: "five-minute tokens spent", status: 429,
		header: map[string]string{"x-ratelimit-remaining-tokens-5-minute": "0"},
		body:   `{"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300"}`,
		class:  "rate_limit", limit: "tokens_per_minute", msgClass: "rate_limit"},
	{name: "capacity 429 service tier", status: 429,
		body:  `{"object":"error","message":"Service tier capacity exceeded for this model.","type":"service_tier_capacity_exceeded","param":null,"code":"3505"}`,
		class: "provider_capacity"},
	{name: "capacity 429 backend", status: 429,
		body:  `{"object":"error","message":"Not enough capacity available for this request, please retry later.","type":"backend_out_of_capacity","param":null,"code":"3505"}`,
		class: "provider_capacity"},
	{name: "invalid model 400", status: 400,
		body:  `{"object":"error","message":"Invalid model: mistral-small-2402","type":"invalid_model","param":null,"code":"1500","raw_status_code":400}`,
		class: "model_not_found"},
	{name: "gateway 404", status: 404, body: `{"message":"no Route matched with those values"}`, class: "endpoint_not_found"},
	{name: "402 budget", status: 402,
		body:  `{"object":"error","message":"API budget exhausted.","type":"billing_api_budget_exhausted","param":null,"code":"2303","raw_status_code":402}`,
		class: "quota_exhausted"},
	{name: "403 tier not allowed", status: 403,
		body:  `{"object":"error","message":"Your current tier does not allow this model.","type":"tier_not_allowed","param":null,"code":"1910","raw_status_code":403}`,
		class: "permission"},
	{name: "401 invalid api key", status: 401, body: `{"detail":"Invalid API Key"}`, class: "authentication"},
	{name: "422 nested in message", status: 422,
		body:  `{"object":"error","message":{"detail":[{"type":"extra_forbidden","loc":["body","seed"],"msg":"Extra inputs are not permitted"}]},"type":"invalid_request_error","param":null,"code":null,"raw_status_code":422}`,
		class: "invalid_request"},
	{name: "context overflow", status: 400,
		body:  `{"object":"error","message":"Prompt contains 140000 tokens and 0 draft tokens, too large for model with 131072 maximum context length","type":"invalid_request_error","param":null,"code":null,"raw_status_code":400}`,
		class: "invalid_request"},
	{name: "500 code 1000", status: 500,
		body:  `{"object":"error","message":"Service unavailable.","type":"internal_server_error","param":null,"code":"1000","raw_status_code":500}`,
		class: "server_error"},
}

// SDK message formats by version (mistralai/client-ts, mistralai/client-python).
var sdkFormats = map[string]func(int, string) string{
	"ts<=1.9": func(s int, b string) string {
		return fmt.Sprintf("API error occurred: Status %d Content-Type application/json Body %s", s, b)
	},
	"py1.x":   func(s int, b string) string { return fmt.Sprintf("API error occurred: Status %d\n%s", s, b) },
	"current": func(s int, b string) string { return fmt.Sprintf("API error occurred: Status %d. Body: %s", s, b) },
	"ts-long": func(s int, b string) string { return fmt.Sprintf("API error occurred: Status %d.\nBody: %s", s, b) },
	"py-ctype": func(s int, b string) string {
		return fmt.Sprintf(`API error occurred: Status %d Content-Type "text/plain". Body: %s`, s, b)
	},
}

// wireSpan is one span to send: attributes, status message, exception
// message, and its parent's index (-1 for a root).
type wireSpan struct {
	attrs     map[string]any
	statusMsg string
	exception string
	parent    int
}

func mistralAttrs(extra map[string]any) map[string]any {
	m := map[string]any{"gen_ai.provider.name": "mistral_ai", "gen_ai.operation.name": "chat", "gen_ai.request.model": "mistral-small-latest"}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

// enrich runs spans through a processor made by the public factory and
// returns the output spans in order.
func enrich(t *testing.T, spans []wireSpan) []ptrace.Span {
	t.Helper()
	f := llmenrichprocessor.NewFactory()
	sink := &consumertest.TracesSink{}
	p, err := f.CreateTraces(context.Background(), processortest.NewNopSettings(f.Type()), f.CreateDefaultConfig(), sink)
	require.NoError(t, err)
	td := ptrace.NewTraces()
	ss := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty()
	end := time.Date(2026, 11, 27, 12, 0, 30, 0, time.UTC)
	tid := pcommon.TraceID{1}
	for i, w := range spans {
		s := ss.Spans().AppendEmpty()
		s.SetTraceID(tid)
		s.SetSpanID(pcommon.SpanID{byte(i + 1)})
		if w.parent >= 0 {
			s.SetParentSpanID(pcommon.SpanID{byte(w.parent + 1)})
		}
		s.SetName("chat mistral-small-latest")
		s.SetStartTimestamp(pcommon.NewTimestampFromTime(end.Add(-time.Second)))
		s.SetEndTimestamp(pcommon.NewTimestampFromTime(end))
		s.Status().SetCode(ptrace.StatusCodeError)
		s.Status().SetMessage(w.statusMsg)
		require.NoError(t, s.Attributes().FromRaw(w.attrs))
		if w.exception != "" {
			ev := s.Events().AppendEmpty()
			ev.SetName("exception")
			ev.Attributes().PutStr("exception.type", "SDKError")
			ev.Attributes().PutStr("exception.message", w.exception)
		}
	}
	require.NoError(t, p.Start(context.Background(), nil))
	require.NoError(t, p.ConsumeTraces(context.Background(), td))
	require.NoError(t, p.Shutdown(context.Background()))
	require.Len(t, sink.AllTraces(), 1)
	out := sink.AllTraces()[0].ResourceSpans().At(0).ScopeSpans().At(0).Spans()
	require.Equal(t, len(spans), out.Len(), "no span dropped or added")
	res := make([]ptrace.Span, out.Len())
	for i := range res {
		res[i] = out.At(i)
	}
	return res
}

func attr(s ptrace.Span, key string) string {
	v, ok := s.Attributes().Get(key)
	if !ok {
		return ""
	}
	return v.AsString()
}

func headerAttrs(h map[string]string) map[string]any {
	m := map[string]any{}
	for k, v := range h {
		m["http.response.header."+k] = []any{v}
	}
	return m
}

// TestWireCasesThroughProcessor: every recorded answer, in every form a
// span carries it, gets its class on the LLM span.
func TestWireCasesThroughProcessor(t *testing.T) {
	for _, wc := range wireCases {
		t.Run(wc.name, func(t *testing.T) {
			msgClass := wc.class
			if wc.msgClass != "" {
				msgClass = wc.msgClass
			}
			check := func(form string, s ptrace.Span, class, limit string) {
				t.Helper()
				assert.Equal(t, class, attr(s, "llm_enrich.error.class"), form)
				assert.Equal(t, limit, attr(s, "llm_enrich.error.limit"), form)
			}
			// The status, headers and body on the span itself (an
			// instrumentation that captures the HTTP exchange).
			out := enrich(t, []wireSpan{{parent: -1, attrs: mistralAttrs(merge(headerAttrs(wc.header),
				map[string]any{"http.response.status_code": wc.status})), statusMsg: sdkFormats["current"](wc.status, wc.body)}})
			check("probe-like span", out[0], wc.class, wc.limit)

			// The span status message, and the exception message, in each SDK format.
			for name, f := range sdkFormats {
				out = enrich(t, []wireSpan{{parent: -1, attrs: mistralAttrs(nil), statusMsg: f(wc.status, wc.body)}})
				check("status message "+name, out[0], msgClass, "")
				out = enrich(t, []wireSpan{{parent: -1, attrs: mistralAttrs(nil), exception: f(wc.status, wc.body)}})
				check("exception message "+name, out[0], msgClass, "")
			}

			// error.type alone: the class an earlier classifier or a client wrote.
			out = enrich(t, []wireSpan{{parent: -1, attrs: mistralAttrs(map[string]any{"error.type": wc.class})}})
			check("error.type", out[0], wc.class, "")

			// A child HTTP client span with the status and the captured
			// headers; the body in the parent's exception message.
			child := merge(headerAttrs(wc.header), map[string]any{"http.request.method": "POST",
				"url.full": "https://api.mistral.ai/v1/chat/completions", "http.response.status_code": wc.status})
			out = enrich(t, []wireSpan{
				{parent: -1, attrs: mistralAttrs(nil), exception: sdkFormats["ts<=1.9"](wc.status, wc.body)},
				{parent: 0, attrs: child},
			})
			check("child HTTP span", out[0], wc.class, wc.limit)
		})
	}
}

func merge(a, b map[string]any) map[string]any {
	m := map[string]any{}
	for k, v := range a {
		m[k] = v
	}
	for k, v := range b {
		m[k] = v
	}
	return m
}
