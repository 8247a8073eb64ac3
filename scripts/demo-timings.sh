#!/usr/bin/env bash
# Measures, against a running `make demo`, how long each "break things" scenario of the README takes to fire its
# alert in the demo's Prometheus, and how long `reset` takes to clear every alert afterwards. Prints one line per
# scenario. With CAPTURE=dir it also saves, per scenario, the collector's /metrics a minute before and at the
# moment the alert fires, and Prometheus' /api/v1/alerts then (the shape of cmd/mistraltop/testdata).
#
#   scripts/demo-timings.sh                 # every scenario, in the README's order
#   scripts/demo-timings.sh outage challenge
set -euo pipefail

API=${API:-127.0.0.1:8090} FALLBACK=${FALLBACK:-127.0.0.1:8092} PROM=${PROM:-127.0.0.1:9090} METRICS=${METRICS:-http://127.0.0.1:8889/metrics}
LIMIT=${LIMIT:-240} # seconds to wait for an alert, or for the alerts to clear

# scenario: name | alerts it must fire (comma separated: each one's time is printed) | admin request (a path on the
# fake's API, or a whole URL, and JSON body)
scenarios=(
  "ratelimit|MistralRateLimitRateHigh,MistralDiagnosis,MistralServiceHogsQuota|/_fake/tier|{\"requests_per_second\":0.25}"
  "capacity|MistralProviderCapacityErrors,MistralDiagnosis|/_fake/fault|{\"mode\":\"capacity_503\"}"
  "capacity429|MistralProviderCapacityErrors|/_fake/fault|{\"mode\":\"capacity_429\"}"
  "revoked|MistralAPIProbeFailing|/_fake/fault|{\"mode\":\"unauthorized_401\"}"
  "zeroallowance|MistralZeroAllowanceKey|/_fake/tier|{\"requests_per_second\":5,\"models\":{\"ministral-8b-2512\":{\"requests_per_second\":0.001}}}"
  "outage|ProviderStatusPageMajorOutage|/_fake/status/mistral|{\"format\":\"statuspage\",\"scenario\":\"major_outage\"}"
  "challenge|ProviderStatusPageUnreadable|/_fake/status/mistral|{\"format\":\"challenge\"}"
  "deprecation|MistralModelDeprecationSoon,MistralRetiringModelInUse|/_fake/models/deprecate|{\"id\":\"mistral-small-latest\",\"in\":\"240h\",\"replacement\":\"mistral-small-2603\"}"
  "alias|MistralModelAliasMoved|/_fake/models/alias|{\"alias\":\"mistral-small-latest\",\"target\":\"mistral-medium-2508\"}"
  "fallback|MistralFallbackCredentialsBroken|http://$FALLBACK/_fake/mode|{\"mode\":\"revoked_key\"}"
  # No admin request: a caller outside the instrumented services spends the chat probe's model's monthly tokens.
  "untracked|MistralUntrackedConsumption|untracked|"
  # Last: after a spent month the receiver backs off its API probes until the month's allowance returns (about an
  # hour here), so reset does not clear it; restart the demo after it.
  "monthly|MistralMonthlyTokensExhausted|/_fake/tier|{\"requests_per_second\":5,\"tokens_per_month\":500}"
)
reset() { # the fake La Plateforme and its fallback provider
  curl -fsS -XPOST "$API/_fake/reset" >/dev/null
  curl -fsS -XPOST "$FALLBACK/_fake/reset" >/dev/null
}

untracked_caller() { # an uninstrumented application: direct chat calls that send no span, 3000 tokens a second
  while :; do
    curl -fsS -XPOST "$API/v1/chat/completions" -H 'Authorization: Bearer test-key' -H 'Content-Type: application/json' \
      -H 'X-Fake-Prompt-Tokens: 3000' \
      -d '{"model":"ministral-8b-latest","max_tokens":16,"messages":[{"role":"user","content":"an uninstrumented caller"}]}' >/dev/null || true
    sleep 1
  done
}

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
  reset
  for _ in $(seq 1 "$LIMIT"); do [ "$(active)" = 0 ] && break; sleep 1; done
  if [ "$(active)" != 0 ]; then echo "$name: alerts still active before the scenario: $(firing | tr '\n' ' ')"; continue; fi
  if [ -n "${CAPTURE:-}" ]; then
    snapdir=$(mktemp -d); snap_loop & loop=$!
  fi
  start=$(date +%s)
  caller=""
  if [ "$path" = untracked ]; then
    untracked_caller & caller=$!
  else
    [[ $path == http* ]] || path="$API$path"
    curl -fsS -XPOST "$path" -d "$body" >/dev/null
  fi
  declare -A fired=()
  IFS=',' read -r -a wanted <<<"$alert"
  for _ in $(seq 1 "$LIMIT"); do
    now_firing=$(firing)
    for a in "${wanted[@]}"; do
      if [ -z "${fired[$a]:-}" ] && grep -qx "$a" <<<"$now_firing"; then fired[$a]=$(( $(date +%s) - start )); fi
    done
    [ "${#fired[@]}" = "${#wanted[@]}" ] && break
    sleep 1
  done
  others=$(firing | grep -vxF -f <(tr ',' '\n' <<<"$alert") | tr '\n' ' ' || true)
  if [ -n "$caller" ]; then kill "$caller" 2>/dev/null || true; wait "$caller" 2>/dev/null || true; fi
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
  reset
  reset_at=$(date +%s); cleared=""
  for _ in $(seq 1 "$LIMIT"); do
    if [ "$(active)" = 0 ]; then cleared=$(( $(date +%s) - reset_at )); break; fi
    sleep 1
  done
  times=""
  for a in "${wanted[@]}"; do times+="$a ${fired[$a]:-(not in ${LIMIT})}s  "; done
  printf '%-14s fired: %s cleared %4ss after reset  also firing: %s\n' \
    "$name" "$times" "${cleared:-(not in ${LIMIT})}" "${others:-none}"
  unset fired
done
