#!/usr/bin/env bash
# make demo: no API key, no internet. Starts the fake La Plateforme, the
# distribution pointed at it (examples/demo.yaml), the demo application
# (genaitraffic), which calls the fake for real and sends its GenAI spans to
# the collector, and a real Prometheus evaluating the project's alert rules;
# then shows the live summary (mistraltop) in this terminal. Every process's
# output goes to a log file in the demo's directory (printed at start).
# Ctrl-C stops every process this script started.
#
# Environment: DEMO_VERBOSITY=detailed makes the collector's debug exporter
# log every span (default basic: one line per batch); DEMO_DIR sets the
# directory for the logs and Prometheus' data (default: a new one under /tmp);
# DEMO_RULE_SPEEDUP divides the rules' durations (default 10).
set -euo pipefail
cd "$(dirname "$0")/.."

API=127.0.0.1:8090 STATUS=127.0.0.1:8091 FALLBACK=127.0.0.1:8092 PROM=127.0.0.1:9090
DIR=${DEMO_DIR:-$(mktemp -d /tmp/otelcol-mistral-demo.XXXXXX)}
SPEEDUP=${DEMO_RULE_SPEEDUP:-10}
export DEMO_VERBOSITY=${DEMO_VERBOSITY:-basic}
mkdir -p "$DIR"
pids=()
cleanup() {
  trap - EXIT INT TERM
  echo; echo "demo: stopping (logs stay in $DIR)"
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

# The demo's fixed ports must be free: a process left from an earlier run would answer in its place.
for port in 8090 8091 8092 4317 4318 8888 8889 13133 9090; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "demo: 127.0.0.1:$port is already in use; stop what listens there (an earlier demo?) and retry" >&2
    exit 1
  fi
done

wait_http() { # url, what, pid, log
  for _ in $(seq 1 120); do
    if ! kill -0 "$3" 2>/dev/null; then echo "demo: $2 exited; see $4" >&2; tail -n 20 "$4" >&2; exit 1; fi
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "demo: $2 did not come up at $1; see $4" >&2; exit 1
}

echo "demo: logs and Prometheus data in $DIR"

# A paid-like tier (5 requests/s) so that the application's 2 calls/s and the probes fit: the demo starts
# healthy, and the rate-limit scenario lowers the tier to the free one. The fake Anthropic on $FALLBACK is the
# fallback whose readiness the collector probes (examples/demo.yaml, `fallbacks`).
_build/bin/fakemistral -api-addr "$API" -status-addr "$STATUS" -anthropic-addr "$FALLBACK" -rps 5 >"$DIR/fakemistral.log" 2>&1 &
pids+=($!)
wait_http "http://$API/_fake/health" "the fake La Plateforme" "${pids[-1]}" "$DIR/fakemistral.log"

_build/otelcol-mistral --config=examples/demo.yaml --config=genai-metrics.yaml >"$DIR/otelcol-mistral.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:13133/" "the collector" "${pids[-1]}" "$DIR/otelcol-mistral.log"

MISTRAL_API_KEY=test-key _build/bin/genaitraffic -api "http://$API" -otlp http://127.0.0.1:4318 -workspace demo >"$DIR/genaitraffic.log" 2>&1 &
pids+=($!)

prom_url="" alerts_page=""
if command -v prometheus >/dev/null 2>&1; then
  # The project's rules with every `for:` and range divided by $SPEEDUP (10: a 2m `for` becomes 12s), so each
  # scenario's alert fires within a minute or two instead of 5 to 20.
  perl -pe "
    s/\[(\d+)([mh])\]/'['.(int(\$1*(\$2 eq 'h' ? 3600 : 60)\/$SPEEDUP)||1).'s]'/ge;
    s/^(\s*for:\s*)(\d+)([mh])\s*\$/\$1.(int(\$2*(\$3 eq 'h' ? 3600 : 60)\/$SPEEDUP)||1).\"s\n\"/e;
  " deploy/prometheus/rules.yaml >"$DIR/rules.yaml"
  cat >"$DIR/prometheus.yml" <<YAML
global:
  scrape_interval: 2s
  scrape_timeout: 2s
  evaluation_interval: 2s
rule_files: ["$DIR/rules.yaml"]
scrape_configs:
  - job_name: otelcol-mistral
    static_configs:
      - targets: ["127.0.0.1:8889"]
YAML
  prometheus --config.file="$DIR/prometheus.yml" --storage.tsdb.path="$DIR/prometheus-data" \
    --web.listen-address="$PROM" --log.level=warn >"$DIR/prometheus.log" 2>&1 &
  pids+=($!)
  wait_http "http://$PROM/-/ready" "Prometheus" "${pids[-1]}" "$DIR/prometheus.log"
  prom_url="http://$PROM"
  # Debian's package serves only the classic UI: / redirects to /classic/graph and /alerts is a 404.
  alerts_page="$prom_url/alerts"
  if curl -s -o /dev/null -w '%{redirect_url}' "$prom_url/" | grep -q /classic/; then alerts_page="$prom_url/classic/alerts"; fi
else
  echo "demo: prometheus is not installed (deploy/prometheus/install-prometheus.sh): no alerts" >&2
fi

footer="Alerts: ${alerts_page:-(no Prometheus)} · metrics: http://127.0.0.1:8889/metrics · logs: $DIR
Break things (README, \"The demo\"), e.g.  curl -XPOST $API/_fake/fault -d '{\"mode\":\"capacity_503\"}'   then  curl -XPOST $API/_fake/reset
Ctrl-C stops everything."
# In the foreground: Ctrl-C ends it, and the trap stops the rest.
_build/bin/mistraltop -metrics http://127.0.0.1:8889/metrics ${prom_url:+-prometheus "$prom_url"} \
  -mistral-pages mistral,rootly -footer "$footer" || true
