#!/usr/bin/env bash
# The canary's outcome test as a benchmark: false-promotion and false-rollback rates under A/A,
# power and median time to decision for a degraded ranker, for the mSPRT and for a fixed-horizon
# z-test (one look, and peeked at every look) on the same simulated traffic. Results go in
# docs/BENCHMARKS.md. Arguments (key=value) are passed to CanaryStatsBench (see its javadoc).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CP_FILE="serving/core/target/bench-classpath.txt"
if [ "${LIVEREC_SKIP_BUILD:-0}" != "1" ]; then
  ./mvnw -B -q -DskipTests -Dspotless.check.skip=true -pl serving/core -am package \
    dependency:build-classpath -Dmdep.outputFile="$ROOT/$CP_FILE" -Dmdep.includeScope=test
fi
exec java -cp "$ROOT/serving/core/target/test-classes:$ROOT/serving/core/target/classes:$(cat "$CP_FILE")" \
  io.liverec.serving.rollout.bench.CanaryStatsBench "$@"
