#!/usr/bin/env bash
# Benchmark: simulator throughput vs the bare Parquet writer (same run). Results: docs/BENCHMARKS.md.
# Usage: scripts/bench-simulator.sh [impressions (default 2000000)]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ ! -f operator/cli/target/liverec-cli.jar ] || [ "${LIVEREC_BENCH_BUILD:-1}" = "1" ]; then
  ./mvnw -B -q -DskipTests -Dspotless.check.skip=true -pl operator/cli -am package
fi
exec java ${LIVEREC_JAVA_OPTS:--Xmx4g} -cp "operator/cli/target/liverec-cli.jar:operator/cli/target/lib/*" \
  io.liverec.pipelines.sim.SimulatorBench "${1:-2000000}" "$ROOT/.cache/bench-simulator"
