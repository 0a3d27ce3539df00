#!/usr/bin/env bash
# Scaling benchmark: the offline pipeline (Skip-Above sampling, the demo's ranker: features, train,
# evaluate, export; the demo's two-tower: train, evaluate, export) at 1x, 2x and 4x simulated days
# of the same world and seed, in one run. Prints wall and CPU seconds per stage and size, and the
# log-log slope of time against impressions (goal 1.0 +/- 0.1) per stage, in total and for training
# alone. Extra arguments are key=value settings of io.liverec.pipelines.scaling.bench.ScalingBench
# (users, rooms, days, holdout, scales, seed, warmup). Results are recorded by hand in
# docs/BENCHMARKS.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
LIVEREC_JAVA_OPTS="${LIVEREC_JAVA_OPTS:--Xmx6g}" exec "$ROOT/scripts/bench-pipelines.sh" \
  io.liverec.pipelines.scaling.bench.ScalingBench work="$ROOT/.cache/bench-scaling" "$@"
