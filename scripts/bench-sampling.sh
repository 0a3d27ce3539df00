#!/usr/bin/env bash
# Benchmark: sampling throughput of the embedded engine vs plain DuckDB SQL (same rules, same run).
# Usage: scripts/bench-sampling.sh [impressions (default 10000000)]
# The simulated log is cached in .cache/bench-sampling/ and reused. Results: docs/BENCHMARKS.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIVEREC_JAVA_OPTS="${LIVEREC_JAVA_OPTS:--Xmx8g}" exec "$ROOT/scripts/bench-pipelines.sh" \
  io.liverec.pipelines.sampling.SamplingBench "${1:-10000000}" "$ROOT/.cache/bench-sampling"
