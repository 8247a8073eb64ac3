package llmenrichprocessor // import "github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor"

// Attributes this processor writes. The names are a contract with the
// Prometheus rules and dashboards built on them: see README.md.
const (
	// AttrProviderName is the normalised provider, written when the span lacks it.
	AttrProviderName = "gen_ai.provider.name"
	// AttrUsageCost is the total cost of the call in USD (OpenLIT's name).
	AttrUsageCost = "gen_ai.usage.cost"
	// AttrCostInput is the cost of the uncached input tokens, USD.
	AttrCostInput = "llm_enrich.cost.input"
	// AttrCostOutput is the cost of the output tokens, USD.
	AttrCostOutput = "llm_enrich.cost.output"
	// AttrCostCacheRead is the cost of the cached input tokens, USD (when > 0 tokens).
	AttrCostCacheRead = "llm_enrich.cost.cache_read"
	// AttrCostCacheWrite is the cost of the cache creation tokens, USD (when > 0 tokens).
	AttrCostCacheWrite = "llm_enrich.cost.cache_write"
	// AttrPriceModel is the price-table row used.
	AttrPriceModel = "llm_enrich.price.model"
	// AttrPriceSource is where that row came from: inline, file or builtin.
	AttrPriceSource = "llm_enrich.price.source"
	// AttrPriceMissing is true when the span has token usage but its model has no price.
	AttrPriceMissing = "llm_enrich.price.missing"
	// AttrErrorClass is the class of a failed call (mistralapi.Class values).
	AttrErrorClass = "llm_enrich.error.class"
	// AttrErrorLimit is the rate limit a 429 hit, when known.
	AttrErrorLimit = "llm_enrich.error.limit"
	// AttrErrorRetryable tells whether the same call may succeed later.
	AttrErrorRetryable = "llm_enrich.error.retryable"
	// AttrErrorFallback tells whether the failure is worth a fallback to another provider.
	AttrErrorFallback = "llm_enrich.error.fallback"
	// AttrMistralErrorType is Mistral's error "type", when a body carries it.
	AttrMistralErrorType = "mistral_ai.error.type"
	// AttrMistralErrorCode is Mistral's error "code", when a body carries it.
	AttrMistralErrorCode = "mistral_ai.error.code"
	// AttrErrorType is set to the class when the span has no error.type.
	AttrErrorType = "error.type"
	// AttrWorkspace is the configured workspace, written on Mistral spans lacking it.
	AttrWorkspace = "mistral.workspace"
)

// WrittenAttributes lists every attribute key the processor may add to a span.
var WrittenAttributes = []string{
	AttrProviderName, AttrUsageCost, AttrCostInput, AttrCostOutput, AttrCostCacheRead,
	AttrCostCacheWrite, AttrPriceModel, AttrPriceSource, AttrPriceMissing, AttrErrorClass,
	AttrErrorLimit, AttrErrorRetryable, AttrErrorFallback, AttrMistralErrorType,
	AttrMistralErrorCode, AttrErrorType, AttrWorkspace,
}

// Attributes read from spans, in every dialect.
const (
	keyProviderName      = "gen_ai.provider.name"
	keySystem            = "gen_ai.system"
	keyOperationName     = "gen_ai.operation.name"
	keyRequestModel      = "gen_ai.request.model"
	keyResponseModel     = "gen_ai.response.model"
	keyLLMRequestType    = "llm.request.type"
	keyVercelProvider    = "ai.model.provider"
	keyVercelModelID     = "ai.model.id"
	keyVercelOperationID = "ai.operationId"
	keyServerAddress     = "server.address"
	keyHTTPStatus        = "http.response.status_code"
	keyHTTPStatusOld     = "http.status_code"
	keyMistralErrCode    = "mistral_ai.error.code"
	keyMistralErrType    = "mistral_ai.error.type"

	keyInputTokens          = "gen_ai.usage.input_tokens"
	keyOutputTokens         = "gen_ai.usage.output_tokens"
	keyPromptTokens         = "gen_ai.usage.prompt_tokens"
	keyCompletionTokens     = "gen_ai.usage.completion_tokens"
	keyLLMPromptTokens      = "llm.usage.prompt_tokens"
	keyLLMCompletionTokens  = "llm.usage.completion_tokens"
	keyVercelPromptTokens   = "ai.usage.promptTokens"
	keyVercelCompletion     = "ai.usage.completionTokens"
	keyVercelInputTokens    = "ai.usage.inputTokens"
	keyVercelOutputTokens   = "ai.usage.outputTokens"
	keyVercelCachedInput    = "ai.usage.cachedInputTokens"
	keyVercelEmbedTokens    = "ai.usage.tokens"
	keyCacheReadTokens      = "gen_ai.usage.cache_read.input_tokens"
	keyCacheReadTokensOld   = "gen_ai.usage.cache_read_input_tokens"
	keyCacheCreationTokens  = "gen_ai.usage.cache_creation.input_tokens"
	keyCacheCreationTokensO = "gen_ai.usage.cache_creation_input_tokens"

	// headerAttrPrefix prefixes captured HTTP response headers (values are
	// string arrays in the semantic conventions, plain strings in some SDKs).
	headerAttrPrefix = "http.response.header."

	eventException      = "exception"
	keyExceptionMessage = "exception.message"
	keyExceptionType    = "exception.type"
)
