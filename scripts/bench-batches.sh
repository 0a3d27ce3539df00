#!/usr/bin/env bash
# Training batch reader benchmark: DuckDB-streamed, shuffled, feature-transformed batches against a
# plain JDBC scan of the same columns (same run, same rows). Extra arguments are key=value settings
# of io.liverec.pipelines.train.bench.BatchReaderBenchmark (users=, rooms=, days=, dir=).
# Prints one docs/BENCHMARKS.md row.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# a small heap on purpose: the reader must stream, not load the samples
LIVEREC_JAVA_OPTS="-Xmx512m ${LIVEREC_JAVA_OPTS:-}" exec "$ROOT/scripts/bench-pipelines.sh" \
  io.liverec.pipelines.train.bench.BatchReaderBenchmark "$@"
