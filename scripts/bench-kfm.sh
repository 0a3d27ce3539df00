#!/usr/bin/env bash
# KFM benchmark: forward time of the linear per-field-kernel form against the quadratic block form
# (the anchor) at 20 and 60 fields, in one run on the same kernels and embeddings. Extra arguments
# are key=value settings of io.liverec.pipelines.ranking.bench.KfmBenchmark (batch, dim, fields,
# reps, warmup). Results are recorded in docs/BENCHMARKS.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/scripts/bench-pipelines.sh" io.liverec.pipelines.ranking.bench.KfmBenchmark "$@"
