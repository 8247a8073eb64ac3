#!/usr/bin/env bash
# Measures, against a running `make demo`, how long each "break things" scenario of the README takes to fire its
# alert in the demo's Prometheus, and how long `reset` takes to clear every alert afterwards. Prints one line per
# scenario. With CAPTURE=dir it also saves, per scenario, the collector's /metrics a minute before and at the
# moment the alert fires, and Prometheus' /api/v1/alerts then (the shape of cmd/mistraltop/testdata).
#
#   scripts/demo-timings.sh                 # every scenario, in the README's order
#   scripts/demo-timings.sh outage challenge
set -euo pipefail

API=${API:-127.0.0.1:8090} PROM=${PROM:-127.0.0.1:9090} METRICS=${METRICS:-http://127.0.0.1:8889/metrics}
LIMIT=${LIMIT:-240} # seconds to wait for an alert, or for the alerts to clear

# scenario: name | alert it must fire | admin request (path and JSON body)
scenarios=(
  "ratelimit|MistralRateLimitRateHigh|/_fake/tier|{\"requests_per_second\":1}"
  "capacity|MistralProviderCapacityErrors|/_fake/fault|{\"mode\":\"capacity_503\"}"
  "revoked|MistralAPIProbeFailing|/_fake/fault|{\"mode\":\"unauthorized_401\"}"
  "zeroallowance|MistralZeroAllowanceKey|/_fake/fault|{\"mode\":\"zero_allowance\"}"
  "monthly|MistralMonthlyTokensNearlyExhausted|/_fake/fault|{\"mode\":\"tokens_month\"}"
  "outage|ProviderStatusPageMajorOutage|/_fake/status/mistral|{\"format\":\"statuspage\",\"scenario\":\"major_outage\"}"
  "challenge|ProviderStatusPageUnreadable|/_fake/status/mistral|{\"format\":\"challenge\"}"
  "deprecation|MistralModelDeprecationSoon|/_fake/models/deprecate|{\"id\":\"mistral-small-latest\",\"in\":\"240h\",\"replacement\":\"mistral-small-2603\"}"
)

firing() { # names of the firing alerts, one a line
  curl -fsS "http://$PROM/api/v1/alerts" | jq -r '.data.alerts[] | select(.state=="firing") | .labels.alertname' | sort -u
}
active() { curl -fsS "http://$PROM/api/v1/alerts" | jq '.data.alerts | length'; }

snapdir=""
snap_loop() { # scrape /metrics every 5 s into $snapdir/<unix time>.prom
  while :; do
    t=$(date +%s)
    curl -fsS -H 'Accept: text/plain; version=0.0.4' "$METRICS" >"$snapdir/$t.tmp" 2>/dev/null && mv "$snapdir/$t.tmp" "$snapdir/$t.prom"
    sleep 5
  done
}

for sc in "${scenarios[@]}"; do
  IFS='|' read -r name alert path body <<<"$sc"
  if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
  curl -fsS -XPOST "$API/_fake/reset" >/dev/null
  for _ in $(seq 1 "$LIMIT"); do [ "$(active)" = 0 ] && break; sleep 1; done
  if [ "$(active)" != 0 ]; then echo "$name: alerts still active before the scenario: $(firing | tr '\n' ' ')"; continue; fi
  if [ -n "${CAPTURE:-}" ]; then
    snapdir=$(mktemp -d); snap_loop & loop=$!
  fi
  start=$(date +%s)
  curl -fsS -XPOST "$API$path" -d "$body" >/dev/null
  fired=""
  for _ in $(seq 1 "$LIMIT"); do
    if firing | grep -qx "$alert"; then fired=$(( $(date +%s) - start )); break; fi
    sleep 1
  done
  others=$(firing | grep -vx "$alert" | tr '\n' ' ' || true)
  if [ -n "${CAPTURE:-}" ]; then
    now=$(date +%s)
    out="$CAPTURE/$name"; mkdir -p "$out"
    curl -fsS -H 'Accept: text/plain; version=0.0.4' "$METRICS" >"$out/after.prom"
    curl -fsS "http://$PROM/api/v1/alerts" >"$out/alerts.json"
    kill "$loop" 2>/dev/null || true; wait "$loop" 2>/dev/null || true
    # The scrape closest to a minute before.
    best=""; for f in "$snapdir"/*.prom; do t=$(basename "$f" .prom); [ $((now - t)) -ge 55 ] && best=$f; done
    [ -z "$best" ] && best=$(ls "$snapdir"/*.prom | head -1)
    cp "$best" "$out/before.prom"
    printf '%s\n%s\n' "$(date -u -d "@$(basename "$best" .prom)" +%FT%TZ)" "$(date -u -d "@$now" +%FT%TZ)" >"$out/times.txt"
    rm -rf "$snapdir"
  fi
  curl -fsS -XPOST "$API/_fake/reset" >/dev/null
  reset=$(date +%s); cleared=""
  for _ in $(seq 1 "$LIMIT"); do
    if [ "$(active)" = 0 ]; then cleared=$(( $(date +%s) - reset )); break; fi
    sleep 1
  done
  printf '%-14s %-36s fired after %4ss  cleared %4ss after reset  also firing: %s\n' \
    "$name" "$alert" "${fired:-(not in ${LIMIT})}" "${cleared:-(not in ${LIMIT})}" "${others:-none}"
done
