#!/bin/sh
# gendeps.sh: writes modules.dep (Linux's depmod output, direct dependencies only) to stdout from
# the .modinfo "depends=" string of each .ko given: "dep_b.ko: dep_a.ko".
# Usage: tools/gendeps.sh TMPDIR a.ko b.ko ...
set -eu
tmp=$1
shift
for ko in "$@"; do
  objcopy -O binary --only-section=.modinfo "$ko" "$tmp/modinfo.bin"
  tr '\000' '\n' < "$tmp/modinfo.bin" | awk -v ko="$(basename "$ko")" '
    /^depends=/ { sub(/^depends=/, ""); n = split($0, d, ","); for (i = 1; i <= n; i++) if (d[i] != "") deps = deps " " d[i] ".ko" }
    END { print ko ":" deps }'
done
rm -f "$tmp/modinfo.bin"
