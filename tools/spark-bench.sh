#!/usr/bin/env bash
# Pairs per second of `irfuse spark fuse` in local[1] and local[2] against the single-process `irfuse fuse`, on the
# same pairs (default: the first 20 MSRS pairs of ../shared/data), one fresh output folder per run.
# Each run is a new JVM: wall time includes JVM start, Spark start (spark runs) and model load; the jobs' own
# summary lines give the fusion stage alone. Prints the load average before and after (the machine is shared).
#   PAIRS=20 PRECISION=auto tools/spark-bench.sh [IR_DIR VIS_DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${IRFUSE_SHARED:-$here/../shared}"
ir_src="${1:-$shared/data/msrs/ir}"
vis_src="${2:-$shared/data/msrs/vi}"
pairs="${PAIRS:-20}"
precision="${PRECISION:-auto}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/ir" "$work/vi"
for f in $(ls "$ir_src" | head -n "$pairs"); do
  stem="${f%.*}"
  v=$(ls "$vis_src" | grep -m1 "^$stem\.") || { echo "no visible counterpart for $f" >&2; exit 2; }
  ln -s "$ir_src/$f" "$work/ir/$f"
  ln -s "$vis_src/$v" "$work/vi/$v"
done
n=$(ls "$work/ir" | wc -l)
echo "pairs: $n from $ir_src; precision $precision; cores $(nproc); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
run() {
  local label="$1"; shift
  local t0 t1
  t0=$(date +%s.%N)
  "$@" > "$work/$label.log" 2>&1 || { echo "$label failed:"; tail -5 "$work/$label.log"; return 1; }
  t1=$(date +%s.%N)
  python3 - "$label" "$t0" "$t1" "$n" "$work/$label.log" <<'PY'
import re, sys
label, t0, t1, n, log = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
wall = t1 - t0
stage = ""
for line in open(log, errors="replace"):
    m = re.search(r"in ([0-9.]+) s \(([0-9.]+) pairs/s\)", line)
    if m:
        stage = f"; fusion stage {float(m.group(1)):.1f} s = {float(m.group(2)):.3f} pairs/s"
print(f"{label:10s} wall {wall:6.1f} s = {n / wall:.3f} pairs/s{stage}")
PY
}
run cli "$here/bin/irfuse" fuse --ir-dir "$work/ir" --vis-dir "$work/vi" --out-dir "$work/out-cli" \
  --precision "$precision"
run local1 "$here/bin/irfuse" spark fuse --ir-dir "$work/ir" --vis-dir "$work/vi" --out-dir "$work/out-l1" \
  --precision "$precision" --master 'local[1]'
run local2 "$here/bin/irfuse" spark fuse --ir-dir "$work/ir" --vis-dir "$work/vi" --out-dir "$work/out-l2" \
  --precision "$precision" --master 'local[2]'
same=$(cd "$work" && for f in out-cli/*.png; do cmp -s "$f" "out-l2/${f#out-cli/}" && echo y || echo n; done | sort | uniq -c | tr '\n' ' ')
echo "identical images cli vs local[2] (y/n counts): $same"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
