#!/bin/sh
# Builds the Debian package in OUT (default build-deb) from a copy of the source
# tree (tracked and new files, nothing ignored), so that dpkg-buildpackage writes
# nothing into the work tree and its results land in OUT:
#   OUT/ncpd_VERSION_amd64.deb, .buildinfo, .changes, and build.log.
# DEB_BUILD_OPTIONS: nocheck (no tests at package build) and parallel=JOBS by default.
set -eu
OUT=${1:-build-deb}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
cd "$(dirname "$0")/.."
root=$(pwd)
rm -rf "$OUT"
mkdir -p "$OUT/src"
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    # tracked and untracked-but-not-ignored files that exist
    git ls-files -z -co --exclude-standard |
        xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done; true' _ |
        tar --null -T - -cf - | tar -xf - -C "$OUT/src"
else
    tar --exclude='./build*' --exclude='./var' -cf - . | tar -xf - -C "$OUT/src"
fi
cd "$OUT/src"
echo "deb: dpkg-buildpackage in $OUT/src (log: $OUT/build.log)"
if ! DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-nocheck parallel=$JOBS}" \
    dpkg-buildpackage -b -us -uc >../build.log 2>&1; then
    tail -40 ../build.log
    echo "deb: dpkg-buildpackage failed (whole log: $OUT/build.log)" >&2
    exit 1
fi
cd ..
rm -rf src
ls -1 "$root/$OUT"/*.deb
