#!/usr/bin/env bash
# Installs the oracle tools the tests compare jx86 against when they are missing: QEMU
# (qemu-system-i386, from qemu-system-x86) and GDB. Prints one line naming what it installs (or
# why it cannot); apt-get's own output goes to a log that is shown only if it fails.
# Usage: tools/install-oracles.sh   (as root, or with password-less sudo; Debian or Ubuntu)
set -u
missing=()
command -v qemu-system-i386 >/dev/null 2>&1 || missing+=(qemu-system-x86)
command -v gdb >/dev/null 2>&1 || missing+=(gdb)
[ ${#missing[@]} -gt 0 ] || exit 0

if [ "$(id -u)" = 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "jx86: oracle tools missing (${missing[*]}): install them with 'sudo apt-get install ${missing[*]}'" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "jx86: oracle tools missing (${missing[*]}) and no apt-get to install them with" >&2
  exit 1
fi

echo "jx86: installing the oracle tools: ${missing[*]} (apt-get, no recommended extras)"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! { "${as_root[@]}" apt-get update -qq &&
       "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
     } >"$log" 2>&1; then
  cat "$log" >&2
  echo "jx86: installing ${missing[*]} failed" >&2
  exit 1
fi
exit 0
