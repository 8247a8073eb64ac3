// Package genaispans builds realistic batches of LLM spans, in the dialects
// real instrumentations write, mixed with ordinary HTTP and database spans,
// deterministically from a seed. The llm_enrich processor's tests and
// benchmarks, the comparison benchmarks in bench/, the demo traffic
// generator and the load test share it.
//
// Each generated LLM call span comes with an [Expected]: what a correct
// enrichment writes on it (provider, cost under [Prices], error class and
// limit, Mistral error type and code, error.type). Expected costs assume the
// processor is configured with exactly [Prices] as inline prices (see
// [PricesConfig]); expected classes follow from the evidence each dialect
// really carries (an SDK that loses the error body loses what it said).
//
// The dialects, as observed in 2026 (see the project's reference notes):
//   - [Semconv]: OTel GenAI semantic conventions, current names; the HTTP
//     status and captured x-ratelimit-* headers are on a child HTTP client span.
//   - [SemconvDeprecated]: gen_ai.system and gen_ai.usage.prompt_tokens /
//     completion_tokens; the error body in an exception event.
//   - [OpenLLMetry]: Traceloop's mistralai.chat spans, gen_ai.system =
//     "MistralAI", llm.request.type, several generations of usage names, the
//     Python SDK's "API error occurred: Status 429 Content-Type ... Body {...}".
//   - [OpenLIT]: resource telemetry.sdk.name = openlit, its own
//     gen_ai.usage.cost, the error in the span status message.
//   - [VercelLegacy]: ai.generateText wrapping ai.generateText.doGenerate,
//     ai.* attributes, gen_ai.system = "mistral.chat"; errors carry only the
//     provider's message.
//   - [VercelV7]: invoke_agent → step 1 → chat <model>, with
//     http.response.status_code on all three on failure.
//   - [MistralSDK]: the Mistral TypeScript SDK 2.x's own span, with
//     http.response.status_code, error.type = "rate_limited" and
//     mistral_ai.error.code = "1300".
//   - [OpenAIOnMistral]: OTel's OpenAI instrumentation with the openai client
//     pointed at Mistral: gen_ai.system = "openai", server.address =
//     api.mistral.ai, "429 status code (no body)", a child HTTP span.
//   - [Anthropic]: semconv spans of an Anthropic fallback, with cache usage.
package genaispans // import "github.com/otelcol-mistral/otelcol-mistral/internal/genaispans"
