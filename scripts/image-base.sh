#!/usr/bin/env bash
# Assembles LiveRec's offline base image: a Java 17 runtime (jlink from the local JDK's jmods) on
# the few Debian runtime libraries it and the native jars (TensorFlow, ONNX Runtime, DuckDB, SQLite)
# link against, fetched with `apt-get download` from the Debian mirror. Written as a `docker save`
# tarball that Jib reads as its base (`tar://…`), so CI builds real images without a registry or a
# Docker daemon. Production builds keep eclipse-temurin:17-jre (see README, "Run on a cluster").
#
#   scripts/image-base.sh [out.tar]      default .cache/images/liverec-jre17-base.tar
#
# Idempotent: an existing tarball whose recipe (this script, the JDK release, the packages'
# versions) is unchanged is kept.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/.cache/images/liverec-jre17-base.tar}"
JDK="${LIVEREC_BASE_JDK:-/usr/lib/jvm/java-17-openjdk-amd64}"
PACKAGES=(libc6 libgcc-s1 libstdc++6 zlib1g)
# java.se plus what the services use beyond it (Unsafe for Spark/Netty/Arrow, the JDK HTTP
# server, DNS naming, EC crypto, zip file systems, JMX/JFR for diagnostics).
MODULES=java.se,jdk.unsupported,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.httpserver,jdk.naming.dns,jdk.net,jdk.zipfs,jdk.management,jdk.management.agent,jdk.jfr,jdk.security.auth,jdk.security.jgss,jdk.charsets,jdk.localedata
UID_GID=10001

for tool in "$JDK/bin/jlink" apt-get dpkg-deb dpkg-query sha256sum tar python3; do
  command -v "$tool" >/dev/null || { echo "image-base: $tool not found" >&2; exit 2; }
done
[ -d "$JDK/jmods" ] || { echo "image-base: $JDK has no jmods/ (install openjdk-17-jdk-headless)" >&2; exit 2; }

versions=""
for p in "${PACKAGES[@]}"; do
  v="$(dpkg-query -W -f='${Version}' "$p:amd64" 2>/dev/null || dpkg-query -W -f='${Version}' "$p")"
  versions+="$p=$v "
done
recipe="$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-64) $(grep -h JAVA_RUNTIME_VERSION "$JDK/release") $versions"
if [ -f "$OUT" ] && [ -f "$OUT.recipe" ] && [ "$(cat "$OUT.recipe")" = "$recipe" ]; then
  echo "$OUT"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
mkdir -p "$rootfs" "$work/debs"

# the same package versions as the JDK's host (its native libraries were linked against them)
(cd "$work/debs" && for pv in $versions; do
  apt-get download -q "${pv%%=*}=${pv#*=}" >/dev/null 2>&1 || apt-get download -q "${pv%%=*}" >/dev/null
done)
for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$rootfs"; done
rm -rf "$rootfs/usr/share/doc" "$rootfs/usr/share/lintian" "$rootfs/usr/share/gdb" "$rootfs/usr/share/gcc"

mkdir -p "$rootfs/opt/java"
"$JDK/bin/jlink" --module-path "$JDK/jmods" --add-modules "$MODULES" --include-locales=en \
  --strip-debug --no-man-pages --no-header-files --compress=2 --output "$rootfs/opt/java/openjdk"
# Debian's JDK keeps its CA bundle and security policy files outside the JDK (symlinks): copy them in
for f in cacerts blocked.certs default.policy public_suffix_list.dat; do
  src="$JDK/lib/security/$f"
  if [ -e "$src" ]; then rm -f "$rootfs/opt/java/openjdk/lib/security/$f"; cp -L "$src" "$rootfs/opt/java/openjdk/lib/security/$f"; fi
done
mkdir -p "$rootfs/usr/bin"
ln -s /opt/java/openjdk/bin/java "$rootfs/usr/bin/java"

# a non-root user (the manifests run everything as 10001), a writable /tmp
mkdir -p "$rootfs/etc" "$rootfs/tmp" "$rootfs/home/liverec"
printf 'root:x:0:0:root:/root:/sbin/nologin\nliverec:x:%s:%s:liverec:/home/liverec:/sbin/nologin\n' $UID_GID $UID_GID >"$rootfs/etc/passwd"
printf 'root:x:0:\nliverec:x:%s:\n' $UID_GID >"$rootfs/etc/group"
chmod 1777 "$rootfs/tmp"

# one layer, reproducible (sorted, fixed times and owners; the user's home owned by the user)
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu \
  -C "$rootfs" -cf "$work/layer.tar" --exclude=./home/liverec .
tar --mtime=@0 --owner=$UID_GID --group=$UID_GID --numeric-owner --format=gnu \
  -C "$rootfs" -rf "$work/layer.tar" ./home/liverec

python3 - "$work" "$versions" <<'EOF'
import hashlib, json, os, sys
work, versions = sys.argv[1], sys.argv[2].split()
layer = os.path.join(work, "layer.tar")
h = hashlib.sha256()
with open(layer, "rb") as f:
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)
diff = h.hexdigest()
config = {
    "architecture": "amd64",
    "os": "linux",
    "created": "1970-01-01T00:00:00Z",
    "config": {
        "Env": [
            "PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "JAVA_HOME=/opt/java/openjdk",
            "LANG=C.UTF-8",
        ],
        "WorkingDir": "/",
        "Labels": {"io.liverec.base": "jlink-jre17+debian:" + ",".join(versions)},
    },
    "rootfs": {"type": "layers", "diff_ids": ["sha256:" + diff]},
    "history": [{"created": "1970-01-01T00:00:00Z", "created_by": "scripts/image-base.sh"}],
}
blob = json.dumps(config, sort_keys=True, separators=(",", ":")).encode()
cfg = hashlib.sha256(blob).hexdigest() + ".json"
with open(os.path.join(work, cfg), "wb") as f:
    f.write(blob)
os.makedirs(os.path.join(work, diff))
os.rename(layer, os.path.join(work, diff, "layer.tar"))
manifest = [{"Config": cfg, "RepoTags": ["liverec/jre17-base:local"], "Layers": [diff + "/layer.tar"]}]
with open(os.path.join(work, "manifest.json"), "w") as f:
    json.dump(manifest, f)
with open(os.path.join(work, "entries"), "w") as f:
    f.write("\n".join(["manifest.json", cfg, diff + "/layer.tar"]) + "\n")
EOF

mkdir -p "$(dirname "$OUT")"
tar --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work" -cf "$OUT.part" -T "$work/entries"
mv "$OUT.part" "$OUT"
printf '%s' "$recipe" >"$OUT.recipe"
echo "$OUT"
