#!/bin/sh
# build-guest.sh OUTDIR: the tiny test guest of the libvirt suites, from Debian
# packages only, cached in OUTDIR:
#   OUTDIR/vmlinuz     the kernel of linux-image-cloud-amd64 (fetched with
#                      `apt-get download`, unpacked with dpkg-deb -x; never
#                      installed on the host)
#   OUTDIR/initrd.gz   busybox-static + the modules the guest needs + init
#                      (tests/vm/guest-init.sh)
#   OUTDIR/cmdline     kernel command line to boot it with
# A second run with the same kernel package, busybox and init is a no-op.
# Needs: apt lists (apt-get update), busybox-static, dpkg-deb, gzip.
set -eu
OUT=${1:?usage: build-guest.sh OUTDIR}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

BUSYBOX=/bin/busybox
[ -x "$BUSYBOX" ] || { echo "build-guest: $BUSYBOX missing (package busybox-static)" >&2; exit 1; }
"$BUSYBOX" --list | grep -qx acpid || { echo "build-guest: $BUSYBOX has no acpid" >&2; exit 1; }

# The versioned image package the metapackage points at.
apt-cache show linux-image-cloud-amd64 >/dev/null 2>&1 || apt-get update -qq
PKG=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
      awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
[ -n "$PKG" ] || { echo "build-guest: linux-image-cloud-amd64 unknown to apt (run apt-get update)" >&2; exit 1; }
VER=$(apt-cache policy "$PKG" | awk '/Candidate:/ {print $2}')
KREL=${PKG#linux-image-}

# Modules loaded by the init, in this order after their dependencies.
MODS="virtio_pci virtio_blk isofs button evdev"

STAMP="$PKG $VER busybox=$(sha256sum "$BUSYBOX" | cut -c1-16) init=$(sha256sum "$HERE/guest-init.sh" "$0" | sha256sum | cut -c1-16) mods=$MODS"
if [ -f "$OUT/stamp" ] && [ "$(cat "$OUT/stamp")" = "$STAMP" ] &&
   [ -s "$OUT/vmlinuz" ] && [ -s "$OUT/initrd.gz" ]; then
    exit 0
fi
echo "build-guest: building $OUT ($PKG $VER)"

DEBS="$OUT/debs"
mkdir -p "$DEBS"
DEB=$(ls "$DEBS/${PKG}_"*.deb 2>/dev/null | head -1 || true)
if [ -z "$DEB" ]; then
    # apt's sandbox user cannot write into a root-only folder; the download
    # then runs unsandboxed (a warning, not an error).
    (cd "$DEBS" && apt-get download -q "$PKG" 2>&1 | grep -v 'unsandboxed' || true)
    DEB=$(ls "$DEBS/${PKG}_"*.deb 2>/dev/null | head -1 || true)
    [ -n "$DEB" ] || { echo "build-guest: apt-get download $PKG failed" >&2; exit 1; }
fi

WORK=$(mktemp -d "$OUT/work.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
dpkg-deb -x "$DEB" "$WORK/pkg"
MODDIR="$WORK/pkg/lib/modules/$KREL"
[ -d "$MODDIR" ] || { echo "build-guest: no modules for $KREL in $DEB" >&2; exit 1; }

ROOT="$WORK/root"
mkdir -p "$ROOT/bin" "$ROOT/sbin" "$ROOT/etc/acpi" "$ROOT/proc" "$ROOT/sys" \
         "$ROOT/dev" "$ROOT/mnt/seed" "$ROOT/tmp" "$ROOT/lib/modules" "$ROOT/root"
cp "$BUSYBOX" "$ROOT/bin/busybox"
for app in $("$BUSYBOX" --list); do
    [ "$app" = busybox ] || ln -s busybox "$ROOT/bin/$app"
done

# Module files with their dependencies (read from each module's modinfo
# "depends=" field), dependencies first. Built-in ones are skipped.
order=""
add_mod() { # name
    local n f deps dep
    n=$(echo "$1" | tr - _)
    case " $order " in *" $n "*) return 0 ;; esac
    f=$(find "$MODDIR/kernel" -name "$n.ko" -o -name "$(echo "$n" | tr _ -).ko" | head -1)
    if [ -z "$f" ]; then
        grep -q "/$n.ko\$" "$MODDIR/modules.builtin" 2>/dev/null && return 0
        grep -q "/$(echo "$n" | tr _ -).ko\$" "$MODDIR/modules.builtin" 2>/dev/null && return 0
        echo "build-guest: module $n not found" >&2; exit 1
    fi
    deps=$(tr '\0' '\n' <"$f" | sed -n 's/^depends=//p' | head -1 | tr , ' ')
    for dep in $deps; do add_mod "$dep"; done
    cp "$f" "$ROOT/lib/modules/$n.ko"
    order="$order $n"
}
for m in $MODS; do add_mod "$m"; done
echo "$order" | tr ' ' '\n' | sed '/^$/d' >"$ROOT/etc/modules"

cp "$HERE/guest-init.sh" "$ROOT/init"
chmod 755 "$ROOT/init"
# busybox acpid (-c /etc/acpi): /etc/acpid.conf maps the power button's
# event (text containing PWRF) to the program /etc/acpi/power.
cat >"$ROOT/etc/acpi/power" <<'EOF'
#!/bin/sh
echo "ncpd-guest: power button pressed, powering off" >/dev/console
sync
poweroff -f
EOF
chmod 755 "$ROOT/etc/acpi/power"
echo "PWRF power" >"$ROOT/etc/acpid.conf"

(cd "$ROOT" && find . | sort >"$WORK/list" && "$BUSYBOX" cpio -o -H newc <"$WORK/list" >"$WORK/initrd")
gzip -9 "$WORK/initrd"
[ "$(stat -c %s "$WORK/initrd.gz")" -gt 100000 ] || { echo "build-guest: initrd too small" >&2; exit 1; }
cp "$WORK/pkg/boot/vmlinuz-$KREL" "$WORK/vmlinuz"
mv "$WORK/vmlinuz" "$OUT/vmlinuz"
mv "$WORK/initrd.gz" "$OUT/initrd.gz"
echo "console=ttyS0 panic=-1 quiet" >"$OUT/cmdline"
echo "$STAMP" >"$OUT/stamp"
echo "build-guest: done: $(du -h "$OUT/vmlinuz" | cut -f1) kernel, $(du -h "$OUT/initrd.gz" | cut -f1) initrd"
