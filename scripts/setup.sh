#!/bin/sh
# Installs the Debian packages ncpd needs to build, run, test and package, when missing
# (the browser tests' npm package is installed by `make browser`).
# Idempotent: it only calls apt-get when a package is absent.
#
#   scripts/setup.sh           install what is missing (every group)
#   scripts/setup.sh --check build|deb
#                              install nothing; when a package needed to build (or to build
#                              the .deb) is missing, print one line naming them and
#                              `make setup`, exit 1
set -eu
# to build ncpd and ncpctl (libgnutls28-dev: the listener's TLS goes through GnuTLS)
BUILD_PKGS="build-essential cmake pkg-config libmicrohttpd-dev libsqlite3-dev libssl-dev
libcurl4-openssl-dev libjansson-dev libgnutls28-dev libpq-dev libvirt-dev libxml2-dev"
# to run the tests: unit tests, e2e helpers, fuzzing, man page and unit file checks
TEST_PKGS="libcmocka-dev libxml2-dev sqlite3 python3 curl openssl openssh-client
clang libclang-rt-14-dev groff-base man-db systemd postgresql qemu-utils genisoimage"
# to build, inspect and install the Debian package (make deb, make test-package)
DEB_PKGS="dpkg-dev debhelper fakeroot lintian adduser"
# the browser tests of the web console (tests/browser): Debian's chromium; Node.js and
# npm from Debian only when the machine has none (the base image may bring its own)
BROWSER_PKGS="chromium"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    BROWSER_PKGS="$BROWSER_PKGS nodejs npm"
fi
PKGS="$BUILD_PKGS $TEST_PKGS $DEB_PKGS $BROWSER_PKGS"

missing_of() {
    m=""
    # one dpkg-query for all: names that are not "install ok installed"
    installed=$(dpkg-query -W -f='${Package} ${Status}\n' $1 2>/dev/null |
        awk '$4 == "installed" {print $1}')
    for p in $1; do
        case " $(echo $installed) " in
            *" $p "*) ;;
            *) m="$m $p" ;;
        esac
    done
    echo "$m"
}

if [ "${1:-}" = "--check" ]; then
    case "${2:-build}" in
        build) need="$BUILD_PKGS"; what="build" ;;
        deb) need="$BUILD_PKGS $DEB_PKGS"; what="build the Debian package" ;;
        *) echo "usage: setup.sh [--check build|deb]" >&2; exit 2 ;;
    esac
    missing=$(missing_of "$need")
    if [ -n "$missing" ]; then
        echo "ncpd: missing Debian packages to $what:$missing; run 'make setup' (it installs them with apt-get)" >&2
        exit 1
    fi
    exit 0
fi

[ "${NCPD_SETUP_EXTRA:-}" ] && PKGS="$PKGS $NCPD_SETUP_EXTRA"
missing=$(missing_of "$PKGS")
[ -z "$missing" ] && exit 0
echo "setup: installing$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
