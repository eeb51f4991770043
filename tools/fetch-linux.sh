#!/bin/sh
# Fetches Debian's i386 kernel (linux-image-*-686, non-PAE) and static busybox for the Linux boot
# test (issue #22), without changing the system's apt configuration: a private apt state under the
# cache directory (default ~/.cache/jx86-linux, or $JX86_LINUX_CACHE). Nothing lands in the sources.
#   tools/fetch-linux.sh            prints the kernel and busybox paths when done
set -eu
D=${JX86_LINUX_CACHE:-$HOME/.cache/jx86-linux}
mkdir -p "$D/st/lists/partial" "$D/cache/archives/partial" "$D/debs" "$D/root"
APT="-o Dir::State=$D/st -o Dir::State::status=/var/lib/dpkg/status -o Dir::Cache=$D/cache -o APT::Architecture=i386 -o APT::Architectures::=i386"
if [ ! -s "$D/st/lists/.updated" ]; then
    apt-get -q $APT update >&2
    date > "$D/st/lists/.updated"
fi
# linux-image-686 is a metapackage: its Depends names the real image package.
IMG=$(apt-cache $APT depends linux-image-686:i386 | sed -n 's/^ *Depends: \(linux-image-[0-9][^:]*-686\).*/\1/p' | head -1)
[ -n "$IMG" ] || { echo "fetch-linux: cannot resolve linux-image-686" >&2; exit 1; }
cd "$D/debs"
for p in "$IMG" busybox-static; do
    ls ${p}_*.deb >/dev/null 2>&1 || apt-get -q $APT download "$p:i386" >&2
done
for deb in *.deb; do
    dpkg-deb -x "$deb" "$D/root"
done
K=$(ls "$D"/root/boot/vmlinuz-*-686 | head -1)
echo "kernel=$K"
echo "busybox=$D/root/bin/busybox"
