#!/usr/bin/env bash
# The scaling sweep on a machine with no Java (packaged by benchmarks/scaling/package.sh into
# .device/): unpacks the jlink runtime and the JAR(s) to /tmp, then runs bench-scaling for
# N in 1 2 4 8, pipelined (32 x 20) and unpipelined (128 x 1), each JAR in turn per N and round
# (base, new, base, new), the agent on CPUs 0..N-1 and the generator on up to 8 CPUs after them.
# Everything lands flat in $OUT (7 files: table.txt summary.tsv runs.tsv summary.json agents.log
# gen.log device.txt); the table is printed at the end. Stays inside BUDGET seconds overall
# (default 340): what would not fit is skipped and listed, the files keep what was measured.
#
#   .device/run-device.sh [bench-scaling options, e.g. --cores "1" --runs 1 --modes pipelined]
#   environment: OUT (default a new /tmp dir), RUNS (2), CORES ("1 2 4 8"), BUDGET (340),
#                PERJVM=1 (also the N-JVMs layout; use RUNS=1 to stay in time), PERJVM_CORES ("8": the
#                N-JVMs layout for those N only, "new" JAR, after the main sweep), PERJVM_RESERVE
#                (seconds of BUDGET kept for it, default 0), AGENT_OPTS (-Xms1g -Xmx1g), ONLY (a JAR label:
#                run that JAR alone)
# Needs: bash, python3 (3.6+), tar and xz (or python3's lzma), coreutils; taskset if there (else spop-load pin).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
t0=$(date +%s)
budget="${BUDGET:-340}"
OUT="${OUT:-$(mktemp -d /tmp/spoa-device-out.XXXXXX)}"
mkdir -p "$OUT"
work=/tmp/spoa-device
rm -rf "$work"
mkdir -p "$work"
command -v python3 > /dev/null || { echo "run-device: python3 is required" >&2; exit 1; }

unpack() { # FILE.tar.xz DIR
  if command -v xz > /dev/null && command -v tar > /dev/null; then
    xz -dc "$1" | tar -x -C "$2"
  else
    python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1], "r:xz").extractall(sys.argv[2])' "$1" "$2"
  fi
}
unpack "$here/rt.tar.xz" "$work"
unpack "$here/jars.tar.xz" "$work"
java="$work/rt/bin/java"
cp "$here/spop-load" "$work/spop-load" && chmod +x "$work/spop-load"   # in case the copy lost its x bit
"$java" -version > /dev/null 2>&1 || { echo "run-device: the runtime does not start:" >&2; "$java" -version; exit 1; }

# JAR order: base first when there is one, so runs alternate base, new, base, new
jars=()
mapfile -t labels < "$here/jars.txt"
for l in base "${labels[@]}"; do
  [[ -f "$work/spoa-agent-$l.jar" ]] || continue
  [[ -z "${ONLY:-}" || "$l" == "${ONLY}" ]] || continue   # ONLY=new: that JAR alone
  [[ " ${jars[*]:-} " == *" $l="* ]] && continue
  jars+=(--jar "$l=$work/spoa-agent-$l.jar")
done

layouts="jvm"
[[ "${PERJVM:-0}" == 1 ]] && layouts="jvm perjvm"
unpacked=$(( $(date +%s) - t0 ))
{
  echo "run-device: $(date '+%Y-%m-%d %H:%M:%S %z'), unpacked in ${unpacked} s, budget ${budget} s"
  cat "$here/PACKAGE.txt" 2>/dev/null || true
  echo "nproc $(nproc), allowed $(python3 -c 'import os; print(sorted(os.sched_getaffinity(0)))')"
  uname -a
  grep -m1 "model name" /proc/cpuinfo || true
  head -3 /proc/meminfo
  echo "loadavg $(cat /proc/loadavg)"
  command -v taskset || echo "no taskset: pinning with spop-load pin"
  "$java" -version 2>&1
  echo "jars: ${jars[*]}"
} > "$OUT/device.txt" 2>&1
cat "$OUT/device.txt"

rc=0
# a hard stop too, 5 s past the budget: SIGTERM makes bench-scaling stop the agents and write what it has
hard=$(( budget + 5 - unpacked - ${PERJVM_RESERVE:-0} ))
timeout --kill-after=10 "$hard" python3 "$here/bench-scaling" --java "$java" --gen "$work/spop-load" --conf "$here/spoa-agent.json" "${jars[@]}" \
  --cores "${CORES:-1 2 4 8}" --runs "${RUNS:-2}" --layouts "$layouts" --order rounds \
  --budget "$(( budget - unpacked - 5 - ${PERJVM_RESERVE:-0} ))" --out "$OUT" "$@" || rc=$?
# PERJVM_CORES (e.g. "8"): then the N-JVMs layout for those N, the "new" JAR only, in the time left
# (its files go to $OUT/perjvm.tar: the device returns at most 8 files)
if [[ -n "${PERJVM_CORES:-}" && -f "$work/spoa-agent-new.jar" ]]; then
  left=$(( budget - ($(date +%s) - t0) - 5 ))
  if (( left > 30 )); then
    mkdir -p "$work/perjvm"
    timeout --kill-after=10 "$(( left + 10 ))" python3 "$here/bench-scaling" --java "$java" --gen "$work/spop-load" \
      --conf "$here/spoa-agent.json" --jar "new=$work/spoa-agent-new.jar" --cores "$PERJVM_CORES" --runs 1 \
      --layouts perjvm --budget "$left" --out "$work/perjvm" "$@" || true
    tar -cf "$OUT/perjvm.tar" -C "$work" perjvm
  else
    echo "run-device: no time left for the N-JVMs layout ($left s)"
  fi
fi
echo "run-device: done in $(( $(date +%s) - t0 )) s, exit $rc; files in $OUT: $(ls "$OUT" | tr '\n' ' ')"
rm -rf "$work"
exit $rc
