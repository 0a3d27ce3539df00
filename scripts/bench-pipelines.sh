#!/usr/bin/env bash
# Runs one benchmark main of the pipelines module. The benchmarks live in pipelines/src/bench/java,
# a test source root (build-helper-maven-plugin): they are compiled into target/test-classes and are
# not part of the production jar. Builds the module and its upstream modules first (unless
# LIVEREC_SKIP_BUILD=1), then runs the class on the module's test classpath.
# Usage: scripts/bench-pipelines.sh <main class> [arguments…]; JVM options in LIVEREC_JAVA_OPTS
# (default -Xmx4g). The bench-*.sh scripts call it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MAIN="${1:?usage: scripts/bench-pipelines.sh <main class> [arguments…]}"
shift
CACHE="${LIVEREC_CACHE:-$ROOT/.cache}"
CP_FILE="pipelines/target/bench-classpath.txt"
if [ "${LIVEREC_SKIP_BUILD:-0}" != "1" ] || [ ! -f "$CP_FILE" ]; then
  ./mvnw -B -q -DskipTests -Dspotless.check.skip=true -pl pipelines -am package \
    dependency:build-classpath -Dmdep.outputFile="$ROOT/$CP_FILE" -Dmdep.includeScope=test
fi
# an @argfile keeps the JVM command line short (ONNX Runtime dislikes long command lines)
ARGS="pipelines/target/bench-${MAIN##*.}.args"
printf -- '-cp %s:%s:%s\n' "$ROOT/pipelines/target/test-classes" "$ROOT/pipelines/target/classes" \
  "$(cat "$CP_FILE")" > "$ARGS"
exec java ${LIVEREC_JAVA_OPTS:--Xmx4g} -Dorg.bytedeco.javacpp.cachedir="$CACHE/javacpp" \
  @"$ARGS" "$MAIN" "$@"
