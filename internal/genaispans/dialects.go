package genaispans // import "github.com/otelcol-mistral/otelcol-mistral/internal/genaispans"

import (
	"fmt"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
)

const mistralHost = "api.mistral.ai"

func (b *builder) span(svc, scope string, tid pcommon.TraceID, parent pcommon.SpanID, name string, kind ptrace.SpanKind, start time.Time, d time.Duration) ptrace.Span {
	s := b.newSpan(svc, scope)
	s.SetTraceID(tid)
	s.SetSpanID(b.spanID())
	s.SetParentSpanID(parent)
	s.SetName(name)
	s.SetKind(kind)
	setTimes(s, start, d)
	return s
}

func exceptionEvent(s ptrace.Span, typ, msg string) {
	ev := s.Events().AppendEmpty()
	ev.SetName("exception")
	ev.SetTimestamp(s.EndTimestamp())
	a := ev.Attributes()
	a.PutStr("exception.type", typ)
	a.PutStr("exception.message", msg)
	a.PutStr("exception.stacktrace", "Traceback (most recent call last):\n  File \"app/llm.py\", line 88, in complete\n"+typ+": "+msg)
}

func setError(s ptrace.Span, msg string) {
	s.Status().SetCode(ptrace.StatusCodeError)
	s.Status().SetMessage(msg)
}

func urlPath(op string) string {
	if op == "embeddings" {
		return "/v1/embeddings"
	}
	return "/v1/chat/completions"
}

// successHeaders are the rate-limit headers of a successful call.
var successHeaders = map[string]string{
	mistralapi.HeaderLimitTokensMinute: "500000", mistralapi.HeaderRemainingTokensMinute: "481230",
	mistralapi.HeaderLimitTokensMonth: "1000000000", mistralapi.HeaderRemainingTokensMonth: "912003311",
	mistralapi.HeaderQueryCost: "1834",
}

// pythonSDKMessage is the Mistral Python SDK's SDKError message.
func pythonSDKMessage(sc *Scenario) string {
	return fmt.Sprintf("API error occurred: Status %d Content-Type application/json Body %s", sc.Status, sc.Body)
}

// semconv: OTel GenAI semconv, current names. The status and headers are on
// a child HTTP client span (httpx instrumentation with header capture).
func (b *builder) semconv(p *plannedCall, svc string, tid pcommon.TraceID, parent pcommon.SpanID, start time.Time) emitted {
	s := b.span(svc, "opentelemetry.instrumentation.mistralai", tid, parent, p.op+" "+p.reqModel, ptrace.SpanKindClient, start, p.dur)
	a := s.Attributes()
	a.PutStr("gen_ai.operation.name", p.op)
	a.PutStr("gen_ai.provider.name", "mistral_ai")
	a.PutStr("gen_ai.request.model", p.reqModel)
	a.PutInt("gen_ai.request.max_tokens", 1024)
	a.PutDouble("gen_ai.request.temperature", 0.3)
	a.PutStr("server.address", mistralHost)
	a.PutInt("server.port", 443)
	e := emitted{span: s, hasProvider: true, provider: "mistral_ai"}
	sc := p.Scenario
	if sc == nil {
		a.PutStr("gen_ai.response.model", p.respModel)
		a.PutStr("gen_ai.response.id", "cmpl-e5cc70bb28c444948073e77776eb30ef")
		a.PutEmptySlice("gen_ai.response.finish_reasons").AppendEmpty().SetStr("stop")
		a.PutInt("gen_ai.usage.input_tokens", p.usage.Input)
		if p.op == "chat" {
			a.PutInt("gen_ai.usage.output_tokens", p.usage.Output)
		}
		if p.usage.CacheRead > 0 {
			a.PutInt("gen_ai.usage.cache_read.input_tokens", p.usage.CacheRead)
		}
	} else {
		e.errorType = "SDKError"
		if sc.Status == 0 {
			e.errorType = sc.PythonType
		}
		a.PutStr("error.type", e.errorType)
		setError(s, sc.Message)
		exceptionEvent(s, e.errorType, sc.Message)
		e.ev = mistralapi.Evidence{ErrorType: e.errorType, Message: sc.Message}
	}
	if !p.extras {
		return e
	}
	c := b.span(svc, "opentelemetry.instrumentation.httpx", tid, s.SpanID(), "POST", ptrace.SpanKindClient, start.Add(time.Millisecond), p.dur-2*time.Millisecond)
	ca := c.Attributes()
	ca.PutStr("http.request.method", "POST")
	ca.PutStr("url.full", "https://"+mistralHost+urlPath(p.op))
	ca.PutStr("server.address", mistralHost)
	ca.PutInt("server.port", 443)
	ca.PutStr("network.protocol.version", "1.1")
	switch {
	case sc == nil:
		ca.PutInt("http.response.status_code", 200)
		putHeaders(ca, successHeaders)
	case sc.Status > 0:
		ca.PutInt("http.response.status_code", int64(sc.Status))
		ca.PutStr("error.type", fmt.Sprint(sc.Status))
		c.Status().SetCode(ptrace.StatusCodeError)
		putHeaders(ca, sc.Headers)
		e.ev.StatusCode = sc.Status
		if len(sc.Headers) > 0 {
			e.ev.RateLimit = mistralapi.ParseRateLimit(sc.header, refTime)
		}
	default:
		ca.PutStr("error.type", sc.PythonType)
		c.Status().SetCode(ptrace.StatusCodeError)
	}
	return e
}

// semconvDeprecated: gen_ai.system and the deprecated usage names; the
// error body in an exception event (TypeScript SDK message format).
func (b *builder) semconvDeprecated(p *plannedCall, svc string, tid pcommon.TraceID, parent pcommon.SpanID, start time.Time) emitted {
	s := b.span(svc, "opentelemetry.instrumentation.mistralai", tid, parent, p.op+" "+p.reqModel, ptrace.SpanKindClient, start, p.dur)
	a := s.Attributes()
	a.PutStr("gen_ai.system", "mistral_ai")
	a.PutStr("gen_ai.operation.name", p.op)
	a.PutStr("gen_ai.request.model", p.reqModel)
	e := emitted{span: s, provider: "mistral_ai"}
	sc := p.Scenario
	if sc == nil {
		a.PutStr("gen_ai.response.model", p.respModel)
		a.PutInt("gen_ai.usage.prompt_tokens", p.usage.Input)
		if p.op == "chat" {
			a.PutInt("gen_ai.usage.completion_tokens", p.usage.Output)
		}
		return e
	}
	msg := sc.Message
	e.errorType = sc.PythonType
	if sc.Status > 0 {
		msg = fmt.Sprintf("API error occurred: Status %d. Body: %s", sc.Status, sc.Body)
		e.errorType = "SDKError"
	}
	a.PutStr("error.type", e.errorType)
	setError(s, msg)
	exceptionEvent(s, e.errorType, msg)
	e.ev = mistralapi.Evidence{StatusCode: sc.Status, ErrorType: e.errorType, Message: msg}
	bodyEvidence(&e.ev, sc.Body)
	return e
}

// openllmetry: Traceloop's Mistral instrumentation (Python).
func (b *builder) openllmetry(p *plannedCall, svc string, tid pcommon.TraceID, parent pcommon.SpanID, start time.Time) emitted {
	name, reqType := "mistralai.chat", "chat"
	if p.op == "embeddings" {
		name, reqType = "mistralai.embeddings", "embedding"
	}
	s := b.span(svc, "opentelemetry.instrumentation.mistralai", tid, parent, name, ptrace.SpanKindClient, start, p.dur)
	a := s.Attributes()
	a.PutStr("gen_ai.system", "MistralAI")
	a.PutStr("llm.request.type", reqType)
	a.PutStr("gen_ai.request.model", p.reqModel)
	a.PutBool("llm.is_streaming", false)
	a.PutStr("gen_ai.prompt.0.role", "user")
	e := emitted{span: s, provider: "mistral_ai"}
	sc := p.Scenario
	if sc == nil {
		a.PutStr("gen_ai.response.model", p.respModel)
		a.PutStr("gen_ai.response.id", "5e8b1c7a2f6d4b0e9a3c1d2e4f5a6b7c")
		total := p.usage.Input + p.usage.Output
		switch p.variant {
		case 0: // current release
			a.PutInt("gen_ai.usage.input_tokens", p.usage.Input)
			if p.op == "chat" {
				a.PutInt("gen_ai.usage.output_tokens", p.usage.Output)
			}
			if p.usage.CacheRead > 0 {
				a.PutInt("gen_ai.usage.cache_read.input_tokens", p.usage.CacheRead)
			}
		case 1: // older releases
			a.PutInt("gen_ai.usage.prompt_tokens", p.usage.Input)
			if p.op == "chat" {
				a.PutInt("gen_ai.usage.completion_tokens", p.usage.Output)
			}
			if p.usage.CacheRead > 0 {
				a.PutInt("gen_ai.usage.cache_read_input_tokens", p.usage.CacheRead)
			}
		default: // llm.usage.* only
			a.PutInt("llm.usage.prompt_tokens", p.usage.Input)
			if p.op == "chat" {
				a.PutInt("llm.usage.completion_tokens", p.usage.Output)
			}
			if p.usage.CacheRead > 0 {
				a.PutInt("gen_ai.usage.cache_read.input_tokens", p.usage.CacheRead)
			}
		}
		a.PutInt("llm.usage.total_tokens", total)
		return e
	}
	msg := sc.Message
	e.errorType = sc.PythonType
	if sc.Status > 0 {
		msg = pythonSDKMessage(sc)
		e.errorType = "SDKError"
	}
	a.PutStr("error.type", e.errorType)
	setError(s, msg)
	exceptionEvent(s, "mistralai.models.sdkerror."+e.errorType, msg)
	e.ev = mistralapi.Evidence{StatusCode: sc.Status, ErrorType: e.errorType, Message: msg}
	bodyEvidence(&e.ev, sc.Body)
	return e
}

// openlit: its own cost; the whole SDK error in the status message.
func (b *builder) openlit(p *plannedCall, svc string, tid pcommon.TraceID, parent pcommon.SpanID, start time.Time) emitted {
	s := b.span(svc, "openlit.otel.tracing", tid, parent, "chat "+p.reqModel, ptrace.SpanKindClient, start, p.dur)
	a := s.Attributes()
	a.PutStr("gen_ai.provider.name", "mistral_ai")
	a.PutStr("gen_ai.operation.name", "chat")
	a.PutStr("gen_ai.request.model", p.reqModel)
	a.PutStr("server.address", mistralHost)
	a.PutInt("server.port", 443)
	a.PutBool("gen_ai.request.is_stream", false)
	e := emitted{span: s, hasProvider: true, provider: "mistral_ai"}
	sc := p.Scenario
	if sc == nil {
		a.PutStr("gen_ai.response.model", p.respModel)
		a.PutInt("gen_ai.usage.input_tokens", p.usage.Input)
		a.PutInt("gen_ai.usage.output_tokens", p.usage.Output)
		a.PutInt("gen_ai.client.token.usage", p.usage.Input+p.usage.Output)
		// OpenLIT's own estimate, from its own (different) price table.
		own := 0.0
		if pr, ok := Prices[p.respModel]; ok {
			own = CostOf(pr, p.usage).Total * 1.25
		}
		a.PutDouble("gen_ai.usage.cost", own)
		e.existingCost, e.ownCost = true, own
		return e
	}
	msg := sc.Message
	e.errorType = sc.PythonType
	if sc.Status > 0 {
		msg = pythonSDKMessage(sc)
		e.errorType = "SDKError"
	}
	a.PutStr("error.type", e.errorType)
	setError(s, msg)
	exceptionEvent(s, e.errorType, msg)
	e.ev = mistralapi.Evidence{StatusCode: sc.Status, ErrorType: e.errorType, Message: msg}
	bodyEvidence(&e.ev, sc.Body)
	return e
}

// vercelMessage is what the AI SDK's errors say: the provider's message, or
// the fetch failure.
func vercelMessage(sc *Scenario) (typ, msg string) {
	switch {
	case sc.Status > 0:
		return "AI_APICallError", sc.Message
	case sc.Name == ScenarioTimeout.Name:
		return "TimeoutError", "The operation was aborted due to timeout"
	default:
		return "AI_APICallError", "Cannot connect to API: " + sc.Message
	}
}

// vercelLegacy: ai.generateText → ai.generateText.doGenerate (AI SDK 4/5
// experimental_telemetry).
func (b *builder) vercelLegacy(p *plannedCall, svc string, tid pcommon.TraceID, parent pcommon.SpanID, start time.Time) emitted {
	outerOp, innerOp, provider := "ai.generateText", "ai.generateText.doGenerate", "mistral.chat"
	if p.op == "embeddings" {
		outerOp, innerOp, provider = "ai.embed", "ai.embed.doEmbed", "mistral.embedding"
	}
	sc := p.Scenario
	common := func(a pcommon.Map, op string) {
		a.PutStr("operation.name", op)
		a.PutStr("ai.operationId", op)
		a.PutStr("ai.model.id", p.reqModel)
		a.PutStr("ai.model.provider", provider)
		a.PutInt("ai.settings.maxRetries", 2)
	}
	var typ, msg string
	if sc != nil {
		typ, msg = vercelMessage(sc)
	}
	inParent := parent
	if p.extras {
		o := b.span(svc, "ai", tid, parent, outerOp, ptrace.SpanKindInternal, start, p.dur)
		common(o.Attributes(), outerOp)
		if sc == nil {
			if p.op == "embeddings" {
				o.Attributes().PutInt("ai.usage.tokens", p.usage.Input)
			} else {
				o.Attributes().PutInt("ai.usage.promptTokens", p.usage.Input)
				o.Attributes().PutInt("ai.usage.completionTokens", p.usage.Output)
			}
		} else {
			setError(o, msg)
			exceptionEvent(o, typ, msg)
		}
		inParent = o.SpanID()
	}
	s := b.span(svc, "ai", tid, inParent, innerOp, ptrace.SpanKindClient, start.Add(time.Millisecond), p.dur-2*time.Millisecond)
	a := s.Attributes()
	common(a, innerOp)
	e := emitted{span: s, provider: "mistral_ai"}
	if p.op == "embeddings" {
		if sc == nil {
			a.PutInt("ai.usage.tokens", p.usage.Input)
		}
	} else {
		a.PutStr("gen_ai.system", provider)
		a.PutStr("gen_ai.request.model", p.reqModel)
		if sc == nil {
			a.PutStr("ai.response.model", p.respModel)
			a.PutStr("gen_ai.response.model", p.respModel)
			a.PutStr("ai.response.finishReason", "stop")
			a.PutStr("gen_ai.response.finish_reasons", "stop")
			a.PutInt("ai.usage.promptTokens", p.usage.Input)
			a.PutInt("ai.usage.completionTokens", p.usage.Output)
			if p.variant != 0 { // AI SDK 4 adds the semconv names
				a.PutInt("gen_ai.usage.input_tokens", p.usage.Input)
				a.PutInt("gen_ai.usage.output_tokens", p.usage.Output)
			}
		}
	}
	if sc == nil {
		return e
	}
	setError(s, msg)
	exceptionEvent(s, typ, msg)
	e.ev = mistralapi.Evidence{ErrorType: typ, Message: msg}
	return e
}

// vercelV7: invoke_agent → step 1 → chat <model> (AI SDK 7 with @ai-sdk/otel);
// on failure the HTTP status is on all three, with no error.type.
func (b *builder) vercelV7(p *plannedCall, svc string, tid pcommon.TraceID, parent pcommon.SpanID, start time.Time) emitted {
	sc := p.Scenario
	var typ, msg string
	if sc != nil {
		typ, msg = vercelMessage(sc)
	}
	fail := func(s ptrace.Span) {
		if sc == nil {
			return
		}
		if sc.Status > 0 {
			s.Attributes().PutInt("http.response.status_code", int64(sc.Status))
		}
		setError(s, msg)
		exceptionEvent(s, typ, msg)
	}
	usage := func(a pcommon.Map) {
		if sc == nil {
			a.PutInt("gen_ai.usage.input_tokens", p.usage.Input)
			a.PutInt("gen_ai.usage.output_tokens", p.usage.Output)
		}
	}
	chatParent := parent
	if p.extras {
		ag := b.span(svc, "ai", tid, parent, "invoke_agent "+p.reqModel, ptrace.SpanKindInternal, start, p.dur)
		aa := ag.Attributes()
		aa.PutStr("gen_ai.operation.name", "invoke_agent")
		aa.PutStr("gen_ai.provider.name", "mistral_ai")
		aa.PutStr("gen_ai.request.model", p.reqModel)
		usage(aa)
		fail(ag)
		st := b.span(svc, "ai", tid, ag.SpanID(), "step 1", ptrace.SpanKindInternal, start.Add(time.Millisecond), p.dur-2*time.Millisecond)
		sa := st.Attributes()
		sa.PutStr("gen_ai.provider.name", "mistral_ai")
		sa.PutStr("gen_ai.request.model", p.reqModel)
		usage(sa)
		fail(st)
		chatParent = st.SpanID()
	}
	s := b.span(svc, "ai", tid, chatParent, "chat "+p.reqModel, ptrace.SpanKindClient, start.Add(2*time.Millisecond), p.dur-4*time.Millisecond)
	a := s.Attributes()
	a.PutStr("gen_ai.operation.name", "chat")
	a.PutStr("gen_ai.provider.name", "mistral_ai")
	a.PutStr("gen_ai.request.model", p.reqModel)
	if sc == nil {
		a.PutStr("gen_ai.response.model", p.respModel)
	}
	usage(a)
	fail(s)
	e := emitted{span: s, hasProvider: true, provider: "mistral_ai"}
	if sc != nil {
		e.ev = mistralapi.Evidence{StatusCode: sc.Status, ErrorType: typ, Message: msg}
	}
	return e
}

// mistralSDK: the Mistral TypeScript SDK 2.x's built-in span.
func (b *builder) mistralSDK(p *plannedCall, svc string, tid pcommon.TraceID, parent pcommon.SpanID, start time.Time) emitted {
	s := b.span(svc, "@mistralai/mistralai", tid, parent, p.op+" "+p.reqModel, ptrace.SpanKindInternal, start, p.dur)
	a := s.Attributes()
	a.PutStr("gen_ai.operation.name", p.op)
	a.PutStr("gen_ai.provider.name", "mistral_ai")
	a.PutStr("gen_ai.request.model", p.reqModel)
	a.PutStr("http.request.method", "POST")
	a.PutStr("url.full", "https://"+mistralHost+urlPath(p.op))
	a.PutStr("server.address", mistralHost+":443")
	e := emitted{span: s, hasProvider: true, provider: "mistral_ai"}
	sc := p.Scenario
	if sc == nil {
		a.PutInt("http.response.status_code", 200)
		a.PutStr("gen_ai.response.model", p.respModel)
		a.PutInt("gen_ai.usage.input_tokens", p.usage.Input)
		if p.op == "chat" {
			a.PutInt("gen_ai.usage.output_tokens", p.usage.Output)
		}
		return e
	}
	e.ev = mistralapi.Evidence{StatusCode: sc.Status, Message: sc.Message}
	if sc.Status > 0 {
		a.PutInt("http.response.status_code", int64(sc.Status))
		body, _ := mistralapi.ParseErrorBody([]byte(sc.Body))
		e.errorType = body.Type
		if e.errorType == "" {
			e.errorType = "MistralError"
			if sc.Status == 422 {
				e.errorType = "HTTPValidationError"
			}
		}
		if body.Code != "" {
			a.PutStr("mistral_ai.error.code", body.Code)
			e.mistralCode = body.Code
			e.ev.Body.Code = body.Code
		}
	} else if sc.Name == ScenarioTimeout.Name {
		e.errorType = "RequestTimeoutError"
	} else {
		e.errorType = "ConnectionError"
	}
	e.ev.ErrorType = e.errorType
	a.PutStr("error.type", e.errorType)
	setError(s, sc.Message)
	return e
}

// openAIErrorType is the openai Node client's error class for a status.
func openAIErrorType(status int) string {
	switch {
	case status == 400:
		return "BadRequestError"
	case status == 401:
		return "AuthenticationError"
	case status == 403:
		return "PermissionDeniedError"
	case status == 404:
		return "NotFoundError"
	case status == 422:
		return "UnprocessableEntityError"
	case status == 429:
		return "RateLimitError"
	case status >= 500:
		return "InternalServerError"
	}
	return "APIError"
}

// openAIOnMistral: OTel's OpenAI instrumentation, the openai client pointed
// at Mistral's OpenAI-compatible endpoint; the body is lost.
func (b *builder) openAIOnMistral(p *plannedCall, svc string, tid pcommon.TraceID, parent pcommon.SpanID, start time.Time) emitted {
	s := b.span(svc, "@opentelemetry/instrumentation-openai", tid, parent, "chat "+p.reqModel, ptrace.SpanKindClient, start, p.dur)
	a := s.Attributes()
	a.PutStr("gen_ai.system", "openai")
	a.PutStr("gen_ai.operation.name", "chat")
	a.PutStr("gen_ai.request.model", p.reqModel)
	a.PutStr("server.address", mistralHost)
	a.PutInt("server.port", 443)
	e := emitted{span: s, provider: "mistral_ai"}
	sc := p.Scenario
	if sc == nil {
		a.PutStr("gen_ai.response.model", p.respModel)
		a.PutInt("gen_ai.usage.input_tokens", p.usage.Input)
		a.PutInt("gen_ai.usage.output_tokens", p.usage.Output)
	} else {
		msg := fmt.Sprintf("%d status code (no body)", sc.Status)
		e.errorType = openAIErrorType(sc.Status)
		switch {
		case sc.Status > 0:
		case sc.Name == ScenarioTimeout.Name:
			msg, e.errorType = "Request timed out.", "APIConnectionTimeoutError"
		default:
			msg, e.errorType = "Connection error.", "APIConnectionError"
		}
		a.PutStr("error.type", e.errorType)
		setError(s, msg)
		exceptionEvent(s, e.errorType, msg)
		e.ev = mistralapi.Evidence{StatusCode: mistralapi.ParseErrorMessage(msg).StatusCode, ErrorType: e.errorType, Message: msg}
	}
	if !p.extras {
		return e
	}
	c := b.span(svc, "@opentelemetry/instrumentation-undici", tid, s.SpanID(), "POST", ptrace.SpanKindClient, start.Add(time.Millisecond), p.dur-2*time.Millisecond)
	ca := c.Attributes()
	ca.PutStr("http.request.method", "POST")
	ca.PutStr("url.full", "https://"+mistralHost+"/v1/chat/completions")
	ca.PutStr("server.address", mistralHost)
	ca.PutInt("server.port", 443)
	switch {
	case sc == nil:
		ca.PutInt("http.response.status_code", 200)
	case sc.Status > 0:
		ca.PutInt("http.response.status_code", int64(sc.Status))
		c.Status().SetCode(ptrace.StatusCodeError)
	default:
		c.Status().SetCode(ptrace.StatusCodeError)
	}
	return e
}

// anthropicOverloaded is the failure of the Anthropic fallback spans.
const anthropicOverloaded = "Error code: 529 - {'type': 'error', 'error': {'type': 'overloaded_error', 'message': 'Overloaded'}}"

// anthropic: semconv spans of an Anthropic fallback, with cache usage. It
// fails with Anthropic's own 529 "overloaded" whatever the scenario.
func (b *builder) anthropic(p *plannedCall, svc string, tid pcommon.TraceID, parent pcommon.SpanID, start time.Time) emitted {
	s := b.span(svc, "opentelemetry.instrumentation.anthropic", tid, parent, "chat "+p.reqModel, ptrace.SpanKindClient, start, p.dur)
	a := s.Attributes()
	a.PutStr("gen_ai.provider.name", "anthropic")
	a.PutStr("gen_ai.operation.name", "chat")
	a.PutStr("gen_ai.request.model", p.reqModel)
	a.PutStr("server.address", "api.anthropic.com")
	e := emitted{span: s, hasProvider: true, provider: "anthropic"}
	if p.Scenario == nil {
		a.PutStr("gen_ai.response.model", p.respModel)
		a.PutInt("gen_ai.usage.input_tokens", p.usage.Input)
		a.PutInt("gen_ai.usage.output_tokens", p.usage.Output)
		if p.usage.CacheRead > 0 {
			a.PutInt("gen_ai.usage.cache_read.input_tokens", p.usage.CacheRead)
		}
		if p.usage.CacheWrite > 0 {
			a.PutInt("gen_ai.usage.cache_creation.input_tokens", p.usage.CacheWrite)
		}
		return e
	}
	e.errorType = "overloaded_error"
	a.PutStr("error.type", e.errorType)
	setError(s, "Overloaded")
	exceptionEvent(s, "anthropic.OverloadedError", anthropicOverloaded)
	e.ev = mistralapi.Evidence{StatusCode: 529, ErrorType: e.errorType, Message: "Overloaded " + anthropicOverloaded}
	return e
}
