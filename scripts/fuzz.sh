#!/usr/bin/env bash
# Runs every fuzz target of the module for a short time (default 5000 inputs each):
# the seed corpus always runs in `go test`; this adds coverage-guided inputs.
set -euo pipefail
fuzztime="${1:-5000x}"
cd "$(dirname "$0")/.."
grep -rlE '^func Fuzz[A-Za-z0-9_]+\(f \*testing\.F\)' --include='*_test.go' . | grep -v '^./_build/' | sort | while read -r file; do
  pkg="./$(dirname "${file#./}")"
  grep -oE '^func Fuzz[A-Za-z0-9_]+' "$file" | sed 's/^func //' | while read -r target; do
    echo "fuzz: $pkg $target ($fuzztime)"
    if ! out=$(go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -fuzzminimizetime 1s "$pkg" 2>&1); then
      echo "$out"; exit 1
    fi
  done
done
echo "fuzz: done"
