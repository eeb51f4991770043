#!/bin/sh
# bigfile.sh: writes N bytes where byte i is (i * 7) mod 256 (fstests checks the pattern).
LC_ALL=C awk -v n="$1" 'BEGIN { for (i = 0; i < 256; i++) c[i] = sprintf("%c", i);
  for (i = 0; i < n; i++) printf "%s", c[(i * 7) % 256] }'
