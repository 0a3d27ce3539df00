#!/usr/bin/env bash
# Operator benchmark: 1000 TrainingRuns created at once against the Fabric8 mock API server (time
# until every Job exists, p99 and mean reconcile, heap), with 100 runs in the same JVM as the
# anchor. Prints docs/BENCHMARKS.md rows (also written to operator/controller/target/bench-operator.md).
# Upstream modules are built in the same reactor (-am), so nothing is installed into ~/.m2.
# Extra arguments go to Maven, e.g. -o, or
# -Dsurefire.argLine="-Xmx2g -XX:StartFlightRecording=settings=profile,filename=/tmp/op.jfr".
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
./mvnw -B test -pl operator/controller -am -Dtest=OperatorBenchmark -Dliverec.excludedGroups=none \
  -Dsurefire.failIfNoSpecifiedTests=false -Dspotless.check.skip=true "$@" \
  | grep -E '^\| operator|Tests run:|benchmark rows|ERROR' || true
cat operator/controller/target/bench-operator.md
