package llmenrichprocessor // import "github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor"

import (
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

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

	// OpenInference.
	oiKind, oiProvider, oiSystem               string
	oiModel, oiRequestModel, oiResponseModel   string
	oiInvocation, oiEmbeddingModel, oiMetadata string
	oiCost                                     pcommon.Value
	hasOICost                                  bool

	hasProviderName, hasErrorType, hasCost, hasWorkspace bool
	hasMistralErrCode, hasMistralErrType                 bool
	hasHeaders                                           bool
	// hasUsageCost: gen_ai.usage.cost itself (hasCost also counts the
	// #443 amount and OpenInference's llm.cost.total).
	hasUsageCost bool
	// Left by an earlier llm_enrich (an agent collector before a gateway).
	hasPriceMissing, hasErrorClass bool

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
	promptTok, complTok, oiPromptTok, oiComplTok      tokenField
	llmPromptTok, llmComplTok                         tokenField
	aiPrompt, aiCompl, aiIn, aiOut, aiCached, aiEmbed tokenField
	cacheReadOld, oiCacheRead                         tokenField
	cacheCreation, cacheWriteOld, cacheCreationOld    tokenField
	oiCacheWrite                                      tokenField
}

// readKeys are the span attributes scan reads, in every dialect (README.md
// lists them: TestDocumentedAttributes). scan skips any other key after one
// bit test on its length and first byte (readFilter).
var readKeys = [...]string{
	keyProviderName, keySystem, keyOperationName, keyRequestModel, keyResponseModel, keyInputTokens,
	keyOutputTokens, keyPromptTokens, keyCompletionTokens, keyCacheReadTokens, keyCacheReadTokensOld,
	keyCacheWriteTokens, keyCacheCreationTokens, keyCacheWriteTokensO, keyCacheCreationTokensO,
	attrUsageCost, attrCostAmount, keyOICostTotal, keyOISpanKind, keyOIProvider, keyOISystem,
	keyOIModelName, keyOIRequestModel, keyOIResponseModel, keyOIInvocation, keyOIEmbeddingModel,
	keyOIMetadata, keyOIPromptTokens, keyOICompletion, keyOICacheRead, keyOICacheWrite,
	attrPriceMissing, attrErrorClass, keyLLMRequestType, keyLLMPromptTokens, keyLLMCompletionTokens,
	keyVercelProvider, keyVercelModelID, keyVercelOperationID, keyVercelPromptTokens,
	keyVercelCompletion, keyVercelInputTokens, keyVercelOutputTokens, keyVercelCachedInput,
	keyVercelEmbedTokens, keyServerAddress, attrErrorType, keyHTTPStatus, keyHTTPStatusOld,
	keyMistralErrCode, keyMistralErrType, attrWorkspace,
}

// detectKeys are the attributes that mark an LLM span, in every dialect.
var detectKeys = [...]string{
	keyProviderName, keySystem, keyOperationName, keyRequestModel, keyLLMRequestType, keyVercelProvider,
	keyVercelModelID, keyOISpanKind, keyOIProvider, keyOISystem, keyOIModelName,
}

var readFilter, detectFilter = newKeyFilter(readKeys[:]), newKeyFilter(detectKeys[:])

// keyFilter has bit b of word [n][b/64] set when one of its keys has
// length n and starts with byte b: most other keys fail its test.
type keyFilter [maxKeyLen + 1][4]uint64

// maxKeyLen is the length of the longest key a filter holds.
const maxKeyLen = 48

func newKeyFilter(keys []string) *keyFilter {
	f := new(keyFilter)
	for _, k := range keys {
		f[len(k)][k[0]>>6] |= 1 << (k[0] & 63)
	}
	return f
}

// mayHold reports whether k could be one of the filter's keys.
func (f *keyFilter) mayHold(k string) bool {
	if len(k) == 0 || len(k) > maxKeyLen {
		return false
	}
	b := k[0]
	return f[len(k)][b>>6]&(1<<(b&63)) != 0
}

// mayBeLLM is the test every span goes through: one pass over its keys
// looking for detectKeys, without allocating; a key that fails the filter
// costs one bit test. Span names ("mistralai.chat") only mark an LLM span in
// scopes whose name mentions Mistral (checkName: OpenLLMetry's
// opentelemetry.instrumentation.mistralai).
func mayBeLLM(span ptrace.Span, checkName bool) bool {
	found := false
	span.Attributes().Range(func(k string, _ pcommon.Value) bool {
		if detectFilter.mayHold(k) {
			for _, d := range detectKeys {
				if k == d {
					found = true
					break
				}
			}
		}
		return !found
	})
	if found {
		return true
	}
	return checkName && strings.HasPrefix(span.Name(), "mistralai.")
}

// scan reads the attributes of a span in one pass: one switch over whole
// keys (Go compiles it to a search on the key's length first). Tokens follow
// the precedence current semconv → deprecated semconv → OpenInference →
// OpenLLMetry llm.usage.* → Vercel ai.*, resolved after the pass because
// attribute order is arbitrary. gen_ai.usage.reasoning.output_tokens and
// llm.token_count.completion_details.reasoning are not read: reasoning
// tokens are already inside the output tokens. Captured response headers are looked for only on failed calls
// (hasHeaderAttrs). It runs on LLM spans only (mayBeLLM).
func (f *fields) scan(attrs pcommon.Map) {
	var low lowTokens
	attrs.Range(func(k string, v pcommon.Value) bool {
		if !readFilter.mayHold(k) {
			return true
		}
		switch k {
		case keyProviderName:
			f.providerName, f.hasProviderName = strVal(v), true
		case keySystem:
			f.system = strVal(v)
		case keyOperationName:
			f.operation = strVal(v)
		case keyRequestModel:
			f.requestModel = strVal(v)
		case keyResponseModel:
			f.responseModel = strVal(v)
		case keyInputTokens:
			f.input.set(v)
		case keyOutputTokens:
			f.output.set(v)
		case keyPromptTokens:
			low.promptTok.set(v)
		case keyCompletionTokens:
			low.complTok.set(v)
		case keyCacheReadTokens:
			f.cacheRead.set(v)
		case keyCacheReadTokensOld:
			low.cacheReadOld.set(v)
		case keyCacheWriteTokens:
			f.cacheWrite.set(v)
		case keyCacheCreationTokens:
			low.cacheCreation.set(v)
		case keyCacheWriteTokensO:
			low.cacheWriteOld.set(v)
		case keyCacheCreationTokensO:
			low.cacheCreationOld.set(v)
		case attrUsageCost:
			f.hasCost, f.hasUsageCost = true, true
		case attrCostAmount:
			f.hasCost = true
		case keyOICostTotal:
			f.oiCost, f.hasOICost, f.hasCost = v, true, true
		case keyOISpanKind:
			f.oiKind = strVal(v)
		case keyOIProvider:
			f.oiProvider = strVal(v)
		case keyOISystem:
			f.oiSystem = strVal(v)
		case keyOIModelName:
			f.oiModel = strVal(v)
		case keyOIRequestModel:
			f.oiRequestModel = strVal(v)
		case keyOIResponseModel:
			f.oiResponseModel = strVal(v)
		case keyOIInvocation:
			f.oiInvocation = strVal(v)
		case keyOIEmbeddingModel:
			f.oiEmbeddingModel = strVal(v)
		case keyOIMetadata:
			f.oiMetadata = strVal(v)
		case keyOIPromptTokens:
			low.oiPromptTok.set(v)
		case keyOICompletion:
			low.oiComplTok.set(v)
		case keyOICacheRead:
			low.oiCacheRead.set(v)
		case keyOICacheWrite:
			low.oiCacheWrite.set(v)
		case attrPriceMissing:
			f.hasPriceMissing = true
		case attrErrorClass:
			f.hasErrorClass = true
		case keyLLMRequestType:
			f.llmRequestType = strVal(v)
		case keyLLMPromptTokens:
			low.llmPromptTok.set(v)
		case keyLLMCompletionTokens:
			low.llmComplTok.set(v)
		case keyVercelProvider:
			f.vercelProvider = strVal(v)
		case keyVercelModelID:
			f.vercelModelID = strVal(v)
		case keyVercelOperationID:
			f.vercelOpID = strVal(v)
		case keyVercelPromptTokens:
			low.aiPrompt.set(v)
		case keyVercelCompletion:
			low.aiCompl.set(v)
		case keyVercelInputTokens:
			low.aiIn.set(v)
		case keyVercelOutputTokens:
			low.aiOut.set(v)
		case keyVercelCachedInput:
			low.aiCached.set(v)
		case keyVercelEmbedTokens:
			low.aiEmbed.set(v)
		case keyServerAddress:
			f.serverAddress = strVal(v)
		case attrErrorType:
			f.errorType, f.hasErrorType = strVal(v), true
		case keyHTTPStatus:
			f.httpStatus, f.hasStatus = v, true
		case keyHTTPStatusOld:
			if !f.hasStatus {
				f.httpStatus, f.hasStatus = v, true
			}
		case keyMistralErrCode:
			f.mistralErrCode, f.hasMistralErrCode = anyText(v), true
		case keyMistralErrType:
			f.mistralErrType, f.hasMistralErrType = strVal(v), true
		case attrWorkspace:
			f.hasWorkspace = true
		}
		return true
	})
	for _, t := range [...]*tokenField{&low.promptTok, &low.oiPromptTok, &low.llmPromptTok, &low.aiIn, &low.aiPrompt, &low.aiEmbed} {
		f.input.setFrom(*t)
	}
	for _, t := range [...]*tokenField{&low.complTok, &low.oiComplTok, &low.llmComplTok, &low.aiOut, &low.aiCompl} {
		f.output.setFrom(*t)
	}
	for _, t := range [...]*tokenField{&low.cacheReadOld, &low.oiCacheRead, &low.aiCached} {
		f.cacheRead.setFrom(*t)
	}
	for _, t := range [...]*tokenField{&low.cacheCreation, &low.cacheWriteOld, &low.cacheCreationOld, &low.oiCacheWrite} {
		f.cacheWrite.setFrom(*t)
	}
}

// hasHeaderAttrs reports whether the span captured HTTP response headers
// (http.response.header.*).
func hasHeaderAttrs(attrs pcommon.Map) bool {
	found := false
	attrs.Range(func(k string, _ pcommon.Value) bool {
		found = isHeaderKey(k)
		return !found
	})
	return found
}

// isHeaderKey reports a captured response header attribute.
func isHeaderKey(k string) bool {
	return len(k) > len(headerAttrPrefix) && k[:len(headerAttrPrefix)] == headerAttrPrefix
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

// isModelCall decides whether an LLM span (mayBeLLM) is one call to a model, the
// only kind of span the processor enriches. Agent, step, workflow and tool
// spans, and the Vercel AI SDK's outer ai.generateText-style spans, wrap
// model calls and repeat their usage and errors: enriching them too would
// count each cost and each 429 twice or three times.
func (f *fields) isModelCall(spanName string) bool {
	// OpenInference: only LLM and EMBEDDING spans are calls (CHAIN, AGENT,
	// TOOL, RETRIEVER, ... wrap them).
	if f.oiKind != "" {
		return f.oiKind == "LLM" || f.oiKind == "EMBEDDING"
	}
	// Vercel AI SDK (legacy ai.* telemetry): ai.generateText wraps
	// ai.generateText.doGenerate, the actual call.
	if op := f.vercelOpID; op != "" || strings.HasPrefix(spanName, "ai.") {
		if op == "" {
			op = spanName
		}
		return strings.HasSuffix(op, ".doGenerate") || strings.HasSuffix(op, ".doStream") || strings.HasSuffix(op, ".doEmbed")
	}
	op := f.operation
	if op == "" {
		op = f.llmRequestType
	}
	if op != "" {
		return !wrapperOperation(op)
	}
	// No operation name: a call only when it names a model or carries usage;
	// the Vercel AI SDK 7 "step N" spans are steps of an agent.
	if isStepName(spanName) {
		return false
	}
	return f.requestModel != "" || f.responseModel != "" || f.vercelModelID != "" || f.oiModel != "" ||
		f.hasUsage() || strings.HasPrefix(spanName, "mistralai.")
}

// wrapperOperation reports operations that are not a call to a model.
func wrapperOperation(op string) bool {
	switch op {
	case "invoke_agent", "create_agent", "execute_tool", "invoke_workflow", "retrieval",
		"vectordb", "framework", "agent", "workflow", "task", "tool", "step":
		return true
	}
	return false
}

// isStepName matches "step 1", "step 12" (Vercel AI SDK 7).
func isStepName(name string) bool {
	rest, ok := strings.CutPrefix(name, "step ")
	if !ok || rest == "" {
		return false
	}
	for i := 0; i < len(rest); i++ {
		if rest[i] < '0' || rest[i] > '9' {
			return false
		}
	}
	return true
}
