#!/bin/sh
# Run ncpd under valgrind memcheck; used as NCPD_BIN by `make test-valgrind`.
#
# The daemon's report (heap and leak summaries, every error) goes to its stderr, i.e. into
# the daemon log the e2e harness writes. Command line runs (ncpd account ..., ncpd catalog ...) log to
# $NCPD_VALGRIND_DIR/cli-<pid>.log instead, so that the tests reading their output are not
# disturbed. `python3 tests/e2e/reliability_util.py valgrind-report DIR` summarises both.
# A definite leak or a memory error makes the process exit 99.
#
# NCPD_VALGRIND_TARGET: the binary to run (default: build/ncpd of this checkout).
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
target=${NCPD_VALGRIND_TARGET:-$here/../../build/ncpd}
log=--log-fd=2
case "$1" in
account|catalog)
    if [ -n "$NCPD_VALGRIND_DIR" ]; then
        mkdir -p "$NCPD_VALGRIND_DIR"
        log="--log-file=$NCPD_VALGRIND_DIR/cli-%p.log"
    fi
    ;;
esac
exec valgrind --leak-check=full --show-leak-kinds=definite,possible \
    --errors-for-leak-kinds=definite --error-exitcode=99 --track-origins=yes \
    --num-callers=30 "$log" "$target" "$@"
