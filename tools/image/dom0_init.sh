#!/bin/busybox sh
# /init of the toolstack dom0 (machine xen-domu; tools/image/dom0_initramfs.h).
#
# It brings up just enough of Xen's toolstack to build domUs: the Xen
# modules, xenfs, xenstored, xenconsoled, xen-init-dom0; then runs `xl
# create` for each domU listed in /etc/zp/domus, in turn (each destroyed
# if it outlives its timeout), and copies its console to ours, one line
# at a time, prefixed "zp-NAME: ".  Everything this script says itself
# starts "zp-dom0: ", xl's own output "zp-xl: ", so the host
# (machine/xen_domu.c) tells them apart from Xen's "(XEN)" lines.
# "zp-dom0: error: " lines say why a domU did not run; the host ends the
# row with them and with xl's own words (libxc's "panic", libxl's
# errors) from the zp-xl: lines.  When every domU is done, dom0 restarts
# the machine, which QEMU's -no-reboot turns into its exit.
/bin/busybox --install -s /bin
export PATH=/bin

# dom0's uptime on each of our lines: how long the toolstack and each
# domU took, read from the log (doc/xen.md's timings)
say() { echo "zp-dom0: $* (at $(cut -d' ' -f1 /proc/uptime) s)"; }
# errors without the stamp: they become a row's reason word for word
error() { echo "zp-dom0: error: $*"; }
fail() { error "$*"; finish; }
finish() {
	sync
	reboot -f
	sleep 100000	# reboot -f does not return
}

mount -t proc proc /proc
# the first word: a host that never sees it knows dom0's console is mute
say "init started"
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# xenconsoled gives each domU a pty (it fails without devpts)
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts

# Modules the dom0 kernel builds as such (Debian: all five); a kernel with
# them built in has none in /lib/modules and needs no insmod.
for m in xen-evtchn xen-privcmd xenfs xen-gntdev xen-gntalloc; do
	[ -e /lib/modules/$m.ko ] || continue
	insmod /lib/modules/$m.ko 2>&1 | sed "s/^/zp-dom0: insmod $m: /"
done
mount -t xenfs xenfs /proc/xen 2>/dev/null
[ -e /dev/xen/privcmd ] || [ -e /proc/xen/privcmd ] ||
	fail "no /dev/xen/privcmd: the dom0 kernel lacks Xen's privcmd driver (CONFIG_XEN_PRIVCMD)"
[ -e /dev/xen/xenbus_backend ] ||
	fail "no /dev/xen/xenbus_backend: the dom0 kernel is not built with CONFIG_XEN_DOM0"

mkdir -p /var/run/xenstored /var/lib/xenstored /var/run/xen /var/lib/xen /var/log/xen/console
xenstored --pid-file=/var/run/xenstored.pid 2>&1 | sed 's/^/zp-dom0: xenstored: /'
# --log=guest: each domU's console into guest-NAME.log, which we follow
xenconsoled --log=guest --log-dir=/var/log/xen/console \
	--pid-file=/var/run/xenconsoled.pid 2>&1 | sed 's/^/zp-dom0: xenconsoled: /'
xen-init-dom0 >/tmp/init-dom0.log 2>&1 ||
	fail "xen-init-dom0: $(tail -n 1 /tmp/init-dom0.log)"
say "toolstack up"

# One domU, NAME TIMEOUT (0: none): xl create -F stays until the domain
# is gone and says why it went ("reason code": 0 poweroff, 1 reboot, 3
# crash, ...).  Its console log is followed meanwhile, each line counted
# in /tmp/NAME.shown.
run_domu() {
	name=$1
	log=/var/log/xen/console/guest-$name.log
	: > "$log"
	echo 0 > /tmp/$name.shown
	mkfifo /tmp/$name.fifo
	tail -F "$log" > /tmp/$name.fifo 2>/dev/null &
	tail_pid=$!
	(n=0; while IFS= read -r l || [ -n "$l" ]; do
		echo "zp-$name: $l"
		n=$((n + 1))
		echo $n > /tmp/$name.shown
		# when the domU got there, by dom0's clock (rows sharing a boot)
		case $l in
		*"Linux version "*) say "$name: banner" ;;
		*"ZEROPAGE-PROBE v="*) say "$name: probe" ;;
		esac
	done < /tmp/$name.fifo) &
	say "$name: xl create"
	if [ "$2" -gt 0 ]; then
		timeout "$2" xl create -F /etc/zp/$name.cfg > /tmp/xl-$name.log 2>&1
	else
		xl create -F /etc/zp/$name.cfg > /tmp/xl-$name.log 2>&1
	fi
	rc=$?
	# timed out (timeout's 143): the domain is still there
	xl list "$name" >/dev/null 2>&1 && xl destroy "$name" 2>&1 | sed "s/^/zp-xl: /"
	drain "$name" "$log" $tail_pid
	sed "s/^/zp-xl: /" /tmp/xl-$name.log
	if grep -q "reason code 3" /tmp/xl-$name.log; then
		error "$name crashed"
	elif [ $rc -eq 143 ]; then
		error "$name did not end within $2 s: destroyed"
	elif [ $rc -ne 0 ]; then
		error "xl create $name failed (exit $rc)"
	fi
	say "$name: done"
}

# The domU's last lines: xenconsoled may write them after xl returns, and
# tail reads the file once a second.  Wait (10 s at most) until the log
# has stopped growing and the follower has shown every line of it, then
# stop the follower (its reader sees the end of the fifo).
drain() {
	prev=-1
	i=0
	while [ $i -lt 20 ]; do
		sleep 0.5
		lines=$(wc -l < "$2")
		[ "$lines" = "$prev" ] && [ "$lines" = "$(cat /tmp/$1.shown)" ] && break
		prev=$lines
		i=$((i + 1))
	done
	kill $3
}

while read -r name secs; do
	run_domu "$name" "$secs" < /dev/null
done < /etc/zp/domus
finish
