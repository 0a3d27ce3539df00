#!/usr/bin/env bash
# Installs and starts, on loopback, the real servers the integration tests use.
#   scripts/test-env.sh up      install (idempotent) and start; waits until ready
#   scripts/test-env.sh down    stop what `up` started
#   scripts/test-env.sh status  print what runs and where
# Everything lives under .cache/ in the repository: the virtualenv, data dirs, logs, pid files.
# Endpoints are written to .cache/test-env/endpoints.env (sourced by scripts/test.sh and read by
# the tests themselves when the variables are not set).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache"
VENV="$CACHE/venv"
TRITON_VENV="$CACHE/venv-triton"
STATE="$CACHE/test-env"
TRITON_DIR="$STATE/triton"
ENDPOINTS="$STATE/endpoints.env"
MLFLOW_PORT="${LIVEREC_MLFLOW_PORT:-15000}"
REDIS_PORT="${LIVEREC_REDIS_PORT:-16379}"
PYTHON="${LIVEREC_PYTHON:-python3}"
BIN="$CACHE/bin"
KUSTOMIZE_VERSION="${LIVEREC_KUSTOMIZE_VERSION:-v5.8.0}"
TRITON_HTTP_PORT="${LIVEREC_TRITON_HTTP_PORT:-18000}"
TRITON_GRPC_PORT="${LIVEREC_TRITON_GRPC_PORT:-18001}"
TRITON_METRICS_PORT="${LIVEREC_TRITON_METRICS_PORT:-18002}"

log() { echo "test-env: $*" >&2; }
die() { echo "test-env: ERROR: $*" >&2; exit 1; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Two virtualenvs, because their pins cannot share one: .cache/venv (MLflow, Feast: numpy >= 2)
# and .cache/venv-triton (nvidia-pytriton's tritonserver and the Python-backend models: numpy < 2).
ensure_venv() { # dir requirements-file
  local dir="$1" req="$ROOT/scripts/$2" stamp="$1/.requirements.sha256" want
  want="$(sha256sum "$req" | cut -d' ' -f1)"
  if [ -x "$dir/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return
  fi
  log "installing Python packages from scripts/$2 into $dir (first run takes ~1-2 min)"
  [ -x "$dir/bin/python" ] || "$PYTHON" -m venv "$dir"
  "$dir/bin/pip" install --quiet --upgrade pip >/dev/null
  "$dir/bin/pip" install --quiet -r "$req"
  echo "$want" >"$stamp"
}

# kustomize renders manifests/ in the tests; built from the Go module proxy into .cache/bin.
ensure_kustomize() {
  local exe="$BIN/kustomize" stamp="$BIN/.kustomize.version"
  if [ -x "$exe" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$KUSTOMIZE_VERSION" ]; then
    echo "LIVEREC_KUSTOMIZE=$exe" >>"$ENDPOINTS.tmp"
    return
  fi
  command -v go >/dev/null || die "go is required to install kustomize (sigs.k8s.io/kustomize/kustomize/v5)"
  log "installing kustomize $KUSTOMIZE_VERSION into $BIN (first run takes ~1-2 min)"
  mkdir -p "$BIN"
  GOBIN="$BIN" GOFLAGS=-mod=mod go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION" \
    || die "go install of kustomize $KUSTOMIZE_VERSION failed"
  echo "$KUSTOMIZE_VERSION" >"$stamp"
  echo "LIVEREC_KUSTOMIZE=$exe" >>"$ENDPOINTS.tmp"
}

wait_http() { # name url seconds logfile
  local i
  for ((i = 0; i < $3 * 2; i++)); do
    if curl -fsS -o /dev/null "$2" 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  tail -30 "$4" >&2 || true
  die "$1 did not become ready at $2 within $3 s (log: $4)"
}

# uvicorn's h11 parser: feast pulls in uvicorn[standard] (httptools), whose parser rejects the Java
# HTTP client's DELETE-with-body after its `Upgrade: h2c` header (HTTP 400 on alias deletion).
start_mlflow() {
  local dir="$STATE/mlflow" pidf="$STATE/mlflow.pid" url="http://127.0.0.1:$MLFLOW_PORT"
  mkdir -p "$dir/artifacts"
  if pid_alive "$pidf" && curl -fsS -o /dev/null "$url/health" 2>/dev/null; then
    log "MLflow already running at $url (pid $(cat "$pidf"))"
  else
    if port_in_use "$MLFLOW_PORT"; then
      die "port $MLFLOW_PORT is taken by another process; free it or set LIVEREC_MLFLOW_PORT"
    fi
    log "starting MLflow tracking server at $url"
    nohup "$VENV/bin/mlflow" server \
      --backend-store-uri "sqlite:///$dir/mlflow.db" \
      --artifacts-destination "$dir/artifacts" --serve-artifacts \
      --host 127.0.0.1 --port "$MLFLOW_PORT" --workers 1 \
      --uvicorn-opts "--http h11" \
      >"$STATE/mlflow.log" 2>&1 &
    echo $! >"$pidf"
    wait_http MLflow "$url/health" 120 "$STATE/mlflow.log"
    log "MLflow ready"
  fi
  echo "LIVEREC_IT_MLFLOW_URI=$url" >>"$ENDPOINTS.tmp"
}

# tritonserver 2.51 from the nvidia-pytriton wheel (Python backend only), explicit model control,
# loopback only, an empty repository under .cache/test-env/triton/ that the tests publish into.
# The Python-backend stub runs the venv's interpreter: its libpython (the venv's base interpreter,
# or Debian's libpython3.X when that one is not built shared) and the venv's site-packages
# (numpy < 2, onnxruntime), found through PATH → .cache/venv-triton/bin/python3 → pyvenv.cfg.
prepare_triton() {
  local sp wheel py libdir
  sp="$("$TRITON_VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  wheel="$sp/pytriton/tritonserver"
  [ -x "$wheel/bin/tritonserver" ] || die "tritonserver missing from the nvidia-pytriton wheel ($wheel)"
  py="$("$TRITON_VENV/bin/python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
  [ -x "$wheel/python_backend_stubs/$py/triton_python_backend_stub" ] \
    || die "the nvidia-pytriton wheel has no Python-backend stub for Python $py"
  mkdir -p "$TRITON_DIR/backends/python" "$TRITON_DIR/repository"
  cp -f "$wheel/backends/python/libtriton_python.so" "$wheel/backends/python/triton_python_backend_utils.py" \
    "$wheel/python_backend_stubs/$py/triton_python_backend_stub" "$TRITON_DIR/backends/python/"
  libdir="$("$TRITON_VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_config_var("LIBDIR") if sysconfig.get_config_var("Py_ENABLE_SHARED") else "")')"
  if [ -z "$libdir" ] || [ ! -e "$libdir/libpython$py.so.1.0" ]; then
    libdir=/usr/lib/x86_64-linux-gnu
    if [ ! -e "$libdir/libpython$py.so.1.0" ]; then
      log "installing Debian's libpython$py (the Python-backend stub needs a shared libpython)"
      apt-get install -y -qq "libpython$py" >/dev/null || die "apt-get install libpython$py failed"
    fi
  fi
  TRITON_EXE="$wheel/bin/tritonserver"
  TRITON_LD="$sp/nvidia_pytriton.libs:$libdir"
}

start_triton() {
  local pidf="$STATE/triton.pid" url="http://127.0.0.1:$TRITON_HTTP_PORT" p
  prepare_triton
  if pid_alive "$pidf" && curl -fsS -o /dev/null "$url/v2/health/live" 2>/dev/null; then
    log "tritonserver already running at $url (pid $(cat "$pidf"))"
  else
    for p in "$TRITON_HTTP_PORT" "$TRITON_GRPC_PORT" "$TRITON_METRICS_PORT"; do
      port_in_use "$p" && die "port $p is taken by another process; free it or set LIVEREC_TRITON_HTTP_PORT/_GRPC_PORT/_METRICS_PORT"
    done
    # a fresh server starts from an empty repository: the tests publish what they load
    rm -rf "$TRITON_DIR/repository" && mkdir -p "$TRITON_DIR/repository"
    log "starting tritonserver at $url (gRPC 127.0.0.1:$TRITON_GRPC_PORT)"
    # --strict-readiness=false: /v2/health/ready = "server up"; readiness is judged per model
    # version, so a canary that fails to load does not make the server not ready (as in manifests/).
    PATH="$TRITON_VENV/bin:$PATH" LD_LIBRARY_PATH="$TRITON_LD${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
      nohup "$TRITON_EXE" --model-repository "$TRITON_DIR/repository" \
      --model-control-mode explicit --strict-readiness false \
      --backend-directory "$TRITON_DIR/backends" \
      --http-address 127.0.0.1 --http-port "$TRITON_HTTP_PORT" \
      --grpc-address 127.0.0.1 --grpc-port "$TRITON_GRPC_PORT" \
      --metrics-address 127.0.0.1 --metrics-port "$TRITON_METRICS_PORT" \
      >"$STATE/triton.log" 2>&1 &
    echo $! >"$pidf"
    wait_http tritonserver "$url/v2/health/ready" 120 "$STATE/triton.log"
    log "tritonserver ready"
  fi
  {
    echo "LIVEREC_IT_TRITON_HTTP=$url"
    echo "LIVEREC_IT_TRITON_GRPC=127.0.0.1:$TRITON_GRPC_PORT"
    echo "LIVEREC_IT_TRITON_METRICS=http://127.0.0.1:$TRITON_METRICS_PORT/metrics"
    echo "LIVEREC_IT_TRITON_REPOSITORY=$TRITON_DIR/repository"
    echo "LIVEREC_TRITONSERVER=$TRITON_EXE"
    echo "LIVEREC_TRITONSERVER_LD_LIBRARY_PATH=$TRITON_LD"
    echo "LIVEREC_TRITONSERVER_BACKENDS=$TRITON_DIR/backends"
    echo "LIVEREC_TRITONSERVER_PATH=$TRITON_VENV/bin"
  } >>"$ENDPOINTS.tmp"
}

# Redis for Feast's online-store tests: Debian's server binary (redis-tools ships it as
# redis-check-rdb; redis-server is a symlink to it, and installing redis-tools starts no service).
ensure_redis() {
  local exe
  exe="$(command -v redis-server || true)"
  if [ -z "$exe" ]; then
    if [ ! -x /usr/bin/redis-check-rdb ]; then
      [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null \
        || die "redis-server is missing: install Debian's redis-tools (apt-get install redis-tools)"
      log "installing Debian's redis-tools (the Redis server binary)"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-tools >/dev/null 2>&1 \
        || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-tools >/dev/null; } \
        || die "apt-get install redis-tools failed"
    fi
    mkdir -p "$BIN"
    ln -sf /usr/bin/redis-check-rdb "$BIN/redis-server"
    exe="$BIN/redis-server"
  fi
  REDIS_SERVER="$exe"
}

redis_ping() { # port
  local reply
  reply="$( (exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'PING\r\n' >&3 && timeout 2 head -c 7 <&3) 2>/dev/null || true)"
  [[ "$reply" == "+PONG"* ]]
}

start_redis() {
  local dir="$STATE/redis" pidf="$STATE/redis.pid" i
  mkdir -p "$dir"
  if pid_alive "$pidf" && redis_ping "$REDIS_PORT"; then
    log "Redis already running at 127.0.0.1:$REDIS_PORT (pid $(cat "$pidf"))"
  else
    ensure_redis
    if port_in_use "$REDIS_PORT"; then
      die "port $REDIS_PORT is taken by another process; free it or set LIVEREC_REDIS_PORT"
    fi
    log "starting Redis at 127.0.0.1:$REDIS_PORT"
    nohup "$REDIS_SERVER" --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
      --dir "$dir" --daemonize no >"$STATE/redis.log" 2>&1 &
    echo $! >"$pidf"
    for ((i = 0; i < 40; i++)); do redis_ping "$REDIS_PORT" && break; sleep 0.25; done
    redis_ping "$REDIS_PORT" || { tail -20 "$STATE/redis.log" >&2; die "Redis did not start (log: $STATE/redis.log)"; }
    log "Redis ready"
  fi
  echo "LIVEREC_IT_REDIS=127.0.0.1:$REDIS_PORT" >>"$ENDPOINTS.tmp"
  echo "LIVEREC_IT_FEAST_PYTHON=$VENV/bin/python" >>"$ENDPOINTS.tmp"
}

stop_one() { # name
  local pidf="$STATE/$1.pid"
  if pid_alive "$pidf"; then
    local pid
    pid="$(cat "$pidf")"
    pkill -TERM -P "$pid" 2>/dev/null || true
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
    log "stopped $1"
  fi
  rm -f "$pidf"
}

cmd="${1:-}"
case "$cmd" in
  up)
    mkdir -p "$STATE"
    command -v curl >/dev/null || die "curl is required"
    ensure_venv "$VENV" requirements-test.txt
    ensure_venv "$TRITON_VENV" requirements-triton.txt
    rm -f "$ENDPOINTS.tmp"
    start_mlflow
    start_triton
    start_redis
    ensure_kustomize
    mv "$ENDPOINTS.tmp" "$ENDPOINTS"
    sed 's/^/export /' "$ENDPOINTS"
    ;;
  down)
    stop_one triton
    stop_one mlflow
    stop_one redis
    rm -f "$ENDPOINTS"
    ;;
  status)
    for s in mlflow triton redis; do
      if pid_alive "$STATE/$s.pid"; then echo "$s: running (pid $(cat "$STATE/$s.pid"))"; else echo "$s: stopped"; fi
    done
    [ -f "$ENDPOINTS" ] && cat "$ENDPOINTS"
    ;;
  *)
    echo "usage: $0 up|down|status" >&2
    exit 1
    ;;
esac
