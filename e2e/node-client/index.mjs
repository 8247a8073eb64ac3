// A real client for the end-to-end test (e2e/nodeclient_test.go): the official Mistral SDK
// (@mistralai/mistralai) with its built-in OpenTelemetry tracing in "global" mode, so its spans go through
// the OpenTelemetry Node SDK we set up here and are exported over OTLP/HTTP to otelcol-mistral.
//
// Configuration comes from the environment only, never from the command line: the Node SDK's process
// resource detector copies the command line into process.command_args on every span's resource.
//   MISTRAL_API_KEY              API key (required)
//   MISTRAL_SERVER_URL           La Plateforme base URL (default https://api.mistral.ai; the test uses the fake)
//   OTEL_EXPORTER_OTLP_ENDPOINT  collector OTLP/HTTP base URL, e.g. http://127.0.0.1:4318 (standard OTel variable)
//   OTEL_SERVICE_NAME            service.name (default node-client)
//   NODE_CLIENT_MODEL            model to ask (default mistral-small-latest)
//   NODE_CLIENT_CHATS            number of chat.complete calls (default 6)
//   NODE_CLIENT_STREAMS          number of chat.stream calls after them (default 1)
//
// It prints one JSON line on stdout summarising what happened (the test compares it with the spans), then
// flushes the spans and exits 0, also when calls failed (429s are expected); 1 on a setup error.

import { NodeSDK } from "@opentelemetry/sdk-node";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { Mistral } from "@mistralai/mistralai";
import { configureTelemetry, RedactingSpanExporter } from "@mistralai/mistralai/extra/observability";
import { clientEnv, intEnv } from "./env.mjs";

async function main() {
  const { apiKey, serverURL, model, chats } = clientEnv("node-client");
  const streams = intEnv("NODE_CLIENT_STREAMS", 1);

  // A SimpleSpanProcessor exports each span as it ends: nothing is lost if the process is cut short.
  // RedactingSpanExporter is the SDK's own redaction (secrets, e-mails, card numbers in attribute values), which
  // in "global" mode the application has to put in its pipeline itself.
  const sdk = new NodeSDK({
    spanProcessors: [new SimpleSpanProcessor(new RedactingSpanExporter(new OTLPTraceExporter()))],
  });
  sdk.start();

  // No retries: the test wants every 429 to reach the application (and its span) as the fake sent it.
  const client = new Mistral({ apiKey, serverURL, retryConfig: { strategy: "none" }, timeoutMs: 15000 });
  // redaction: false only silences the warning that the SDK does not redact in "global" mode (we do, above).
  await configureTelemetry(client, "global", { redaction: false });

  const summary = { model, ok: 0, streamed: 0, errors: [] };
  const messages = [{ role: "user", content: "Say hello to the end-to-end test." }];

  for (let i = 0; i < chats; i++) {
    try {
      const res = await client.chat.complete({ model, messages, maxTokens: 16 });
      summary.ok++;
      summary.responseModel = res.model;
    } catch (err) {
      summary.errors.push({ call: i, status: err?.statusCode ?? 0, name: err?.name ?? "Error" });
    }
  }
  for (let i = 0; i < streams; i++) {
    try {
      const stream = await client.chat.stream({ model, messages, maxTokens: 8 });
      for await (const _event of stream) {
        // Drain the stream: the usage arrives in the last chunk.
      }
      summary.streamed++;
    } catch (err) {
      summary.errors.push({ call: chats + i, stream: true, status: err?.statusCode ?? 0, name: err?.name ?? "Error" });
    }
  }

  await sdk.shutdown();
  process.stdout.write(JSON.stringify(summary) + "\n");
}

main().catch((err) => {
  process.stderr.write(`node-client: ${err?.stack ?? err}\n`);
  process.exit(1);
});
