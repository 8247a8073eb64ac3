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
