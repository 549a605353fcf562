#!/bin/sh
# A throwaway PostgreSQL cluster for the tests: unix socket only, in a folder
# of its own, run by an unprivileged user (initdb refuses root).
#
#   scripts/pg-test.sh start DIR   creates and starts it; prints the base URI
#                                  (postgresql://ncpd@/postgres?host=DIR/sock)
#   scripts/pg-test.sh uri DIR     prints the base URI
#   scripts/pg-test.sh restart DIR [immediate]   stops (fast, or immediate: a
#                                  crash) and starts it again
#   scripts/pg-test.sh stop DIR    stops it and removes DIR
#
# The superuser is `ncpd`, authentication `trust` on the socket (nothing
# listens on TCP). Every test database is created by the harness.
set -eu
cmd=${1:?usage: pg-test.sh start|uri|restart|stop DIR}
dir=${2:?usage: pg-test.sh start|uri|restart|stop DIR}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "pg-test: PostgreSQL server binaries not found (make setup)" >&2; exit 1; }
user=${NCPD_PG_USER:-nobody}
as_user() {
    if [ "$(id -u)" -eq 0 ]; then
        setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups -- "$@"
    else
        "$@"
    fi
}
uri() { echo "postgresql://ncpd@/postgres?host=$dir/sock"; }

case "$cmd" in
start)
    mkdir -p "$dir/sock"
    [ "$(id -u)" -eq 0 ] && chown -R "$user" "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_user "$bin/initdb" -D "$dir/data" -U ncpd --auth=trust -E UTF8 --locale=C.UTF-8 \
            >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
        cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$dir/sock'
max_connections = 500
shared_buffers = 32MB
synchronous_commit = on
fsync = on
log_min_messages = warning
EOF
    fi
    as_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start >/dev/null ||
        { tail -20 "$dir/postgres.log" >&2; exit 1; }
    uri
    ;;
uri)
    uri
    ;;
restart)
    mode=${3:-fast}
    as_user "$bin/pg_ctl" -D "$dir/data" -m "$mode" -w -t 60 stop >/dev/null 2>&1 || true
    as_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start >/dev/null ||
        { tail -20 "$dir/postgres.log" >&2; exit 1; }
    ;;
stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_user "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 60 stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: pg-test.sh start|uri|restart|stop DIR" >&2
    exit 2
    ;;
esac
