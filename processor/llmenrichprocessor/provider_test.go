package llmenrichprocessor

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

func TestNormalizeProvider(t *testing.T) {
	for in, want := range map[string]string{
		"mistral_ai": "mistral_ai", "MistralAI": "mistral_ai", "mistral": "mistral_ai", "mistral.chat": "mistral_ai",
		"mistralai": "mistral_ai", "MISTRAL": "mistral_ai", "mistral.embedding": "mistral_ai", " Mistral_AI ": "mistral_ai",
		"openai": "openai", "OpenAI": "openai", "openai.chat": "openai", "openai.responses": "openai",
		"azure.ai.openai": "azure.ai.openai", "az.ai.openai": "azure.ai.openai", "azure-openai": "azure.ai.openai",
		"anthropic": "anthropic", "anthropic.messages": "anthropic", "Anthropic": "anthropic",
		"cohere": "cohere", "cohere.chat": "cohere", "groq": "groq", "deepseek": "deepseek", "deepseek.chat": "deepseek",
		"xai": "x_ai", "x_ai": "x_ai", "xai.chat": "x_ai",
		"aws.bedrock": "aws.bedrock", "amazon-bedrock": "aws.bedrock", "bedrock": "aws.bedrock",
		"gcp.vertex_ai": "gcp.vertex_ai", "vertex_ai": "gcp.vertex_ai", "google.vertex.chat": "gcp.vertex_ai",
		"gcp.gemini": "gcp.gemini", "gemini": "gcp.gemini", "google.generative-ai": "gcp.gemini",
		"ollama": "ollama", "Ollama.Chat": "ollama", "togetherai.chat": "togetherai",
		// Registry ids are kept whole, also those the table does not know.
		"gcp.gen_ai": "gcp.gen_ai", "azure.ai.inference": "azure.ai.inference", "oci.generative_ai": "oci.generative_ai",
		"ibm.watsonx.ai": "ibm.watsonx.ai", "GCP.Vertex_AI": "gcp.vertex_ai",
		// OpenInference's llm.provider values.
		"google": "gcp.gen_ai", "aws": "aws.bedrock", "azure": "azure.ai.openai", "fireworks": "fireworks",
	} {
		assert.Equal(t, want, normalizeProvider(in), in)
	}
}

func TestProviderOfSpan(t *testing.T) {
	tests := []struct {
		name  string
		attrs map[string]any
		span  string
		want  any // the gen_ai.provider.name after processing, nil when absent
	}{
		{"semconv provider kept as is", map[string]any{"gen_ai.provider.name": "MistralAI", "gen_ai.operation.name": "chat"}, "chat", "MistralAI"},
		{"gen_ai.system normalised", map[string]any{"gen_ai.system": "MistralAI", "gen_ai.operation.name": "chat"}, "chat", "mistral_ai"},
		{"Vercel ai.model.provider", map[string]any{"ai.model.provider": "mistral.chat", "ai.operationId": "ai.generateText.doGenerate", "ai.model.id": "mistral-small-latest"}, "ai.generateText.doGenerate", "mistral_ai"},
		{"OpenAI client at api.mistral.ai", map[string]any{"gen_ai.system": "openai", "gen_ai.operation.name": "chat", "server.address": "api.mistral.ai"}, "chat", "mistral_ai"},
		{"OpenAI client at codestral with a port", map[string]any{"gen_ai.system": "openai", "gen_ai.operation.name": "chat", "server.address": "codestral.mistral.ai:443"}, "chat", "mistral_ai"},
		{"OpenAI at OpenAI stays openai", map[string]any{"gen_ai.system": "openai", "gen_ai.operation.name": "chat", "server.address": "api.openai.com"}, "chat", "openai"},
		{"not fooled by a look-alike host", map[string]any{"gen_ai.system": "openai", "gen_ai.operation.name": "chat", "server.address": "api.notmistral.ai.example.com"}, "chat", "openai"},
		{"span name mistralai.* alone", map[string]any{"gen_ai.request.model": "mistral-small-latest"}, "mistralai.chat", "mistral_ai"},
		{"no provider anywhere", map[string]any{"gen_ai.operation.name": "chat", "gen_ai.request.model": "x"}, "chat x", nil},
		{"provider of a wrong type is present: not written", map[string]any{"gen_ai.provider.name": 42, "gen_ai.system": "mistral", "gen_ai.operation.name": "chat"}, "chat", int64(42)},
	}
	e := newTestEnricher(t, testConfig())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			td := buildTraces(nil, testSpan{name: tt.span, attrs: tt.attrs})
			process(t, e, td)
			got := firstSpan(td).Attributes().AsRaw()["gen_ai.provider.name"]
			assert.Equal(t, tt.want, got)
		})
	}
}

// Wrapper spans (agents, steps, tools, Vercel's outer spans) are not calls:
// they repeat their children's usage and errors and get nothing.
func TestWrapperSpansUntouched(t *testing.T) {
	usage := map[string]any{"gen_ai.usage.input_tokens": 100, "gen_ai.usage.output_tokens": 10, "gen_ai.request.model": "mistral-small-2506"}
	for name, s := range map[string]testSpan{
		"invoke_agent":    {name: "invoke_agent", attrs: merge(usage, map[string]any{"gen_ai.operation.name": "invoke_agent", "gen_ai.provider.name": "mistral_ai", "http.response.status_code": 429}), status: ptrace.StatusCodeError},
		"execute_tool":    {name: "execute_tool get_weather", attrs: map[string]any{"gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "get_weather"}, status: ptrace.StatusCodeError},
		"step 1":          {name: "step 1", attrs: merge(usage, map[string]any{"gen_ai.provider.name": "mistral_ai"})},
		"ai.generateText": {name: "ai.generateText", attrs: map[string]any{"ai.operationId": "ai.generateText", "ai.model.id": "mistral-small-latest", "ai.model.provider": "mistral.chat", "ai.usage.promptTokens": 100}},
		"ai.toolCall":     {name: "ai.toolCall", attrs: map[string]any{"ai.operationId": "ai.toolCall", "ai.toolCall.name": "x"}},
		"gen_ai only":     {name: "chat", attrs: map[string]any{"gen_ai.prompt.0.content": "hello"}},
		"llm.* only":      {name: "x", attrs: map[string]any{"llm.is_streaming": false}},
	} {
		t.Run(name, func(t *testing.T) {
			td := buildTraces(nil, s)
			before := firstSpan(td).Attributes().AsRaw()
			process(t, newTestEnricher(t, testConfig()), td)
			assert.Equal(t, before, firstSpan(td).Attributes().AsRaw())
		})
	}
}
