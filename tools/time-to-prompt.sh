#!/usr/bin/env bash
# Time from process start to the guest's shell prompt: runs COMMAND... (e.g. ./jx86 boot monolithic
# --snapshot), reads its standard output until the first '/$ ', prints the milliseconds since just
# before the process was started (so the launcher, JVM creation and everything after are included),
# then types 'poweroff' and waits for the process to end. Used for docs/performance.md, "Start-up".
# Needs bash >= 5 (EPOCHREALTIME). Usage: tools/time-to-prompt.sh COMMAND [ARGS...]
set -uo pipefail
[ $# -ge 1 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }
start=$EPOCHREALTIME
coproc RUN { exec "$@" 2>/dev/null; }
pid=$RUN_PID; from=${RUN[0]}; to=${RUN[1]}     # bash unsets RUN and RUN_PID once the process ends
seen=""
# read up to each '$', then one more character: the prompt is '/$ '
while IFS= read -r -d '$' -u "$from" chunk; do
  IFS= read -r -N 1 -u "$from" next || break
  if [[ "$chunk" == */ && "$next" == " " ]]; then
    seen=$EPOCHREALTIME
    break
  fi
done
echo poweroff >&"$to" 2>/dev/null
cat <&"$from" >/dev/null 2>&1
wait "$pid" 2>/dev/null
[ -n "$seen" ] || { echo "no prompt seen" >&2; exit 1; }
s=${start/./}; e=${seen/./}
echo $(( (10#$e - 10#$s) / 1000 ))
