// A second real client for the end-to-end test (e2e/nodeclient_test.go): LangChain's ChatMistralAI
// (@langchain/mistralai, which calls La Plateforme through its own copy of the Mistral SDK) traced by
// OpenInference's LangChain instrumentation (@arizeai/openinference-instrumentation-langchain), the way Arize
// Phoenix users trace an application. Its spans carry OpenInference attributes (openinference.span.kind,
// llm.model_name, llm.invocation_parameters, llm.token_count.*), not gen_ai.*, and go over OTLP/HTTP to
// otelcol-mistral through the OpenTelemetry Node SDK.
//
// Configuration, from the environment only (see env.mjs):
//   MISTRAL_API_KEY              API key (required)
//   MISTRAL_SERVER_URL           La Plateforme base URL (default https://api.mistral.ai; the test uses the fake)
//   OTEL_EXPORTER_OTLP_ENDPOINT  collector OTLP/HTTP base URL (standard OTel variable)
//   OTEL_SERVICE_NAME            service.name (default node-openinference)
//   NODE_CLIENT_MODEL            model to ask (default mistral-small-latest)
//   NODE_CLIENT_CHATS            number of invoke calls (default 6)
//
// It prints one JSON line on stdout summarising what happened, then flushes the spans and exits 0, also when
// calls failed (429s are expected); 1 on a setup error.

import { NodeSDK } from "@opentelemetry/sdk-node";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { LangChainInstrumentation } from "@arizeai/openinference-instrumentation-langchain";
import * as CallbackManagerModule from "@langchain/core/callbacks/manager";
import { ChatMistralAI } from "@langchain/mistralai";
import { clientEnv } from "./env.mjs";

async function main() {
  const { apiKey, serverURL, model, chats } = clientEnv("node-openinference");

  const sdk = new NodeSDK({ spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter())] });
  sdk.start();
  // ES modules are not patched on import: the instrumentation is applied to LangChain's callback manager by hand,
  // as its README says for ESM applications.
  new LangChainInstrumentation().manuallyInstrument(CallbackManagerModule);

  // No retries: every 429 reaches the application (and its span) as the fake sent it.
  const llm = new ChatMistralAI({ model, apiKey, serverURL, maxRetries: 0, maxTokens: 16 });
  const summary = { model, ok: 0, streamed: 0, errors: [] };
  for (let i = 0; i < chats; i++) {
    try {
      const res = await llm.invoke([["human", "Say hello to the end-to-end test."]]);
      summary.ok++;
      summary.responseModel = res?.response_metadata?.model_name ?? res?.response_metadata?.model;
    } catch (err) {
      summary.errors.push({ call: i, status: err?.statusCode ?? err?.status ?? 0, name: err?.name ?? "Error" });
    }
  }

  await sdk.shutdown();
  process.stdout.write(JSON.stringify(summary) + "\n");
}

main().catch((err) => {
  process.stderr.write(`node-client (openinference): ${err?.stack ?? err}\n`);
  process.exit(1);
});
