#!/bin/sh
# run.sh CMD...: the suites of real machines (make test-libvirt), against a
# real libvirtd and a booting guest. Builds (or reuses) the guest in
# $NCPD_VM_GUEST (default build/vm-guest), starts a private libvirtd in a
# temporary folder, runs each CMD (a shell command: the driver's suite
# build/vm_drv_libvirt, ncpd's tests/vm/test_ncpd_guest.py) with its own
# empty vm folder, and always stops the daemon and removes the folder.
# Needs root (the daemon) and the packages of NCPD_SETUP_EXTRA in the
# Makefile's test-libvirt target.
set -eu
[ $# -ge 1 ] || { echo "usage: run.sh CMD..." >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
GUEST=${NCPD_VM_GUEST:-$ROOT/build/vm-guest}
export LIBVIRTD_CACHE=${LIBVIRTD_CACHE:-$ROOT/build/libvirtd-cache}
sh "$HERE/build-guest.sh" "$GUEST"
WORK=$(mktemp -d /tmp/ncpd-vm.XXXXXX)
cleanup() {
    st=$?
    if [ $st -ne 0 ] && [ -f "$WORK/d/libvirtd/libvirtd.log" ]; then
        echo "---- last lines of the libvirtd log ----" >&2
        tail -20 "$WORK/d/libvirtd/libvirtd.log" >&2
    fi
    sh "$HERE/libvirtd.sh" stop "$WORK/d" || true
    rm -rf "$WORK"
    exit $st
}
trap cleanup EXIT
trap 'exit 130' INT TERM
t0=$(date +%s)
URI=$(sh "$HERE/libvirtd.sh" start "$WORK/d")
echo "run.sh: libvirtd up in $(( $(date +%s) - t0 )) s: $URI"
i=0
for cmd in "$@"; do
    i=$((i + 1))
    mkdir -p "$WORK/vm$i"
    echo "run.sh: $cmd"
    t0=$(date +%s)
    NCPD_VM_URI=$URI NCPD_VM_GUEST=$GUEST NCPD_VM_DIR=$WORK/vm$i \
    NCPD_VM_LIBVIRTD="sh $HERE/libvirtd.sh" NCPD_VM_LIBVIRTD_DIR=$WORK/d \
        timeout --kill-after=10 "${NCPD_VM_TIMEOUT:-900}" sh -c "$cmd"
    echo "run.sh: done in $(( $(date +%s) - t0 )) s: $cmd"
done
