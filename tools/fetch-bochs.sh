#!/bin/sh
# Installs Bochs 2.7 for `jx86 bench --compare` (docs/performance.md): Debian's bochs, its BIOS
# (bochsbios), the VGA BIOS (vgabios) and the term display library (bochs-term: Debian's build has no
# "nogui", and the benchmark runs Bochs with COM1 to a file and the display on a pseudo terminal).
#   tools/fetch-bochs.sh      as root: apt-get install; otherwise (or with JX86_BOCHS_PRIVATE=1) the
#                             packages are downloaded and unpacked into ~/.cache/jx86-bochs (or
#                             $JX86_BOCHS_CACHE) with dpkg-deb -x, without touching the system
# Prints "bochs=PATH" when done: `./jx86 bench --compare --bochs PATH` (bochs on PATH is the default).
# Libraries Bochs needs that the system lacks are not fetched in the private mode; bochs then says
# which one is missing when it starts.
set -eu
PKGS="bochs bochsbios vgabios bochs-term"
installed() {
    command -v bochs >/dev/null 2>&1 && [ -f /usr/share/bochs/BIOS-bochs-latest ] &&
        [ -f /usr/share/bochs/VGABIOS-lgpl-latest ] && ls /usr/lib/*/bochs/plugins/libbx_term_gui.so >/dev/null 2>&1
}
if [ "${JX86_BOCHS_PRIVATE:-0}" != 1 ] && [ "$(id -u)" = 0 ]; then
    if ! installed; then
        apt-cache show bochs >/dev/null 2>&1 || apt-get -q update >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $PKGS >&2
    fi
    echo "bochs=$(command -v bochs)"
    exit 0
fi
D=${JX86_BOCHS_CACHE:-$HOME/.cache/jx86-bochs}
mkdir -p "$D/debs" "$D/root"
cd "$D/debs"
for p in $PKGS; do
    ls ${p}_*.deb >/dev/null 2>&1 || apt-get -q download "$p" >&2
done
for deb in *.deb; do
    dpkg-deb -x "$deb" "$D/root"
done
R="$D/root/usr"
PLUGINS=$(dirname "$(ls "$R"/lib/*/bochs/plugins/libbx_term_gui.so "$R"/lib/bochs/plugins/libbx_term_gui.so 2>/dev/null | head -1)")
# The wrapper sits in the unpacked tree's bin/, so that `jx86 bench` finds the BIOS in ../share/bochs.
W="$R/bin/bochs-jx86"
cat > "$W" <<WRAP
#!/bin/sh
# bochs from $D (tools/fetch-bochs.sh): its plugins and BIOS files are found there
LTDL_LIBRARY_PATH="$PLUGINS" BXSHARE="$R/share/bochs" exec "$R/bin/bochs-bin" -q "\$@"
WRAP
chmod 755 "$W"
echo "bochs=$W"
