#!/usr/bin/env bash
# The test command: starts the real servers the integration tests need, then runs the whole build
# (compile, format check, unit and integration tests, the container images). Extra arguments go to Maven.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# uvicorn's h11 parser for every MLflow server the tests start (test-env's and MlflowFaultIT's own):
# feast brings httptools, whose parser answers the Java client's DELETE-with-body with HTTP 400.
export UVICORN_HTTP=h11

started_here=0
if ! scripts/test-env.sh status 2>/dev/null | grep -q ': running'; then started_here=1; fi
scripts/test-env.sh up >/dev/null
set -a
# shellcheck disable=SC1091
. .cache/test-env/endpoints.env
set +a

cleanup() { if [ "$started_here" = 1 ] && [ "${LIVEREC_KEEP_TEST_ENV:-0}" != 1 ]; then scripts/test-env.sh down; fi; }
trap cleanup EXIT

# The images (Jib tarballs of operator, trainer, trainer-gpu, gateway, feature server, Spark job)
# are built in the same reactor on the offline base the project assembles (no registry is
# reachable) and opened by the images module's tests: about 3 minutes more under load (measured in
# docs/BENCHMARKS.md; scripts/bench-images.sh), the base 1.6 more on a fresh clone only.
scripts/image-base.sh >/dev/null
./mvnw -B verify -Pimages "$@"
