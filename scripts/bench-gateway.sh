#!/usr/bin/env bash
# Gateway benchmark, embedded backend: 100 000 live rooms, recall (Lucene HNSW, the serving
# efSearch) + ranking 200 candidates per request. MODELS=production (default): the TrainingRun
# defaults' ranker (ESMM over DeepFM through its feature transform) and the demo's user tower
# (32-d), exported by the pipelines' exporters with untrained weights (GatewayBench prints the
# sizes); MODELS=tiny: the tiny test models. The gateway runs in one JVM with the gateway image's
# JVM flags (operator/cli/pom.xml, Jib execution "gateway") and the 2Gi memory limit of
# manifests/base/gateway.yaml as -XX:MaxRAM. The same JVM first prints the index's recall@200
# against the exact scan and times the bare model inference of the same requests (user tower +
# ranker over their 200 candidates), the anchor of the ratio. vegeta (installed into .cache/bin
# on first use) loads it from a second process: first open-loop at a fixed RATE (the p99 target is
# stated at 200 QPS), then saturated with CONNECTIONS workers. Results are recorded by hand in
# docs/BENCHMARKS.md. Settings: ROOMS, RECALL_N, DURATION (s), CONNECTIONS, RATE, PORT, MODELS.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ROOMS="${ROOMS:-100000}"
RECALL_N="${RECALL_N:-200}"
DURATION="${DURATION:-20}"
CONNECTIONS="${CONNECTIONS:-8}"
PORT="${PORT:-18930}"
VEGETA="$ROOT/.cache/bin/vegeta"
if [ ! -x "$VEGETA" ]; then
  # the load generator, pinned, from the Go module proxy (constant-rate, open-loop attacks)
  echo "bench-gateway: installing vegeta v12.12.0 into .cache/bin" >&2
  mkdir -p "$ROOT/.cache/bin"
  GOBIN="$ROOT/.cache/bin" GOPATH="$ROOT/.cache/go" go install github.com/tsenart/vegeta/v12@v12.12.0
fi
RATE="${RATE:-200}"
MODELS="${MODELS:-production}"
# the gateway image's flags (operator/cli/pom.xml) and its container memory limit (2Gi)
GATEWAY_JVM_FLAGS="-XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitialRAMPercentage=75 -XX:MaxRAMPercentage=75 -XX:+AlwaysPreTouch -XX:MaxRAM=2g"

CP_FILE="serving/gateway/target/bench-classpath.txt"
if [ "${LIVEREC_SKIP_BUILD:-0}" != "1" ]; then
  ./mvnw -B -q -DskipTests -Dspotless.check.skip=true -pl serving/gateway -am package \
    dependency:build-classpath -Dmdep.outputFile="$ROOT/$CP_FILE" -Dmdep.includeScope=test
fi
printf -- '-cp %s:%s:%s\n' "$ROOT/serving/gateway/target/test-classes" \
  "$ROOT/serving/gateway/target/classes" "$(cat "$CP_FILE")" > serving/gateway/target/bench-gateway.args

LOG="$(mktemp)"
trap 'kill "$PID" 2>/dev/null || true; rm -f "$LOG" "${TARGETS:-}"' EXIT
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "gateway JVM flags: $GATEWAY_JVM_FLAGS ${LIVEREC_JAVA_OPTS:-}"
# shellcheck disable=SC2086
java $GATEWAY_JVM_FLAGS ${LIVEREC_JAVA_OPTS:-} @serving/gateway/target/bench-gateway.args \
  io.liverec.gateway.GatewayBench "$ROOMS" "$PORT" "$((2 * DURATION + 12))" "$RECALL_N" "$MODELS" >"$LOG" 2>&1 &
PID=$!
for _ in $(seq 1 1200); do
  grep -q '^READY' "$LOG" && break
  kill -0 "$PID" 2>/dev/null || { cat "$LOG"; exit 1; }
  sleep 0.5
done
grep -q '^READY' "$LOG" || { cat "$LOG"; echo "gateway did not start" >&2; exit 1; }
cat "$LOG"

TARGETS="$(mktemp --suffix=.jsonl)"
python3 - "$TARGETS" "$PORT" <<'PY'
import base64, json, sys
with open(sys.argv[1], "w") as f:
    for n in range(1, 10001):
        body = json.dumps({"userId": "u%d" % ((n * 7919) % 10000), "surface": "home", "k": 20})
        f.write(json.dumps({"method": "POST", "url": "http://127.0.0.1:%s/v1/recommend" % sys.argv[2],
                            "header": {"Content-Type": ["application/json"]},
                            "body": base64.b64encode(body.encode()).decode()}) + "\n")
PY
attack() { # $1 = rate (0 = as fast as CONNECTIONS workers go), $2 = seconds
  # paced: up to PACED_WORKERS in flight, so a slow gateway queues requests (open loop) instead of
  # the load generator silently lowering the rate; saturated: CONNECTIONS workers, closed loop
  local max="$CONNECTIONS"
  [ "$1" != 0 ] && max="${PACED_WORKERS:-64}"
  "$VEGETA" attack -format=json -targets="$TARGETS" -rate="$1" -duration="${2}s" \
    -workers="$CONNECTIONS" -max-workers="$max" -keepalive=true | "$VEGETA" report -type=json
}
summary() { # vegeta JSON report -> "qps p50 p99 success"
  python3 -c 'import json,sys; r=json.load(sys.stdin); l=r["latencies"]; print("%.1f %.3f %.3f %.4f" % (r["throughput"], l["50th"]/1e6, l["99th"]/1e6, r["success"]))'
}
echo "== warm-up 5 s"
attack 0 5 >/dev/null
echo "== paced: ${RATE} requests/s for ${DURATION} s (vegeta, second process, open loop)"
read -r P_QPS P_P50 P_P99 P_OK < <(attack "$RATE" "$DURATION" | summary)
printf 'paced %s/s: achieved %s QPS, p50 %s ms, p99 %s ms, success %s\n' "$RATE" "$P_QPS" "$P_P50" "$P_P99" "$P_OK"
echo "== saturated: $CONNECTIONS workers, as fast as answered, ${DURATION} s"
read -r S_QPS S_P50 S_P99 S_OK < <(attack 0 "$DURATION" | summary)
printf 'saturated: %s QPS, p50 %s ms, p99 %s ms, success %s\n' "$S_QPS" "$S_P50" "$S_P99" "$S_OK"
wait "$PID" 2>/dev/null || true # the gateway prints its outcome counts when its time is up
grep -E '^(bare inference|outcomes)' "$LOG" || true
BARE_P50="$(sed -n 's/.*bare inference.*p50 \([0-9.]*\) ms.*/\1/p' "$LOG")"
BARE_P99="$(sed -n 's/.*bare inference.*p99 \([0-9.]*\) ms.*/\1/p' "$LOG")"
echo "ratio gateway / bare inference, same requests, same run: p50 $(awk -v g="$P_P50" -v b="$BARE_P50" 'BEGIN{printf "%.2f", g/b}')x (paced ${RATE}/s), p99 $(awk -v g="$P_P99" -v b="$BARE_P99" 'BEGIN{printf "%.2f", g/b}')x (target: overhead <= 1.5x)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f "$TARGETS"
