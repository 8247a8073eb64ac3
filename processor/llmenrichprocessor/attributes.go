package llmenrichprocessor // import "github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor"

// Attributes this processor writes. The names are a contract with the
// Prometheus rules and dashboards built on them: see README.md.
const (
	// attrProviderName is the normalised provider, written when the span lacks it.
	attrProviderName = "gen_ai.provider.name"
	// attrUsageCost is the total cost of the call in USD (OpenLIT's name).
	attrUsageCost = "gen_ai.usage.cost"
	// attrCostAmount, attrCostCurrency and attrCostSource are the cost as
	// proposed in semantic-conventions-genai #443 (pricing.cost_proposal).
	attrCostAmount   = "gen_ai.usage.cost.amount"
	attrCostCurrency = "gen_ai.usage.cost.currency"
	attrCostSource   = "gen_ai.usage.cost.source"
	// attrCostInput is the cost of the uncached input tokens, USD (pricing.breakdown).
	attrCostInput = "llm_enrich.cost.input"
	// attrCostOutput is the cost of the output tokens, USD (pricing.breakdown).
	attrCostOutput = "llm_enrich.cost.output"
	// attrCostCacheRead is the cost of the cached input tokens, USD (pricing.breakdown, > 0 tokens).
	attrCostCacheRead = "llm_enrich.cost.cache_read"
	// attrCostCacheWrite is the cost of the cache write tokens, USD (pricing.breakdown, > 0 tokens).
	attrCostCacheWrite = "llm_enrich.cost.cache_write"
	// attrPriceModel is the price-table row used (pricing.breakdown).
	attrPriceModel = "llm_enrich.price.model"
	// attrPriceSource is where that row came from: inline, file or builtin (pricing.breakdown).
	attrPriceSource = "llm_enrich.price.source"
	// attrPriceMissing is true when the span has token usage but its model has no price.
	attrPriceMissing = "llm_enrich.price.missing"
	// attrErrorClass is the class of a failed call (mistralapi.Class values).
	attrErrorClass = "llm_enrich.error.class"
	// attrErrorLimit is the rate limit a 429 hit, when known.
	attrErrorLimit = "llm_enrich.error.limit"
	// attrErrorRetryable tells whether the same call may succeed later.
	attrErrorRetryable = "llm_enrich.error.retryable"
	// attrErrorFallback tells whether the failure is worth a fallback to another provider.
	attrErrorFallback = "llm_enrich.error.fallback"
	// attrMistralErrorType is Mistral's error "type", when a body carries it.
	attrMistralErrorType = "mistral_ai.error.type"
	// attrMistralErrorCode is Mistral's error "code", when a body carries it.
	attrMistralErrorCode = "mistral_ai.error.code"
	// attrErrorType is set to the class when the span has no error.type.
	attrErrorType = "error.type"
	// attrWorkspace is the configured workspace, written on Mistral spans lacking it.
	attrWorkspace = "mistral.workspace"
)

// writtenAttributes lists every attribute key the processor may add to a span.
var writtenAttributes = [...]string{
	attrProviderName, attrUsageCost, attrCostAmount, attrCostCurrency, attrCostSource,
	attrCostInput, attrCostOutput, attrCostCacheRead, attrCostCacheWrite, attrPriceModel,
	attrPriceSource, attrPriceMissing, attrErrorClass, attrErrorLimit, attrErrorRetryable,
	attrErrorFallback, attrMistralErrorType, attrMistralErrorCode, attrErrorType, attrWorkspace,
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

	// OpenInference (Arize Phoenix, its instrumentations for the Mistral,
	// OpenAI and LangChain clients, LlamaIndex).
	keyOISpanKind       = "openinference.span.kind"
	keyOIProvider       = "llm.provider"
	keyOISystem         = "llm.system"
	keyOIModelName      = "llm.model_name"
	keyOIRequestModel   = "llm.request.model_name"
	keyOIResponseModel  = "llm.response.model_name"
	keyOIInvocation     = "llm.invocation_parameters"
	keyOIEmbeddingModel = "embedding.model_name"
	keyOIMetadata       = "metadata" // JSON; LangChain's holds ls_provider
	keyOIPromptTokens   = "llm.token_count.prompt"
	keyOICompletion     = "llm.token_count.completion"
	keyOICacheRead      = "llm.token_count.prompt_details.cache_read"
	keyOICacheWrite     = "llm.token_count.prompt_details.cache_write"
	keyOICostTotal      = "llm.cost.total"

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
	keyCacheWriteTokens     = "gen_ai.usage.cache_write.input_tokens"
	keyCacheWriteTokensO    = "gen_ai.usage.cache_write_input_tokens"
	keyCacheCreationTokens  = "gen_ai.usage.cache_creation.input_tokens"
	keyCacheCreationTokensO = "gen_ai.usage.cache_creation_input_tokens"

	// headerAttrPrefix prefixes captured HTTP response headers (values are
	// string arrays in the semantic conventions, plain strings in some SDKs).
	headerAttrPrefix = "http.response.header."

	eventException      = "exception"
	keyExceptionMessage = "exception.message"
	keyExceptionType    = "exception.type"
)
