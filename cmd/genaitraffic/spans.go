package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/pdata/ptrace/ptraceotlp"
)

// dialect is the instrumentation whose attributes a span imitates.
type dialect int

const (
	// dialectSemconv: the OTel GenAI semantic conventions.
	dialectSemconv dialect = iota
	// dialectOpenLLMetry: Traceloop's Python Mistral instrumentation.
	dialectOpenLLMetry
)

// fallbackModel is the second provider's model the demo fails over to.
const fallbackModel = "claude-sonnet-4-5"

// batch accumulates the spans of one export.
type batch struct {
	td    ptrace.Traces
	spans ptrace.SpanSlice
}

func newBatch(workspace string) *batch {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "demo-chat-app")
	rs.Resource().Attributes().PutStr("mistral.workspace", workspace)
	ss := rs.ScopeSpans().AppendEmpty()
	ss.Scope().SetName("genaitraffic")
	return &batch{td: td, spans: ss.Spans()}
}

func (b *batch) len() int { return b.spans.Len() }

// addCall records a call to Mistral: the GenAI span and, as HTTP client
// instrumentation would, a child HTTP span carrying the status code.
func (b *batch) addCall(sc scenario, r result) ptrace.Span {
	s := b.spans.AppendEmpty()
	s.SetTraceID(newTraceID())
	s.SetSpanID(newSpanID())
	s.SetKind(ptrace.SpanKindClient)
	s.SetStartTimestamp(pcommon.NewTimestampFromTime(r.start))
	s.SetEndTimestamp(pcommon.NewTimestampFromTime(r.end))
	a := s.Attributes()
	switch sc.dialect {
	case dialectOpenLLMetry:
		s.SetName("mistralai." + sc.operation)
		a.PutStr("gen_ai.system", "MistralAI")
		a.PutStr("llm.request.type", sc.operation)
	default:
		s.SetName(sc.operation + " " + sc.model)
		a.PutStr("gen_ai.provider.name", "mistral_ai")
		a.PutStr("gen_ai.operation.name", sc.operation)
	}
	a.PutStr("gen_ai.request.model", sc.model)
	a.PutStr("server.address", "api.mistral.ai")
	if r.err == nil && r.status == http.StatusOK {
		if r.responseModel != "" {
			a.PutStr("gen_ai.response.model", r.responseModel)
		}
		a.PutInt("gen_ai.usage.input_tokens", r.inputTokens)
		if sc.operation == "chat" {
			a.PutInt("gen_ai.usage.output_tokens", r.outputTokens)
		}
	} else {
		s.Status().SetCode(ptrace.StatusCodeError)
		ev := s.Events().AppendEmpty()
		ev.SetName("exception")
		ev.SetTimestamp(pcommon.NewTimestampFromTime(r.end))
		if r.err != nil {
			a.PutStr("error.type", "APIConnectionError")
			ev.Attributes().PutStr("exception.type", "APIConnectionError")
			ev.Attributes().PutStr("exception.message", r.err.Error())
		} else {
			// The Python SDK's SDKError: status and body only inside the message.
			a.PutStr("error.type", "SDKError")
			ev.Attributes().PutStr("exception.type", "SDKError")
			ev.Attributes().PutStr("exception.message", fmt.Sprintf("API error occurred: Status %d Content-Type application/json Body %s",
				r.status, strings.TrimSpace(string(r.body))))
		}
	}
	if r.status != 0 {
		h := b.spans.AppendEmpty()
		h.SetTraceID(s.TraceID())
		h.SetSpanID(newSpanID())
		h.SetParentSpanID(s.SpanID())
		h.SetKind(ptrace.SpanKindClient)
		h.SetName("POST")
		h.SetStartTimestamp(s.StartTimestamp())
		h.SetEndTimestamp(s.EndTimestamp())
		h.Attributes().PutStr("http.request.method", "POST")
		h.Attributes().PutInt("http.response.status_code", int64(r.status))
		h.Attributes().PutStr("server.address", "api.mistral.ai")
		if r.status >= 400 {
			h.Status().SetCode(ptrace.StatusCodeError)
		}
	}
	return s
}

// addFallback records the call to the fallback provider, in the same trace.
func (b *batch) addFallback(failed ptrace.Span, at time.Time) {
	s := b.spans.AppendEmpty()
	s.SetTraceID(failed.TraceID())
	s.SetSpanID(newSpanID())
	s.SetKind(ptrace.SpanKindClient)
	s.SetName("chat " + fallbackModel)
	s.SetStartTimestamp(pcommon.NewTimestampFromTime(at))
	s.SetEndTimestamp(pcommon.NewTimestampFromTime(at.Add(700 * time.Millisecond)))
	a := s.Attributes()
	a.PutStr("gen_ai.provider.name", "anthropic")
	a.PutStr("gen_ai.operation.name", "chat")
	a.PutStr("gen_ai.request.model", fallbackModel)
	a.PutStr("gen_ai.response.model", fallbackModel)
	a.PutInt("gen_ai.usage.input_tokens", 24)
	a.PutInt("gen_ai.usage.output_tokens", 48)
	a.PutStr("server.address", "api.anthropic.com")
}

// send exports a batch to the collector over OTLP/HTTP (protobuf).
func send(ctx context.Context, client *http.Client, endpoint string, b *batch) error {
	body, err := ptraceotlp.NewExportRequestFromTraces(b.td).MarshalProto()
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(endpoint, "/")+"/v1/traces", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-protobuf")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("collector answered %s: %s", fmtStatus(resp.StatusCode), msg)
	}
	return nil
}

func newTraceID() pcommon.TraceID {
	var id pcommon.TraceID
	_, _ = rand.Read(id[:])
	return id
}

func newSpanID() pcommon.SpanID {
	var id pcommon.SpanID
	_, _ = rand.Read(id[:])
	return id
}
