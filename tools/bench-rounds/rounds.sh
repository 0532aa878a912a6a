#!/usr/bin/env bash
# Side-by-side rounds on a shared, noisy machine (docs/benchmarks.md, "What limits lite"): every round reads the
# host's state with the two probes of `irfuse bench` (the bf16 convolution rate and the dense blocks' concatenation
# rate), then times lite bf16 with each jar given, alternately, one process each, and every second round the
# metrics' cold triple with the first jar. One line per measurement, stamped with the round, the UTC time and the
# load average; summarise.py groups them by window and by the probes' readings.
#
#   tools/bench-rounds/rounds.sh MINUTES OUT NEW.jar [OLD.jar ...]
#   python3 tools/bench-rounds/summarise.py OUT
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 MINUTES OUT NEW.jar [OLD.jar ...]" >&2
  exit 2
fi
minutes="$1"
out="$2"
shift 2
for jar in "$@"; do
  [ -f "$jar" ] || { echo "$0: $jar: no such jar" >&2; exit 2; }
done
if [ -e "$out" ]; then
  echo "$0: $out exists; give a new file (results are never overwritten)" >&2
  exit 2
fi
irfuse="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/bin/irfuse"
first="$1"
end=$(( $(date +%s) + minutes * 60 ))
stamp() { echo "round=$round utc=$(date -u +%H:%M:%S) load=$(cut -d' ' -f1 /proc/loadavg) $1" >> "$out"; }
round=0
while [ "$(date +%s)" -lt "$end" ]; do
  round=$((round + 1))
  stamp "$(IRFUSE_JAR="$first" "$irfuse" bench --conv-only --threads 2 --repeats 9 --precision bf16 | tail -1)"
  stamp "$(IRFUSE_JAR="$first" "$irfuse" bench --copy-only --threads 2 --repeats 9 --precision bf16 | tail -1)"
  i=0
  for jar in "$@"; do
    stamp "jar=$i $(IRFUSE_JAR="$jar" "$irfuse" bench --width lite --threads 2 --repeats 9 --precision bf16 | tail -1)"
    i=$((i + 1))
  done
  if [ $((round % 2)) = 1 ]; then
    stamp "metrics $(IRFUSE_JAR="$first" "$irfuse" bench-metrics -q 2>&1 | grep -E 'one triple|one more' | tr '\n' ' ')"
  fi
done
echo "done rounds=$round" >> "$out"
