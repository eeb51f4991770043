#!/bin/sh
# mkdisk.sh: makes a test disk image: an MBR with one Linux partition (type 0x83) from sector
# 2048 to the end, holding an ext3 (default) or ext2 file system (1 KiB blocks) filled from a
# directory. ext3 is ext2 plus a JBD2 journal (inode 8, 1024 blocks at this size); the kernel
# implements exactly the journal features mke2fs enables for it here (none: no 64bit, no checksums).
# Usage: tools/mkdisk.sh OUT.img DIR [SIZE_MiB (default 16)] [ext3|ext2]
set -eu
out=$1
dir=$2
size=${3:-16}
fstype=${4:-ext3}
start=2048
nsect=$((size * 2048 - start))
le32() {  # the 4 little-endian bytes of $1, as printf escapes
  printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $((($1 >> 8) & 255)) $((($1 >> 16) & 255)) $((($1 >> 24) & 255))
}
rm -f "$out"
dd if=/dev/zero of="$out" bs=1M count="$size" status=none
PATH=$PATH:/sbin:/usr/sbin
command -v mke2fs >/dev/null 2>&1 || {
  echo "jx86: 'mke2fs' not found: install it with 'apt-get install e2fsprogs'" >&2
  exit 1
}
mke2fs -q -F -t "$fstype" -b 1024 -O ^dir_index,^resize_inode -d "$dir" -E offset=$((start * 512)) \
  "$out" $((nsect / 2))
# partition entry 1: not bootable, CHS fields unused (0xFE/0xFF = "use LBA"), type 0x83
entry="\\000\\376\\377\\377\\203\\376\\377\\377$(le32 $start)$(le32 $nsect)"
printf "$entry" | dd of="$out" bs=1 seek=446 conv=notrunc status=none
printf '\125\252' | dd of="$out" bs=1 seek=510 conv=notrunc status=none
