#!/usr/bin/env bash
# ANN benchmark: Lucene HNSW vs jvector vs the exact scan on 100k x 64 clustered vectors (one run,
# same data). Extra arguments are key=value settings of io.liverec.pipelines.recall.bench.AnnBenchmark
# (e.g. n=20000 ef=100,200). Results are recorded by hand in docs/BENCHMARKS.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/scripts/bench-pipelines.sh" io.liverec.pipelines.recall.bench.AnnBenchmark "$@"
