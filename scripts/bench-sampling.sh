#!/usr/bin/env bash
# Benchmark: sampling throughput of the embedded engine vs plain DuckDB SQL (same rules, same run).
# Usage: scripts/bench-sampling.sh [impressions (default 10000000)]
# The simulated log is cached in .cache/bench-sampling/ and reused. Results: docs/BENCHMARKS.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ ! -f operator/cli/target/liverec-cli.jar ] || [ "${LIVEREC_BENCH_BUILD:-1}" = "1" ]; then
  ./mvnw -B -q -DskipTests -Dspotless.check.skip=true -pl operator/cli -am package
fi
exec java ${LIVEREC_JAVA_OPTS:--Xmx8g} -cp "operator/cli/target/liverec-cli.jar:operator/cli/target/lib/*" \
  io.liverec.pipelines.sampling.SamplingBench "${1:-10000000}" "$ROOT/.cache/bench-sampling"
