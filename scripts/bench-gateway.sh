#!/usr/bin/env bash
# Gateway benchmark, embedded backend: 100 000 live rooms, the tiny ONNX user tower and ranker,
# recall (Lucene HNSW) + ranking 200 candidates per request. The gateway runs in one JVM; wrk loads
# it from a second process on loopback. The same JVM first times the bare model inference of the
# same requests (user tower + ranker over 200 rows), the anchor of the ratio. Results are recorded
# by hand in docs/BENCHMARKS.md. Settings: ROOMS, RECALL_N, DURATION (s), CONNECTIONS, PORT.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ROOMS="${ROOMS:-100000}"
RECALL_N="${RECALL_N:-200}"
DURATION="${DURATION:-20}"
CONNECTIONS="${CONNECTIONS:-8}"
PORT="${PORT:-18930}"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }

CP_FILE="serving/gateway/target/bench-classpath.txt"
if [ "${LIVEREC_SKIP_BUILD:-0}" != "1" ]; then
  ./mvnw -B -q -DskipTests -Dspotless.check.skip=true -pl serving/gateway -am package \
    dependency:build-classpath -Dmdep.outputFile="$ROOT/$CP_FILE" -Dmdep.includeScope=test
fi
printf -- '-cp %s:%s:%s\n' "$ROOT/serving/gateway/target/test-classes" \
  "$ROOT/serving/gateway/target/classes" "$(cat "$CP_FILE")" > serving/gateway/target/bench-gateway.args

LOG="$(mktemp)"
trap 'kill "$PID" 2>/dev/null || true; rm -f "$LOG" "${LUA:-}"' EXIT
java -Xmx4g ${LIVEREC_JAVA_OPTS:-} @serving/gateway/target/bench-gateway.args \
  io.liverec.gateway.GatewayBench "$ROOMS" "$PORT" "$((DURATION + 15))" "$RECALL_N" >"$LOG" 2>&1 &
PID=$!
for _ in $(seq 1 600); do
  grep -q '^READY' "$LOG" && break
  kill -0 "$PID" 2>/dev/null || { cat "$LOG"; exit 1; }
  sleep 0.5
done
grep -q '^READY' "$LOG" || { cat "$LOG"; echo "gateway did not start" >&2; exit 1; }
cat "$LOG"

LUA="$(mktemp --suffix=.lua)"
cat > "$LUA" <<'LUA'
local n = 0
request = function()
  n = n + 1
  local body = string.format('{"userId":"u%d","surface":"home","k":20}', (n * 7919) % 10000)
  return wrk.format("POST", "/v1/recommend", {["Content-Type"] = "application/json"}, body)
end
LUA
echo "== warm-up 5 s"
wrk -t1 -c"$CONNECTIONS" -d5s -s "$LUA" "http://127.0.0.1:$PORT" >/dev/null
echo "== load ${DURATION} s, $CONNECTIONS connections (wrk, second process)"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$LUA" "http://127.0.0.1:$PORT" | tee "$LOG.wrk"
wait "$PID" || true
tail -1 "$LOG"
BARE_P50="$(sed -n 's/.*bare inference.*p50 \([0-9.]*\) ms.*/\1/p' "$LOG")"
GW_P50="$(awk '$1=="50%"{v=$2; if (v ~ /us$/) {sub("us","",v); v/=1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v*=1000}; print v}' "$LOG.wrk")"
echo "ratio gateway p50 / bare inference p50: $(awk -v g="$GW_P50" -v b="$BARE_P50" 'BEGIN{printf "%.2f", g/b}')"
rm -f "$LOG.wrk"
