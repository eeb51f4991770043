#!/usr/bin/env bash
# Boots one guest on qemu-system-i386 (the oracle the guests are validated against) and prints its
# COM1 output; exits with the guest's exit-port value (QEMU reports (v<<1)|1).
#   run-qemu.sh guest.elf [extra qemu args...]     multiboot kernel
#   run-qemu.sh guest.img [extra qemu args...]     raw disk image (primary master)
set -u
guest=$1; shift
case "$guest" in
  *.img) boot=(-drive "file=$guest,format=raw,if=ide,index=0,snapshot=on") ;;
  *)     boot=(-kernel "$guest") ;;
esac
timeout 20 qemu-system-i386 -display none -monitor none -serial stdio -no-reboot \
  -device isa-debug-exit,iobase=0xf4,iosize=0x04 "${boot[@]}" "$@"
rc=$?
if [ $rc -ge 124 ] && [ $rc -le 127 ]; then echo "run-qemu: timeout" >&2; exit $rc; fi
exit $(( rc >> 1 ))
