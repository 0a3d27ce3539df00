#!/usr/bin/env bash
# Benchmark: simulator throughput vs the bare Parquet writer (same run). Results: docs/BENCHMARKS.md.
# Usage: scripts/bench-simulator.sh [impressions (default 2000000)]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/scripts/bench-pipelines.sh" \
  io.liverec.pipelines.sim.SimulatorBench "${1:-2000000}" "$ROOT/.cache/bench-simulator"
