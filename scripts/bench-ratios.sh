#!/usr/bin/env bash
# The ratios of the processor benchmarks, measured round by round: each round runs
# every benchmark once, back to back, so that a shared machine's drift moves
# both sides of a ratio. Prints each round's ns/span and ratios, then their
# medians. Usage: scripts/bench-ratios.sh [rounds, default 6]
set -euo pipefail
rounds="${1:-6}"
go="${GO:-go}"
cd "$(dirname "$0")/.."
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for r in $(seq 1 "$rounds"); do
  "$go" test ./processor/llmenrichprocessor/ -run '^$' -bench . -benchmem -count 1 -benchtime 2000x |
    awk -v r="$r" '/^Benchmark/ {sub(/-[0-9]+$/, "", $1); print r, $1, $5}' >>"$out"
  (cd bench && "$go" test . -run '^$' -bench . -benchmem -count 1) |
    awk -v r="$r" '/^Benchmark/ {sub(/-[0-9]+$/, "", $1); print r, "bench/" $1, $5}' >>"$out"
done
awk '
  { ns[$1, $2] = $3; if ($1 > n) n = $1 }
  function median(a, k,   i, j, t) {
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
  }
  END {
    printf "ns/span: processor package (llm_enrich, bare loop, write floor, non-LLM) | bench/ (llm_enrich, transform, bare loop)\n"
    printf "%-5s %8s %8s %8s %8s | %8s %9s %8s | %11s %10s %11s %15s %13s\n", "round", "enrich", "bare", "floor", "nonLLM", "enrich", "transform", "bare", "enrich/bare", "floor/bare", "nonLLM/bare", "transform/enrich", "enrich/floor"
    for (r = 1; r <= n; r++) {
      p = ns[r, "BenchmarkProcessor"]; b = ns[r, "BenchmarkBareLoop"]; f = ns[r, "BenchmarkWriteFloor"]; l = ns[r, "BenchmarkNonLLMOnly"]
      q = ns[r, "bench/BenchmarkLLMEnrich"]; t = ns[r, "bench/BenchmarkTransformOTTL"]
      e[r] = p / b; w[r] = f / b; x[r] = l / b; y[r] = t / q; z[r] = p / f
      printf "%-5d %8.1f %8.1f %8.1f %8.1f | %8.1f %9.0f %8.1f | %10.2fx %9.2fx %10.2fx %14.1fx %12.2fx\n", r, p, b, f, l, q, t, ns[r, "bench/BenchmarkBareLoop"], e[r], w[r], x[r], y[r], z[r]
    }
    printf "medians: llm_enrich/bare loop %.2fx, write floor/bare loop %.2fx, non-LLM/bare loop %.2fx, transform/llm_enrich %.1fx, llm_enrich/write floor %.2fx\n", median(e, n), median(w, n), median(x, n), median(y, n), median(z, n)
  }' "$out"
