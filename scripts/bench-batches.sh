#!/usr/bin/env bash
# Training batch reader benchmark: DuckDB-streamed, shuffled, feature-transformed batches against a
# plain JDBC scan of the same columns (same run, same rows). Extra arguments are key=value settings
# of io.liverec.pipelines.train.bench.BatchReaderBenchmark (users=, rooms=, days=, dir=).
# Prints one docs/BENCHMARKS.md row.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if [ "${LIVEREC_SKIP_BUILD:-0}" != "1" ]; then
  ./mvnw -B -q -DskipTests -Dspotless.check.skip=true -pl pipelines -am package
fi
CP_FILE="pipelines/target/bench-classpath.txt"
./mvnw -B -q -pl pipelines dependency:build-classpath -Dmdep.outputFile="$ROOT/$CP_FILE" -Dmdep.includeScope=runtime
printf -- '-cp %s:%s\n' "$ROOT/pipelines/target/classes" "$(cat "$CP_FILE")" > pipelines/target/bench-batches.args
# a small heap on purpose: the reader must stream, not load the samples
exec java -Xmx512m ${LIVEREC_JAVA_OPTS:-} @pipelines/target/bench-batches.args \
  io.liverec.pipelines.train.bench.BatchReaderBenchmark "$@"
