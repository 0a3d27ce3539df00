#!/usr/bin/env bash
# ANN benchmark: Lucene HNSW vs jvector vs the exact scan on 100k x 64 clustered vectors (one run,
# same data). Extra arguments are key=value settings of io.liverec.pipelines.recall.bench.AnnBenchmark
# (e.g. n=20000 ef=100,200). Results are recorded by hand in docs/BENCHMARKS.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if [ "${LIVEREC_SKIP_BUILD:-0}" != "1" ]; then
  ./mvnw -B -q -DskipTests -Dspotless.check.skip=true -pl pipelines -am package
fi
CP_FILE="pipelines/target/bench-classpath.txt"
./mvnw -B -q -pl pipelines dependency:build-classpath -Dmdep.outputFile="$ROOT/$CP_FILE" -Dmdep.includeScope=runtime
# an @argfile keeps the JVM command line short
printf -- '-cp %s:%s\n' "$ROOT/pipelines/target/classes" "$(cat "$CP_FILE")" > pipelines/target/bench-ann.args
exec java -Xmx4g ${LIVEREC_JAVA_OPTS:-} @pipelines/target/bench-ann.args \
  io.liverec.pipelines.recall.bench.AnnBenchmark "$@"
