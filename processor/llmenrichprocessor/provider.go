package llmenrichprocessor // import "github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor"

import "strings"

// provider returns the span's provider, normalised to the GenAI semconv
// value, and whether the span names it as the provider serving the call
// (hosting). Sources, first present wins: gen_ai.provider.name,
// gen_ai.system, llm.provider (OpenInference's hosting provider),
// ai.model.provider, the ls_provider of OpenInference's metadata (LangChain:
// "mistral" for ChatMistralAI), a "mistralai." span name; then llm.system, which is
// only the client's API shape (OpenInference's OpenAI instrumentation says
// "openai" for any OpenAI-compatible server), so not hosting. An OpenAI
// client pointed at Mistral's OpenAI-compatible endpoint says "openai";
// server.address tells the truth.
func (f *fields) provider(spanName string) (p string, hosting bool) {
	raw := f.providerName
	for _, r := range [...]string{f.system, f.oiProvider, f.vercelProvider} {
		if raw != "" {
			break
		}
		raw = r
	}
	if raw == "" && f.oiMetadata != "" && f.oiKind != "" {
		raw = jsonTopString(f.oiMetadata, "ls_provider")
	}
	hosting = true
	switch {
	case raw != "":
		p = normalizeProvider(raw)
	case strings.HasPrefix(spanName, "mistralai."):
		p = providerMistral
	case f.oiSystem != "":
		p, hosting = normalizeProvider(f.oiSystem), false
	}
	if (p == "openai" || p == "") && isMistralHost(f.serverAddress) {
		p, hosting = providerMistral, true
	}
	return p, hosting
}

// providerMistral is the GenAI semconv provider name of Mistral AI.
const providerMistral = "mistral_ai"

// isMistralHost reports api.mistral.ai, codestral.mistral.ai and the like,
// with or without a port (the Mistral TypeScript SDK includes it).
func isMistralHost(addr string) bool {
	if addr == "" {
		return false
	}
	if i := strings.LastIndexByte(addr, ':'); i >= 0 {
		addr = addr[:i]
	}
	return addr == "mistral.ai" || strings.HasSuffix(addr, ".mistral.ai")
}

// providerNames maps the provider ids of every dialect (semconv current and
// past values, OpenLLMetry's capitalised names, the Vercel AI SDK's
// "<provider>.<api>" ids, LiteLLM's and OpenInference's ids) to the semconv
// value.
var providerNames = map[string]string{
	"mistral_ai": providerMistral, "mistralai": providerMistral, "mistral": providerMistral,
	"MistralAI": providerMistral, "Mistral": providerMistral, "mistral.chat": providerMistral,
	"mistral.embedding": providerMistral, "mistral.completion": providerMistral,

	"openai": "openai", "OpenAI": "openai", "openai.chat": "openai", "openai.responses": "openai",
	"openai.completion": "openai", "openai.embedding": "openai",

	"azure.ai.openai": "azure.ai.openai", "az.ai.openai": "azure.ai.openai", "azure": "azure.ai.openai",
	"azure_openai": "azure.ai.openai", "azure-openai": "azure.ai.openai", "azure.chat": "azure.ai.openai",
	"azure.responses": "azure.ai.openai", "azure.ai.inference": "azure.ai.inference", "az.ai.inference": "azure.ai.inference",

	"anthropic": "anthropic", "Anthropic": "anthropic", "anthropic.messages": "anthropic",
	"cohere": "cohere", "Cohere": "cohere", "cohere.chat": "cohere",
	"groq": "groq", "Groq": "groq", "groq.chat": "groq",
	"deepseek": "deepseek", "DeepSeek": "deepseek", "deepseek.chat": "deepseek",
	"x_ai": "x_ai", "xai": "x_ai", "xai.chat": "x_ai", "xai.responses": "x_ai", "x-ai": "x_ai",
	"perplexity": "perplexity", "perplexity.chat": "perplexity",

	"aws.bedrock": "aws.bedrock", "aws_bedrock": "aws.bedrock", "bedrock": "aws.bedrock",
	"amazon-bedrock": "aws.bedrock", "amazon_bedrock": "aws.bedrock", "amazon-bedrock.chat": "aws.bedrock",

	"gcp.vertex_ai": "gcp.vertex_ai", "vertex_ai": "gcp.vertex_ai", "vertexai": "gcp.vertex_ai",
	"google.vertex.chat": "gcp.vertex_ai", "google.vertex.embedding": "gcp.vertex_ai",
	"gcp.gemini": "gcp.gemini", "gemini": "gcp.gemini", "google.generative-ai": "gcp.gemini",
	"google.generative-ai.chat": "gcp.gemini", "gcp.gen_ai": "gcp.gen_ai",

	"ibm.watsonx.ai": "ibm.watsonx.ai", "watsonx": "ibm.watsonx.ai",

	// OpenInference's llm.provider values that differ from the semconv ids.
	"google": "gcp.gen_ai", "aws": "aws.bedrock",
}

// normalizeProvider maps a provider id to its semconv value. An unknown id
// is lower-cased and kept whole: registry ids contain dots (gcp.vertex_ai,
// azure.ai.inference); only a Vercel AI SDK "<provider>.<api>" id, whose
// last part is one of the SDK's API names, loses that part
// ("ollama.chat" → "ollama"). An id the table knows never allocates.
func normalizeProvider(raw string) string {
	if p, ok := providerNames[raw]; ok {
		return p
	}
	lower := strings.ToLower(strings.TrimSpace(raw))
	if p, ok := providerNames[lower]; ok {
		return p
	}
	if i := strings.LastIndexByte(lower, '.'); i > 0 && vercelAPIs[lower[i+1:]] {
		head := lower[:i]
		if p, ok := providerNames[head]; ok {
			return p
		}
		return head
	}
	return lower
}

// vercelAPIs are the API parts of the Vercel AI SDK's provider ids.
var vercelAPIs = map[string]bool{
	"chat": true, "completion": true, "embedding": true, "responses": true, "messages": true,
	"image": true, "transcription": true, "speech": true,
}
