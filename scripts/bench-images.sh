#!/usr/bin/env bash
# What the images cost CI: the same reactor (every module that builds an image, and what they
# depend on) built twice from clean in one run — once as `package` without the images (the anchor,
# what verify spends anyway on compiling and packaging), once with `-Pimages` (the six Jib tarballs,
# the GPU trainer module and ImageTarballsTest) — plus scripts/image-base.sh from scratch (a fresh
# clone has no .cache/images). Prints a docs/BENCHMARKS.md row with the 1-minute load average.
# Other tests are skipped in both builds. About 10 minutes on 2 quiet cores, ~17 at load 7–10.
# Extra arguments go to Maven (e.g. -o).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MODULES=feature-store,pipelines,operator/cli,operator/controller
COMMON=(-B -Dspotless.check.skip=true -Dsurefire.failIfNoSpecifiedTests=false -Dtest=ImageTarballsTest)
log="$ROOT/target/bench-images"
mkdir -p "$log"
load() { cut -d' ' -f1 /proc/loadavg; }

l0=$(load)
base_tar="$log/base.tar"
rm -f "$base_tar" "$base_tar.recipe"
t_base=$( { /usr/bin/time -f %e scripts/image-base.sh "$base_tar" >/dev/null; } 2>&1 | tail -1 )
rm -f "$base_tar" "$base_tar.recipe"
# the images profile reads .cache/images (kept if its recipe is unchanged)
scripts/image-base.sh >/dev/null

run() { /usr/bin/time -f %e -o "$log/time" ./mvnw "${COMMON[@]}" "$@" >"$log/last.log" 2>&1 || {
  tail -40 "$log/last.log" >&2; exit 1; }; cat "$log/time"; }
l1=$(load)
t_anchor=$(run clean package -pl "$MODULES" -am "$@")
l2=$(load)
t_images=$(run clean package -Pimages -pl images -am "$@")
l3=$(load)
grep -q 'Tests run: 8, Failures: 0, Errors: 0' "$log/last.log" || { echo "ImageTarballsTest did not pass" >&2; exit 1; }
added=$(echo "$t_images - $t_anchor" | bc)
echo "| CI time the images add: 6 Jib tarballs + GPU trainer module + ImageTarballsTest (Maven), and image-base.sh from scratch | the same reactor's clean package without -Pimages, same run: ${t_anchor} s | $(echo "scale=2; $t_images / $t_anchor" | bc)× | +${added} s Maven, +${t_base} s base image (fresh clone only), load average ${l0} / ${l1} / ${l2} / ${l3} | \`scripts/bench-images.sh\` | $(date -u +%F) |"
