#!/usr/bin/env bash
# Ranker benchmark: training samples/s at batch 1024, DeepFM+ESMM (anchor) vs the full model
# (KFM + cross + AutoInt, ESMM + MMoE, GradNorm, PCGrad), and full-model forward latency in TF vs
# its ONNX export in ONNX Runtime, one run on the same data. Extra arguments are key=value settings
# of io.liverec.pipelines.ranking.bench.RankerBenchmark (batch, steps, warmup, fields, vocab).
# Results are recorded by hand in docs/BENCHMARKS.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CACHE="${LIVEREC_CACHE:-$ROOT/.cache}"

if [ "${LIVEREC_SKIP_BUILD:-0}" != "1" ]; then
  ./mvnw -B -q -DskipTests -Dspotless.check.skip=true -pl pipelines -am package
fi
CP_FILE="pipelines/target/bench-classpath.txt"
./mvnw -B -q -pl pipelines dependency:build-classpath -Dmdep.outputFile="$ROOT/$CP_FILE" -Dmdep.includeScope=runtime
# an @argfile keeps the JVM command line short (ONNX Runtime dislikes long command lines)
printf -- '-cp %s:%s\n' "$ROOT/pipelines/target/classes" "$(cat "$CP_FILE")" > pipelines/target/bench-ranker.args
exec java -Xmx6g -Dorg.bytedeco.javacpp.cachedir="$CACHE/javacpp" ${LIVEREC_JAVA_OPTS:-} \
  @pipelines/target/bench-ranker.args io.liverec.pipelines.ranking.bench.RankerBenchmark "$@"
