#!/usr/bin/env bash
# The ratios of the processor benchmarks, measured round by round: each round runs
# every benchmark once, back to back, so that a shared machine's drift moves
# both sides of a ratio. Prints each round's ns/span and ratios, then their
# medians and ranges, and the allocations per batch. Usage: scripts/bench-ratios.sh [rounds, default 6]
set -euo pipefail
rounds="${1:-6}"
go="${GO:-go}"
cd "$(dirname "$0")/.."
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for r in $(seq 1 "$rounds"); do
  "$go" test ./processor/llmenrichprocessor/ -run '^$' -bench . -benchmem -count 1 -benchtime 2000x |
    awk -v r="$r" '/^Benchmark/ {sub(/-[0-9]+$/, "", $1); print r, $1, $5, $7, $9}' >>"$out"
  (cd bench && "$go" test . -run '^$' -bench . -benchmem -count 1) |
    awk -v r="$r" '/^Benchmark/ {sub(/-[0-9]+$/, "", $1); print r, "bench/" $1, $5, $7, $9}' >>"$out"
done
awk '
  { ns[$1, $2] = $3; bytes[$2] = $4; allocs[$2] = $5; if ($1 > n) n = $1 }
  function median(a, k,   i, j, t) {
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
  }
  # spread prints the median of a[1..k] and its range ("2.53x (2.19-3.31)").
  function spread(a, k, f,   i, lo, hi, m) {
    lo = hi = a[1]
    for (i = 2; i <= k; i++) { if (a[i] < lo) lo = a[i]; if (a[i] > hi) hi = a[i] }
    m = median(a, k)
    return sprintf(f "x (" f "-" f ")", m, lo, hi)
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
    printf "medians (range) over %d rounds:\n", n
    printf "  llm_enrich / write floor   %s\n", spread(z, n, "%.2f")
    printf "  llm_enrich / bare loop     %s\n", spread(e, n, "%.2f")
    printf "  write floor / bare loop    %s\n", spread(w, n, "%.2f")
    printf "  non-LLM only / bare loop   %s\n", spread(x, n, "%.2f")
    printf "  transform / llm_enrich     %s\n", spread(y, n, "%.1f")
    printf "per 1000-span batch (last round): llm_enrich %d B, %d allocs; write floor %d B, %d allocs; non-LLM only %d B, %d allocs\n", bytes["BenchmarkProcessor"], allocs["BenchmarkProcessor"], bytes["BenchmarkWriteFloor"], allocs["BenchmarkWriteFloor"], bytes["BenchmarkNonLLMOnly"], allocs["BenchmarkNonLLMOnly"]
  }' "$out"
