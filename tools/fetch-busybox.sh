#!/bin/sh
# fetch-busybox.sh: fetches Debian's static i386 busybox (package busybox-static:i386, glibc 2.36)
# for kernel-monolithic's busybox tests and images. Never committed: it lands in a cache folder,
# ${JX86_CACHE:-~/.cache/jx86}/busybox/bin/busybox, and the path is printed on success.
#
# The host's apt needs no i386 architecture: a private apt state (lists and cache under the same
# folder) asks for i386 packages without changing the system.
# Exit status: 0 with the path on stdout; 1 with one line on stderr when it cannot fetch.
set -u
D="${JX86_CACHE:-$HOME/.cache/jx86}/busybox"
BB="$D/bin/busybox"
if [ -x "$BB" ]; then echo "$BB"; exit 0; fi
fail() { echo "fetch-busybox: $1" >&2; exit 1; }
command -v apt-get >/dev/null 2>&1 || fail "cannot fetch busybox-static:i386: no apt-get on this host"
command -v dpkg-deb >/dev/null 2>&1 || fail "cannot fetch busybox-static:i386: no dpkg-deb on this host"
mkdir -p "$D/st/lists/partial" "$D/cache/archives/partial" || fail "cannot create $D"
APT="-o Dir::State=$D/st -o Dir::State::status=/var/lib/dpkg/status -o Dir::Cache=$D/cache \
 -o APT::Architecture=i386 -o APT::Architectures::=i386"
# shellcheck disable=SC2086
apt-get -q $APT update >"$D/update.log" 2>&1 || fail "apt-get update for i386 failed (see $D/update.log)"
rm -f "$D"/busybox-static_*.deb
# shellcheck disable=SC2086
(cd "$D" && apt-get -q $APT download busybox-static:i386) >"$D/download.log" 2>&1 ||
  fail "apt-get download busybox-static:i386 failed (see $D/download.log)"
DEB=$(ls "$D"/busybox-static_*.deb 2>/dev/null | head -n 1)
[ -n "$DEB" ] || fail "apt-get download left no busybox-static .deb in $D"
rm -rf "$D/root"
dpkg-deb -x "$DEB" "$D/root" || fail "dpkg-deb could not unpack $DEB"
mkdir -p "$D/bin" && cp "$D/root/bin/busybox" "$BB" && chmod 755 "$BB" || fail "no bin/busybox in $DEB"
echo "$BB"
