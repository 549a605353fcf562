#!/bin/sh
# /init of the test guest (tests/vm/build-guest.sh). Runs as PID 1 under
# busybox and reports on the serial console, one "ncpd-guest: " line per fact:
#   instance-id=, hostname=   from the NoCloud seed's meta-data
#   meta-data begin ... meta-data end   the seed's meta-data, verbatim
#   user-data begin ... user-data end   the seed's user-data, verbatim
#   cpus=, mem-kb=, disks=NAME:BYTES:SERIAL,...   what the guest sees
#   ready                      init done; the ACPI power button now powers off
# then keeps running, and prints disks= again whenever the set changes.
# Directives in the user-data, for tests:
#   #ncpd-guest ignore-power-button    acpid is not started
#   #ncpd-guest poweroff-after=N       the guest powers itself off after N s
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
say() { echo "ncpd-guest: $*"; }
say "init started uptime=$(cut -d' ' -f1 /proc/uptime)"
while read -r m; do
    insmod "/lib/modules/$m.ko" 2>/dev/null || say "insmod $m failed"
done </etc/modules

disks() {
    out=""
    for b in /sys/block/*; do
        n=${b##*/}
        case $n in loop*|ram*) continue ;; esac
        size=$(( $(cat "$b/size") * 512 ))
        serial=$(cat "$b/serial" 2>/dev/null)
        out="$out${out:+,}$n:$size:$serial"
    done
    echo "$out"
}

seed=""
i=0
while [ $i -lt 100 ]; do
    seed=$(findfs LABEL=cidata 2>/dev/null) && [ -n "$seed" ] && break
    seed=""
    i=$((i + 1))
    sleep 0.1
done
userdata=""
if [ -n "$seed" ] && mount -t iso9660 -o ro "$seed" /mnt/seed 2>/dev/null; then
    iid=$(sed -n 's/^instance-id: *//p' /mnt/seed/meta-data | tr -d "\"'")
    host=$(sed -n 's/^local-hostname: *//p' /mnt/seed/meta-data | tr -d "\"'")
    [ -n "$host" ] && hostname "$host"
    say "seed=$seed"
    say "instance-id=$iid"
    say "hostname=$(hostname)"
    say "meta-data begin"
    cat /mnt/seed/meta-data
    say "meta-data end"
    userdata=/mnt/seed/user-data
    say "user-data begin"
    cat "$userdata"
    echo
    say "user-data end"
else
    say "no NoCloud seed found"
fi
say "cpus=$(nproc)"
say "mem-kb=$(sed -n 's/^MemTotal: *\([0-9]*\).*/\1/p' /proc/meminfo)"
cur=$(disks)
say "disks=$cur"

if [ -n "$userdata" ] && grep -q '^#ncpd-guest ignore-power-button' "$userdata"; then
    say "ignoring the power button"
else
    acpid -c /etc/acpi -l /tmp/acpid.log
fi
after=""
[ -n "$userdata" ] && after=$(sed -n 's/^#ncpd-guest poweroff-after=\([0-9]*\).*/\1/p' "$userdata" | head -1)
if [ -n "$after" ]; then
    ( sleep "$after"; say "powering off by itself"; sync; poweroff -f ) &
fi
say "ready uptime=$(cut -d' ' -f1 /proc/uptime)"

while :; do
    sleep 1
    now=$(disks)
    if [ "$now" != "$cur" ]; then
        cur=$now
        say "disks=$cur"
    fi
done
