#!/usr/bin/env bash
# Ranker benchmark: training samples/s at batch 1024, DeepFM+ESMM (anchor) vs the full model
# (KFM + cross + AutoInt, ESMM + MMoE, GradNorm, PCGrad), and full-model forward latency in TF vs
# its ONNX export in ONNX Runtime, one run on the same data. Extra arguments are key=value settings
# of io.liverec.pipelines.ranking.bench.RankerBenchmark (batch, steps, warmup, fields, vocab).
# Results are recorded by hand in docs/BENCHMARKS.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIVEREC_JAVA_OPTS="-Xmx6g ${LIVEREC_JAVA_OPTS:-}" exec "$ROOT/scripts/bench-pipelines.sh" \
  io.liverec.pipelines.ranking.bench.RankerBenchmark "$@"
