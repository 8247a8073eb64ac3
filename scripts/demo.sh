#!/usr/bin/env bash
# make demo: no API key, no internet. Starts the fake La Plateforme, the
# distribution pointed at it (examples/demo.yaml) and the demo application
# (genaitraffic), which calls the fake for real and sends its GenAI spans to
# the collector. Ctrl-C stops every process this script started.
set -euo pipefail
cd "$(dirname "$0")/.."

API=127.0.0.1:8090 STATUS=127.0.0.1:8091
pids=()
cleanup() {
  trap - EXIT INT TERM
  echo; echo "demo: stopping"
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

# The demo's fixed ports must be free: a process left from an earlier run would answer in its place.
for port in 8090 8091 4317 4318 8888 8889 13133; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "demo: 127.0.0.1:$port is already in use; stop what listens there (an earlier demo?) and retry" >&2
    exit 1
  fi
done

wait_http() { # url, what, pid
  for _ in $(seq 1 120); do
    if ! kill -0 "$3" 2>/dev/null; then echo "demo: $2 exited" >&2; exit 1; fi
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "demo: $2 did not come up at $1" >&2; exit 1
}

_build/bin/fakemistral -api-addr "$API" -status-addr "$STATUS" &
pids+=($!)
wait_http "http://$API/_fake/count?path=/v1/models" "the fake La Plateforme" "${pids[-1]}"

_build/otelcol-mistral --config=examples/demo.yaml &
pids+=($!)
wait_http "http://127.0.0.1:13133/" "the collector" "${pids[-1]}"

MISTRAL_API_KEY=test-key _build/bin/genaitraffic -api "http://$API" -otlp http://127.0.0.1:4318 -workspace demo &
pids+=($!)

cat <<MSG

demo: running. Within a minute:
  probe and derived metrics   http://127.0.0.1:8889/metrics   (try: curl -s 127.0.0.1:8889/metrics | grep -E '^(mistral|llm)')
  enriched spans              in this terminal (debug exporter)
  break things                curl -XPOST $API/_fake/fault -d '{"mode":"capacity_503"}'
                              curl -XPOST $API/_fake/status/mistral -d '{"format":"statuspage","scenario":"major_outage"}'
                              curl -XPOST $API/_fake/reset
Ctrl-C stops everything.

MSG
wait -n "${pids[@]}"
