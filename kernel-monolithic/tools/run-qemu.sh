#!/usr/bin/env bash
# run-qemu.sh: builds kernel-monolithic and boots it headless on QEMU (the oracle for jx86), serial on stdio.
# Usage: tools/run-qemu.sh [-t seconds] [-a "kernel command line"] [-d disk.img|-D] [module ...]
#   modules default to target/user/init (none if -a names an init= that is on the disk);
#   -a defaults to "console=ttyS0 panic=exit"; the disk defaults to target/disk.img (-D: none).
# Exit status: 0 when the guest powered off with value 0 (QEMU reports (v << 1) | 1), else QEMU's.
set -u
cd "$(dirname "$0")/.."
timeout=20
append="console=ttyS0 panic=exit"
disk=target/disk.img
while getopts "t:a:d:D" opt; do
  case $opt in
    t) timeout=$OPTARG ;;
    a) append=$OPTARG ;;
    d) disk=$OPTARG ;;
    D) disk= ;;
    *) echo "usage: $0 [-t seconds] [-a cmdline] [-d disk.img|-D] [module ...]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
make -s OUT=target || exit 1
mods=("$@")
case " $append " in
  *" init=/bin/"*) ;;                       # from the disk
  *) [ ${#mods[@]} -gt 0 ] || mods=(target/user/init) ;;
esac
args=()
[ ${#mods[@]} -gt 0 ] && args+=(-initrd "$(IFS=,; echo "${mods[*]}")")
[ -n "$disk" ] && args+=(-drive "file=$disk,format=raw,if=ide,index=0,snapshot=on")
timeout "$timeout" qemu-system-i386 -m 128 -display none -serial stdio -monitor none -no-reboot \
  -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
  -kernel target/kernel.elf -append "$append" "${args[@]}"
status=$?
[ $status -eq 1 ] && exit 0      # the guest wrote 0 to port 0xF4
[ $status -eq 124 ] && echo "run-qemu: timed out after ${timeout}s" >&2
exit $status
