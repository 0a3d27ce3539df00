#!/usr/bin/env bash
# Feature-store benchmark (needs `scripts/test-env.sh up`: Redis and Feast Python):
#  - GetOnlineFeatures p50/p99, 200 entities x 20 features on Redis over loopback: LiveRec's
#    ServingService through FeastClient vs Feast Python's get_online_features on the same store;
#  - point-in-time join rows/s: LiveRec on DuckDB vs Feast's get_historical_features, same data.
# Prints docs/BENCHMARKS.md rows (also written to feature-store/target/bench-features.md).
# Sizes: -Dbench.users=20000 -Dbench.sourceRows=100000 -Dbench.samples=200000 -Dbench.iterations=1000
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# Through the reactor (-am builds api and the parent from source): nothing is installed into ~/.m2.
./mvnw -B test -pl feature-store -am -Dspotless.check.skip=true \
  -Dtest=FeatureBenchmark -Dsurefire.failIfNoSpecifiedTests=false "$@" \
  | grep -E '^\| |Tests run|benchmark rows|breakdown|ERROR' || true
cat feature-store/target/bench-features.md
