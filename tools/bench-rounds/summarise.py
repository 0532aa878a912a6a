#!/usr/bin/env python3
"""Summarises tools/bench-rounds/rounds.sh output: per window of rounds (all, or split at the given UTC times) and
grouped by the concatenation probe's reading in the same round, the range and median of lite bf16 per jar, how
many rounds met 0.25 s, the ratio of medians against jar 0, and the metrics' cold triple (how many met 60 ms).

    python3 tools/bench-rounds/summarise.py OUT [HH:MM:SS ...]
"""
import re
import statistics
import sys

PATTERNS = {
    "conv": r"conv3x3 .*gmac_per_s=([\d.]+)",
    "copy": r"concat .*gb_per_s=([\d.]+)",
    "triple": r"one triple.*?median ([\d.]+) ms",
    "more": r"prepared pair.*?median ([\d.]+) ms",
}


def read(path):
    rounds = []
    for line in open(path):
        m = re.match(r"round=(\d+) utc=(\S+) load=(\S+) (.*)", line)
        if not m:
            continue
        if not rounds or rounds[-1]["round"] != int(m.group(1)):
            rounds.append({"round": int(m.group(1)), "utc": m.group(2), "load": []})
        r = rounds[-1]
        r["load"].append(float(m.group(3)))
        rest = m.group(4)
        jar = re.match(r"jar=(\d+) .*median_ms=(\d+)", rest)
        if jar:
            r["jar%s" % jar.group(1)] = float(jar.group(2))
        for key, pattern in PATTERNS.items():
            found = re.search(pattern, rest)
            if found:
                r[key] = float(found.group(1))
    return rounds


def spread(values):
    v = sorted(values)
    return "%.1f–%.1f, median %.1f (n=%d)" % (v[0], v[-1], statistics.median(v), len(v))


def report(name, rounds):
    if not rounds:
        return
    jars = sorted(k for k in rounds[0] if k.startswith("jar"))
    load = [x for r in rounds for x in r["load"]]
    print("== %s: %s–%s, load %.2f–%.2f, %d rounds" % (name, rounds[0]["utc"], rounds[-1]["utc"], min(load),
                                                       max(load), len(rounds)))
    for key, label in (("conv", "conv probe GMAC/s"), ("copy", "concat probe GB/s")):
        values = [r[key] for r in rounds if key in r]
        if values:
            print("  %-20s %s" % (label, spread(values)))
    for jar in jars:
        times = [r[jar] for r in rounds if jar in r]
        line = "  lite bf16 %-9s %s ms, <= 250 ms in %d" % (jar, spread(times), sum(t <= 250 for t in times))
        if jar != jars[0]:
            base = [r[jars[0]] for r in rounds if jars[0] in r]
            line += ", ratio of medians to jar0 %.2f" % (statistics.median(times) / statistics.median(base))
        print(line)
    triples = [r["triple"] for r in rounds if "triple" in r]
    if triples:
        print("  metrics cold triple  %s ms, <= 60 ms in %d" % (spread(triples), sum(t <= 60 for t in triples)))
        print("  metrics one more F   %s ms" % spread([r["more"] for r in rounds if "more" in r]))


def main():
    rounds = read(sys.argv[1])
    cuts = sys.argv[2:]
    report("all", rounds)
    edges = [""] + cuts + ["99"]
    if cuts:
        for lo, hi in zip(edges, edges[1:]):
            report("from %s" % (lo or "start"), [r for r in rounds if lo <= r["utc"] < hi])
    for lo, hi, name in ((0, 12, "below 12"), (12, 14, "12 to 14"), (14, float("inf"), "14 or more")):
        report("concat probe %s GB/s" % name, [r for r in rounds if lo <= r.get("copy", -1) < hi])


if __name__ == "__main__":
    main()
