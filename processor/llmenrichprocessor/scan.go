package llmenrichprocessor // import "github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor"

import (
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// mayBeLLM is the cheap test every span goes through: one pass over the
// attribute keys comparing a byte or a few, without allocating. It is true
// for every LLM span in every dialect (their identifying attributes all
// start with "gen_ai.", "llm." or "ai.") and for a few other spans, which
// scan then rejects. Span names ("mistralai.chat") are only looked at in
// scopes whose name mentions Mistral (OpenLLMetry's
// opentelemetry.instrumentation.mistralai): reading every span's name would
// cost a cache miss per span for nothing.
func mayBeLLM(span ptrace.Span, checkName bool) bool {
	found := false
	span.Attributes().Range(func(k string, _ pcommon.Value) bool {
		if len(k) < 4 {
			return true
		}
		switch k[0] {
		case 'g':
			found = len(k) > 7 && k[:7] == "gen_ai."
		case 'l':
			found = k[:4] == "llm."
		case 'a':
			found = k[:3] == "ai."
		}
		return !found
	})
	if found {
		return true
	}
	if checkName {
		name := span.Name()
		return len(name) > 10 && name[:10] == "mistralai."
	}
	return false
}

// tokenField is one token count as read from a span.
type tokenField struct {
	v     pcommon.Value
	state uint8 // fieldAbsent, fieldSet
}

const (
	fieldAbsent uint8 = iota
	fieldSet
)

func (t *tokenField) set(v pcommon.Value) {
	if t.state == fieldAbsent {
		t.v, t.state = v, fieldSet
	}
}

// fields are the attributes of a candidate span the processor reads, found in
// one pass. String fields hold "" when the attribute is absent or not a
// string; the has* flags tell presence whatever the type, for the "write only
// when absent" rules.
type fields struct {
	providerName, system, operation, llmRequestType string
	requestModel, responseModel                     string
	vercelProvider, vercelModelID, vercelOpID       string
	serverAddress, errorType                        string
	mistralErrCode, mistralErrType                  string

	hasProviderName, hasErrorType, hasCost, hasWorkspace bool
	hasMistralErrCode, hasMistralErrType                 bool
	hasHeaders                                           bool
	// detected is true when an attribute that marks an LLM span is present.
	detected bool

	httpStatus pcommon.Value
	hasStatus  bool

	// Token counts in precedence order within each kind (first present wins).
	input, output, cacheRead, cacheWrite tokenField
}

// strVal returns v's string, or "" when v is not a string: reading never
// allocates, and a wrong-typed attribute counts as absent for reading.
func strVal(v pcommon.Value) string {
	if v.Type() == pcommon.ValueTypeStr {
		return v.Str()
	}
	return ""
}

// lowTokens are token keys of lower precedence, applied after the pass.
type lowTokens struct {
	promptTok, complTok, llmPromptTok, llmComplTok    tokenField
	aiPrompt, aiCompl, aiIn, aiOut, aiCached, aiEmbed tokenField
	cacheReadOld, cacheWriteOld                       tokenField
}

// scan reads the attributes of a candidate span in one pass, dispatching on
// the key's first byte and namespace so that the many attributes it does not
// read (prompts, request parameters) cost a byte comparison or two. Tokens
// follow the precedence current semconv → deprecated semconv → OpenLLMetry
// llm.* → Vercel ai.*, resolved after the pass because attribute order is
// arbitrary.
func (f *fields) scan(attrs pcommon.Map) {
	var low lowTokens
	attrs.Range(func(k string, v pcommon.Value) bool {
		if len(k) < 8 {
			return true
		}
		switch k[0] {
		case 'g':
			if k[:7] == "gen_ai." {
				f.scanGenAI(k[7:], v, &low)
			}
		case 'l':
			if k[:4] == "llm." {
				f.scanLLM(k[4:], v, &low)
			}
		case 'a':
			if k[:3] == "ai." {
				f.scanAI(k[3:], v, &low)
			}
		case 's':
			if k == keyServerAddress {
				f.serverAddress = strVal(v)
			}
		case 'e':
			if k == AttrErrorType {
				f.errorType, f.hasErrorType = strVal(v), true
			}
		case 'h':
			switch {
			case k == keyHTTPStatus:
				f.httpStatus, f.hasStatus = v, true
			case k == keyHTTPStatusOld:
				if !f.hasStatus {
					f.httpStatus, f.hasStatus = v, true
				}
			case len(k) > len(headerAttrPrefix) && k[:len(headerAttrPrefix)] == headerAttrPrefix:
				f.hasHeaders = true
			}
		case 'm':
			switch k {
			case keyMistralErrCode:
				f.mistralErrCode, f.hasMistralErrCode = anyText(v), true
			case keyMistralErrType:
				f.mistralErrType, f.hasMistralErrType = strVal(v), true
			case AttrWorkspace:
				f.hasWorkspace = true
			}
		}
		return true
	})
	for _, t := range [...]*tokenField{&low.promptTok, &low.llmPromptTok, &low.aiIn, &low.aiPrompt, &low.aiEmbed} {
		f.input.setFrom(*t)
	}
	for _, t := range [...]*tokenField{&low.complTok, &low.llmComplTok, &low.aiOut, &low.aiCompl} {
		f.output.setFrom(*t)
	}
	f.cacheRead.setFrom(low.cacheReadOld)
	f.cacheRead.setFrom(low.aiCached)
	f.cacheWrite.setFrom(low.cacheWriteOld)
}

// scanGenAI reads a gen_ai.* attribute (k without the namespace).
func (f *fields) scanGenAI(k string, v pcommon.Value, low *lowTokens) {
	switch k {
	case "provider.name":
		f.providerName, f.hasProviderName, f.detected = strVal(v), true, true
	case "system":
		f.system, f.detected = strVal(v), true
	case "operation.name":
		f.operation, f.detected = strVal(v), true
	case "request.model":
		f.requestModel, f.detected = strVal(v), true
	case "response.model":
		f.responseModel = strVal(v)
	case "usage.input_tokens":
		f.input.set(v)
	case "usage.output_tokens":
		f.output.set(v)
	case "usage.prompt_tokens":
		low.promptTok.set(v)
	case "usage.completion_tokens":
		low.complTok.set(v)
	case "usage.cache_read.input_tokens":
		f.cacheRead.set(v)
	case "usage.cache_read_input_tokens":
		low.cacheReadOld.set(v)
	case "usage.cache_creation.input_tokens":
		f.cacheWrite.set(v)
	case "usage.cache_creation_input_tokens":
		low.cacheWriteOld.set(v)
	case "usage.cost":
		f.hasCost = true
	}
}

// scanLLM reads an llm.* attribute (OpenLLMetry).
func (f *fields) scanLLM(k string, v pcommon.Value, low *lowTokens) {
	switch k {
	case "request.type":
		f.llmRequestType, f.detected = strVal(v), true
	case "usage.prompt_tokens":
		low.llmPromptTok.set(v)
	case "usage.completion_tokens":
		low.llmComplTok.set(v)
	}
}

// scanAI reads an ai.* attribute (Vercel AI SDK).
func (f *fields) scanAI(k string, v pcommon.Value, low *lowTokens) {
	switch k {
	case "model.provider":
		f.vercelProvider, f.detected = strVal(v), true
	case "model.id":
		f.vercelModelID, f.detected = strVal(v), true
	case "operationId":
		f.vercelOpID = strVal(v)
	case "usage.promptTokens":
		low.aiPrompt.set(v)
	case "usage.completionTokens":
		low.aiCompl.set(v)
	case "usage.inputTokens":
		low.aiIn.set(v)
	case "usage.outputTokens":
		low.aiOut.set(v)
	case "usage.cachedInputTokens":
		low.aiCached.set(v)
	case "usage.tokens":
		low.aiEmbed.set(v)
	}
}

func (t *tokenField) setFrom(o tokenField) {
	if t.state == fieldAbsent && o.state != fieldAbsent {
		*t = o
	}
}

// anyText returns a string attribute's value, or an integer's digits
// (mistral_ai.error.code is "1300" in the SDK, but a number elsewhere).
func anyText(v pcommon.Value) string {
	switch v.Type() {
	case pcommon.ValueTypeStr:
		return v.Str()
	case pcommon.ValueTypeInt:
		return v.AsString()
	}
	return ""
}

// usesUsage reports whether any token count is present.
func (f *fields) hasUsage() bool {
	return f.input.state != fieldAbsent || f.output.state != fieldAbsent ||
		f.cacheRead.state != fieldAbsent || f.cacheWrite.state != fieldAbsent
}
