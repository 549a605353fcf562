#!/bin/sh
# libvirtd.sh start|stop|kill|pause|resume|uri DIR: a private libvirtd for the tests.
#
#   start  starts one (or does nothing if DIR's is running) and prints its URI
#   kill   kill -9 of the daemon only (its guests keep running), for the
#          "libvirtd restarted" tests; `start` again brings it back
#   pause, resume   SIGSTOP / SIGCONT of the daemon (a hung libvirtd)
#   stop   destroys and undefines every domain, stops the daemon, kills any
#          QEMU left, removes DIR/libvirtd (LIBVIRTD_KEEP=1 keeps it)
#   uri    prints the URI
# LIBVIRTD_CACHE=DIR2 keeps the daemon's cache (QEMU capabilities, probed
# in ~8 s at a first start) in DIR2 across runs.
#
# This machine has no systemd and the tests run as root. A root libvirtd
# always uses /etc/libvirt, /run/libvirt, /var/lib/libvirt, ... so the
# daemon runs in its own mount namespace (unshare -m) where those folders
# are bind mounts of DIR/libvirtd/*: its configuration, state and guests are
# private to DIR, and the host's folders are never written. Its sockets are
# in DIR/libvirtd/sock, reached from outside with
#   qemu:///system?socket=DIR/libvirtd/sock/libvirt-sock
# QEMU runs as root with no security driver, and writes the serial console
# files itself (stdio_handler "file": no virtlogd to start).
# The QEMU driver refuses to start without its compiled-in user
# libvirt-qemu (created by libvirt-daemon-system, which we do not install
# because it pulls in systemd): it is created here when absent.
set -eu
USAGE="usage: libvirtd.sh start|stop|kill|pause|resume|uri DIR"
CMD=${1:?$USAGE}
DIR=${2:?$USAGE}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
L="$DIR/libvirtd"
URI="qemu:///system?socket=$L/sock/libvirt-sock"

alive() {
    [ -f "$L/libvirtd.pid" ] && kill -0 "$(cat "$L/libvirtd.pid")" 2>/dev/null
}

answers() {
    virsh -q -c "$URI" version >/dev/null 2>&1
}

case "$CMD" in
uri)
    echo "$URI"
    ;;
start)
    if alive && answers; then echo "$URI"; exit 0; fi
    [ "$(id -u)" -eq 0 ] || { echo "libvirtd.sh: needs root" >&2; exit 1; }
    for b in libvirtd virsh qemu-system-x86_64 unshare; do
        command -v "$b" >/dev/null || { echo "libvirtd.sh: $b missing (scripts/setup-libvirt.sh)" >&2; exit 1; }
    done
    getent passwd libvirt-qemu >/dev/null ||
        useradd --system --user-group --no-create-home --home-dir /var/lib/libvirt \
            --shell /usr/sbin/nologin libvirt-qemu
    CACHE=${LIBVIRTD_CACHE:-$L/cache}
    mkdir -p "$L/etc" "$L/run" "$L/lib" "$CACHE" "$L/log" "$L/sock"
    CACHE=$(cd "$CACHE" && pwd)
    chmod 700 "$L"
    cat >"$L/etc/qemu.conf" <<'EOF'
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
stdio_handler = "file"
EOF
    cat >"$L/etc/libvirtd.conf" <<EOF
unix_sock_dir = "$L/sock"
unix_sock_rw_perms = "0700"
unix_sock_ro_perms = "0700"
auth_unix_rw = "none"
auth_unix_ro = "none"
log_outputs = "3:file:$L/libvirtd.log"
EOF
    for m in /etc/libvirt /run/libvirt /var/lib/libvirt /var/cache/libvirt /var/log/libvirt; do
        mkdir -p "$m"
    done
    rm -f "$L/libvirtd.pid" "$L/sock/"*
    # setsid: the daemon outlives this script and the test's process group.
    setsid unshare -m --propagation private sh -c '
        L=$1
        mount --bind "$L/etc" /etc/libvirt &&
        mount --bind "$L/run" /run/libvirt &&
        mount --bind "$L/lib" /var/lib/libvirt &&
        mount --bind "$2" /var/cache/libvirt &&
        mount --bind "$L/log" /var/log/libvirt || exit 1
        exec libvirtd --config "$L/etc/libvirtd.conf" --pid-file "$L/libvirtd.pid"
    ' sh "$L" "$CACHE" >>"$L/libvirtd.out" 2>&1 </dev/null &
    i=0
    while ! answers; do
        i=$((i + 1))
        if [ $i -gt 150 ]; then
            echo "libvirtd.sh: libvirtd did not answer within 15 s; $L/libvirtd.out:" >&2
            tail -20 "$L/libvirtd.out" "$L/libvirtd.log" >&2 2>/dev/null || true
            exit 1
        fi
        sleep 0.1
    done
    echo "$URI"
    ;;
pause)
    alive && kill -STOP "$(cat "$L/libvirtd.pid")"
    ;;
resume)
    alive && kill -CONT "$(cat "$L/libvirtd.pid")"
    ;;
kill)
    if alive; then
        pid=$(cat "$L/libvirtd.pid")
        kill -9 "$pid"
        while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
    fi
    ;;
stop)
    [ -d "$L" ] || exit 0
    if alive && answers; then
        for dom in $(virsh -q -c "$URI" list --all --name); do
            virsh -q -c "$URI" destroy "$dom" >/dev/null 2>&1 || true
            virsh -q -c "$URI" undefine "$dom" >/dev/null 2>&1 || true
        done
    fi
    if alive; then
        pid=$(cat "$L/libvirtd.pid")
        kill -CONT "$pid" 2>/dev/null || true
        kill "$pid" 2>/dev/null || true
        i=0
        while kill -0 "$pid" 2>/dev/null; do
            i=$((i + 1))
            [ $i -eq 100 ] && kill -9 "$pid" 2>/dev/null
            sleep 0.1
        done
    fi
    # QEMU processes left by a daemon that was killed.
    for f in "$L"/run/qemu/*.pid; do
        [ -f "$f" ] || continue
        pid=$(cat "$f")
        if [ -n "$pid" ] && grep -qa qemu "/proc/$pid/cmdline" 2>/dev/null; then
            kill -9 "$pid" 2>/dev/null || true
        fi
    done
    [ "${LIBVIRTD_KEEP:-}" = 1 ] || rm -rf "$L"
    ;;
*)
    echo "$USAGE" >&2
    exit 2
    ;;
esac
