#!/usr/bin/env bash
# Operator benchmark: 1000 TrainingRuns created at once against the Fabric8 mock API server (time
# until every Job exists, p99 reconcile, heap), with 100 runs in the same JVM as the anchor.
# Prints docs/BENCHMARKS.md rows (also written to operator/controller/target/bench-operator.md).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
./mvnw -B -q install -DskipTests -Dspotless.check.skip=true -pl operator/controller -am
./mvnw -B test -pl operator/controller -Dtest=OperatorBenchmark -Dliverec.excludedGroups=none \
  -Dsurefire.failIfNoSpecifiedTests=false | grep -E '^\| operator|Tests run|benchmark rows|ERROR' || true
cat operator/controller/target/bench-operator.md
