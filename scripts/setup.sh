#!/bin/sh
# Installs the Debian packages ncpd needs to build, run and test, when missing.
# Idempotent: it only calls apt-get when a package is absent.
set -eu
PKGS="build-essential cmake pkg-config libmicrohttpd-dev libsqlite3-dev libssl-dev
libcmocka-dev libcurl4-openssl-dev libjansson-dev libxml2-dev sqlite3 python3 curl openssl
openssh-client
clang libclang-rt-14-dev
libvirt-dev qemu-utils genisoimage"
[ "${NCPD_SETUP_EXTRA:-}" ] && PKGS="$PKGS $NCPD_SETUP_EXTRA"
missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0
echo "setup: installing$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
