#!/bin/sh
# run.sh TESTBIN: the libvirt driver against a real libvirtd and a booting
# guest (make test-libvirt). Builds (or reuses) the guest in
# $NCPD_VM_GUEST (default build/vm-guest), starts a private libvirtd in a
# temporary folder, runs TESTBIN, and always stops the daemon and removes
# the folder. Needs root (the daemon) and the packages of
# NCPD_SETUP_EXTRA in the Makefile's test-libvirt target.
set -eu
TESTBIN=${1:?usage: run.sh TESTBIN}
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
mkdir -p "$WORK/vm"
NCPD_VM_URI=$URI NCPD_VM_GUEST=$GUEST NCPD_VM_DIR=$WORK/vm \
NCPD_VM_LIBVIRTD="sh $HERE/libvirtd.sh" NCPD_VM_LIBVIRTD_DIR=$WORK/d \
    timeout --kill-after=10 "${NCPD_VM_TIMEOUT:-900}" "$TESTBIN"
