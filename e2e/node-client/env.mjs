// Reads the clients' configuration from the environment (never from the command line: the Node SDK's process
// resource detector copies the command line into process.command_args on every span's resource).

export function intEnv(name, def) {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return def;
  const n = Number.parseInt(raw, 10);
  if (!Number.isInteger(n) || n < 0) {
    throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  }
  return n;
}

// clientEnv reads what both clients need: MISTRAL_API_KEY (required), MISTRAL_SERVER_URL (default
// https://api.mistral.ai), NODE_CLIENT_MODEL (default mistral-small-latest), NODE_CLIENT_CHATS (default 6), and
// sets OTEL_SERVICE_NAME to serviceName when it is unset.
export function clientEnv(serviceName) {
  const apiKey = process.env.MISTRAL_API_KEY;
  if (!apiKey) throw new Error("MISTRAL_API_KEY is not set");
  if (!process.env.OTEL_SERVICE_NAME) process.env.OTEL_SERVICE_NAME = serviceName;
  return {
    apiKey,
    serverURL: process.env.MISTRAL_SERVER_URL || "https://api.mistral.ai",
    model: process.env.NODE_CLIENT_MODEL || "mistral-small-latest",
    chats: intEnv("NODE_CLIENT_CHATS", 6),
  };
}
