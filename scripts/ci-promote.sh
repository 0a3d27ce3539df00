#!/usr/bin/env bash
# Generic CI step (any CI system): gate a registered version and promote it to champion.
#   scripts/ci-promote.sh <model> <version> [extra promote args...]
# Exit codes are liverec's: 0 promoted, 3 a gate failed (nothing changed), 2 input/server error.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="${1:?usage: $0 <model> <version> [promote args]}"
version="${2:?usage: $0 <model> <version> [promote args]}"
shift 2
exec "$ROOT/bin/liverec" promote --model "$model" --version "$version" \
  --require "${LIVEREC_GATE:-ctcvr_auc>=0.70}" \
  --against champion --max-regression "${LIVEREC_MAX_REGRESSION:-0.002}" \
  --alias champion --output json "$@"
