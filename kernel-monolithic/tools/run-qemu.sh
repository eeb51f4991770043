#!/usr/bin/env bash
# run-qemu.sh: builds kernel-monolithic and boots it headless on QEMU (the oracle for jx86), serial on stdio.
# Usage: tools/run-qemu.sh [-t seconds] [-a "kernel command line"] [module ...]
#   modules default to target/user/init; -a defaults to "console=ttyS0 panic=exit".
# Exit status: 0 when the guest powered off with value 0 (QEMU reports (v << 1) | 1), else QEMU's.
set -u
cd "$(dirname "$0")/.."
timeout=20
append="console=ttyS0 panic=exit"
while getopts "t:a:" opt; do
  case $opt in
    t) timeout=$OPTARG ;;
    a) append=$OPTARG ;;
    *) echo "usage: $0 [-t seconds] [-a cmdline] [module ...]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
make -s OUT=target || exit 1
mods=("$@")
[ ${#mods[@]} -gt 0 ] || mods=(target/user/init)
initrd=$(IFS=,; echo "${mods[*]}")
timeout "$timeout" qemu-system-i386 -m 128 -display none -serial stdio -monitor none -no-reboot \
  -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
  -kernel target/kernel.elf -append "$append" -initrd "$initrd"
status=$?
[ $status -eq 1 ] && exit 0      # the guest wrote 0 to port 0xF4
[ $status -eq 124 ] && echo "run-qemu: timed out after ${timeout}s" >&2
exit $status
