#!/bin/sh
# Fetches Debian's i386 kernel (linux-image-*-686, non-PAE) and static busybox for the Linux boot
# test (issue #22), without changing the system's apt configuration: a private apt state under the
# cache directory (default ~/.cache/jx86-linux, or $JX86_LINUX_CACHE). Nothing lands in the sources.
#   tools/fetch-linux.sh            prints the kernel, busybox and initramfs paths when done
# The initramfs (cpio newc, made by busybox's own cpio, run natively: the host runs i386 code) holds
# busybox and an /init that mounts /proc and devtmpfs, says `uname -a` and starts `busybox sh` on
# the console: `./jx86 boot -kernel $kernel -initrd $initramfs -append console=ttyS0` (add
# `-M linux-entry=real` to start the kernel in its real-mode setup code, which asks the BIOS).
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
B="$D/root/bin/busybox"
if [ ! -s "$D/initramfs.cpio" ]; then
    R="$D/initramfs"
    rm -rf "$R" && mkdir -p "$R/bin" "$R/dev" "$R/proc" "$R/sys"
    cp "$B" "$R/bin/busybox"
    # no /dev/console node (that needs root): devtmpfs provides it, then the script takes it as stdio
    printf '%s\n' '#!/bin/busybox sh' '/bin/busybox mount -t devtmpfs dev /dev' \
        'exec </dev/console >/dev/console 2>&1' '/bin/busybox mount -t proc proc /proc' \
        '/bin/busybox --install -s /bin' 'uname -a' 'exec /bin/busybox sh' > "$R/init"
    chmod 755 "$R/init"
    if (cd "$R" && find . | "$B" cpio -o -H newc > "$D/initramfs.cpio.tmp"); then
        mv "$D/initramfs.cpio.tmp" "$D/initramfs.cpio"
    else
        echo "fetch-linux: no initramfs: busybox's cpio does not run on this host" >&2
    fi
fi
echo "kernel=$K"
echo "busybox=$B"
echo "initramfs=$D/initramfs.cpio"
