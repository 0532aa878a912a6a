#!/usr/bin/env python3
"""Markdown tables for docs/experiments.md from results/*.csv (long form: method,image,metric,profile,value)."""
import csv, statistics, sys, os
from collections import defaultdict
PEERS = sorted(os.listdir(os.path.join(os.environ.get('SHARED', os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../../../shared')), 'data/tno/fused')))
RULE = ['EN', 'SD', 'SF', 'MI', 'SCD', 'VIF', 'Qabf', 'SSIM']

def means(path):
    v = defaultdict(list)
    with open(path) as f:
        for r in csv.DictReader(f):
            v[(r['method'], r['metric'])].append(float(r['value']))
    return {k: statistics.fmean(x) for k, x in v.items()}

def peer_median(m):
    """Median over the 9 published peers of their per-metric means (the issue's TNO rule)."""
    return {mt: statistics.median(m[(p, mt)] for p in PEERS) for mt in RULE}

def voc_scores(path):
    """source -> {(class, metric): value} of the downstream CSV, VOC all-point rows, in the CSV's source order."""
    v = defaultdict(dict)
    with open(path) as f:
        for r in csv.DictReader(f):
            if r['interpolation'] == 'voc':
                v[r['source']][(r['class'], r['metric'])] = float(r['value'])
    return v

def metric_table(path, title, rule):
    """Per-arm means over images, then over seeds (an arm's runs are NAME-sN); the rule column counts the
    metrics at or above the median of the 9 published peers' means (TNO only)."""
    m = means(path)
    methods = sorted({k[0] for k in m})
    arms = defaultdict(list)
    for x in methods:
        if x not in PEERS:
            arms[arm_of(x)[0]].append(x)
    print(f'\n### {title}\n')
    print('| method | runs | ' + ' | '.join(RULE) + (' | ≥ peer median |' if rule else ' |'))
    print('|---|---|' + '---|' * (len(RULE) + (1 if rule else 0)))
    med = peer_median(m) if rule else None
    if rule:
        print('| median of 9 peers | | ' + ' | '.join(f'{med[mt]:.4f}' for mt in RULE) + ' | |')
    for arm, runs in arms.items():
        val = {mt: statistics.fmean(m[(x, mt)] for x in runs) for mt in RULE}
        cells = [f'{val[mt]:.4f}' for mt in RULE]
        line = f'| {arm} | {len(runs)} | ' + ' | '.join(cells)
        if rule:
            wins = [mt for mt in RULE if val[mt] >= med[mt]]
            line += f' | {len(wins)}/8: {" ".join(wins)}'
        print(line + ' |')

def downstream(path):
    v = voc_scores(path)
    print('\n### Frozen YOLOv5n on the 11 held-out MSRS pairs (fusion-view boxes, VOC all-point)\n')
    print('| source | person AP@0.5 | bicycle AP@0.5 | car AP@0.5 | mAP@0.5 | mAP@0.5:0.95 | person ≥ IR, car ≥ VIS |')
    print('|---|---|---|---|---|---|---|')
    ir = v['infrared'][('person', 'AP50')]; vis = v['visible'][('car', 'AP50')]
    for s_, d in v.items():
        p, b, c = (d[(k, 'AP50')] for k in ('person', 'bicycle', 'car'))
        goal = ('yes' if p >= ir else 'no') + ' / ' + ('yes' if c >= vis else 'no')
        print(f"| {s_} | {p:.3f} | {b:.3f} | {c:.3f} | {d[('all', 'mAP50')]:.3f} | {d[('all', 'mAP50:95')]:.3f} | {goal} |")

def arm_of(name):
    """'bilevel-mgda-s2' -> ('bilevel-mgda', 2); names without a seed suffix are their own arm."""
    import re
    m = re.fullmatch(r'(.*)-s(\d+)', name)
    return (m.group(1), int(m.group(2))) if m else (name, None)

def fmt(xs):
    return f'{statistics.fmean(xs):.3f} ± {statistics.stdev(xs):.3f}' if len(xs) > 1 else f'{xs[0]:.3f}'

def seeds_table(down, tno):
    """Mean ± sample std over seeds per arm: frozen-detector AP on held-out MSRS and the TNO median rule."""
    v = voc_scores(down)
    m = means(tno)
    med = peer_median(m)
    arms = defaultdict(list)
    for src in v:
        arm, seed = arm_of(src)
        arms[arm].append(src)
    print('\n### Over seeds (mean ± sample std; n = seeds)\n')
    print('| arm | n | person AP@0.5 | bicycle AP@0.5 | car AP@0.5 | mAP@0.5 | mAP@0.5:0.95 | TNO metrics ≥ peer median (per seed) |')
    print('|---|---|---|---|---|---|---|---|')
    for arm, srcs in arms.items():
        cells = [fmt([v[s_][(c, 'AP50')] for s_ in srcs]) for c in ('person', 'bicycle', 'car')]
        cells += [fmt([v[s_][('all', k)] for s_ in srcs]) for k in ('mAP50', 'mAP50:95')]
        counts = [sum(m[(s_, mt)] >= med[mt] for mt in RULE) if (s_, 'EN') in m else None for s_ in srcs]
        print(f'| {arm} | {len(srcs)} | ' + ' | '.join(cells) + ' | ' + ', '.join('—' if c is None else f'{c}/8' for c in counts) + ' |')

def llvip_table(path):
    """Person AP on the labelled LLVIP pairs (a second camera, never trained on): mean ± sample std over seeds."""
    v = voc_scores(path)
    arms = defaultdict(list)
    for src in v:
        arms[arm_of(src)[0]].append(src)
    print('\n### Frozen YOLOv5n on the 9 labelled LLVIP pairs (person only; mean ± sample std over seeds)\n')
    print('| arm | n | person AP@0.5 | person AP@0.5:0.95 | per seed AP@0.5 |')
    print('|---|---|---|---|---|')
    for arm, srcs in arms.items():
        ap = [v[s_][('person', 'AP50')] for s_ in srcs]
        print(f'| {arm} | {len(srcs)} | {fmt(ap)} | {fmt([v[s_][("all", "mAP50:95")] for s_ in srcs])} | '
              + ', '.join(f'{x:.3f}' for x in ap) + ' |')

if __name__ == '__main__':
    downstream('results/downstream.csv')
    seeds_table('results/downstream.csv', 'results/tno.csv')
    metric_table('results/tno.csv', 'TNO (17 pairs, cddfuse profile)', True)
    metric_table('results/rs.csv', 'RoadScene held-out (34 pairs, cddfuse)', False)
    metric_table('results/msrs.csv', 'MSRS held-out (11 pairs, cddfuse)', False)
    if os.path.exists('results/downstream-llvip.csv'):
        llvip_table('results/downstream-llvip.csv')
