#!/usr/bin/env bash
# Checks that the host tools the guest builds need are present; prints one line naming the
# Debian package to install and fails otherwise. Usage: tools/check-tools.sh [tool ...]
# Tools: gcc ld as make mke2fs debugfs e2fsck (default: gcc ld as make)
set -u
tools=("$@")
[ ${#tools[@]} -gt 0 ] || tools=(gcc ld as make)
pkg_of() {
  case "$1" in
    gcc) echo gcc ;;
    ld|as|objcopy) echo binutils ;;
    make) echo make ;;
    mke2fs|debugfs|e2fsck) echo e2fsprogs ;;
    *) echo "$1" ;;
  esac
}
for t in "${tools[@]}"; do
  if ! command -v "$t" >/dev/null 2>&1 && [ ! -x "/sbin/$t" ] && [ ! -x "/usr/sbin/$t" ]; then
    echo "jx86: '$t' not found: install it with 'apt-get install $(pkg_of "$t")'" >&2
    exit 1
  fi
done
case " ${tools[*]} " in
  *" gcc "*)
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    printf '#include <stdint.h>\nuint32_t f(uint32_t x){return x+1;}\n' > "$tmp/t.c"
    if ! gcc -m32 -ffreestanding -fno-pic -fno-stack-protector -nostdlib -c "$tmp/t.c" -o "$tmp/t.o" 2>/dev/null \
       || ! ld -m elf_i386 -r "$tmp/t.o" -o "$tmp/t2.o" 2>/dev/null; then
      echo "jx86: gcc/ld cannot build 32-bit freestanding code: install 'gcc' and 'binutils' (x86 host)" >&2
      exit 1
    fi
    ;;
esac
exit 0
