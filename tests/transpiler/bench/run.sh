#!/usr/bin/env bash
# Side-by-side CPU time of lua5.4 and nse (python -m nse.cli_lua, warm code cache) on the
# five workloads of the transpiler issue.  Not a test: prints the best user time of 3
# runs each and the ratio.  Usage: tests/transpiler/bench/run.sh [python]
set -euo pipefail
cd "$(dirname "$0")"
PY=${1:-../../../.venv/bin/python}
export PYTHONPATH=../../..
for f in strbuild patterns tables methods pack; do
  best_l=99; best_n=99
  for _ in 1 2 3; do
    l=$( { /usr/bin/time -f "%U" lua5.4 "$f.lua" > /dev/null; } 2>&1 )
    n=$( { /usr/bin/time -f "%U" "$PY" -m nse.cli_lua "$f.lua" > /dev/null; } 2>&1 )
    best_l=$(python3 -c "print(min($best_l, $l))"); best_n=$(python3 -c "print(min($best_n, $n))")
  done
  echo "$f lua5.4=${best_l}s nse=${best_n}s ratio=$(python3 -c "print(round($best_n / max($best_l, 0.01), 1))")"
done
