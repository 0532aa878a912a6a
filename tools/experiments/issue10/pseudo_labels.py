#!/usr/bin/env python3
"""Issue 10, pseudo-labels: the frozen YOLOv5n's confident detections on the infrared image and on the visible image of
each pair, merged class-wise by NMS, as YOLO boxes `cls cx cy w h` (msrs classes 0 person, 1 bicycle, 2 car).
The teacher sees each object in whichever band shows it best, which is what the issue asks the fused image to do.

  pseudo_labels.py merge IR_LABELS VIS_LABELS OUT_DIR --score S [--nms-iou 0.5]
  pseudo_labels.py check IR_LABELS VIS_LABELS TRUTH_DIR --score S [--class-map 0=0,1=2]   # precision / recall at IoU 0.5

IR_LABELS, VIS_LABELS: `irfuse detect --input ir|vis --det-format yolo` outputs (OUT/labels/<id>.txt, with scores).
"""
import argparse, os

def read(path, with_score):
    if not os.path.exists(path):
        return []
    out = []
    for line in open(path):
        t = line.split()
        if len(t) >= 5:
            out.append((int(float(t[0])), *map(float, t[1:5]), float(t[5]) if with_score and len(t) > 5 else 1.0))
    return out

def iou(a, b):
    ax0, ay0, ax1, ay1 = a[1] - a[3] / 2, a[2] - a[4] / 2, a[1] + a[3] / 2, a[2] + a[4] / 2
    bx0, by0, bx1, by1 = b[1] - b[3] / 2, b[2] - b[4] / 2, b[1] + b[3] / 2, b[2] + b[4] / 2
    i = max(0, min(ax1, bx1) - max(ax0, bx0)) * max(0, min(ay1, by1) - max(ay0, by0))
    u = a[3] * a[4] + b[3] * b[4] - i
    return i / u if u > 0 else 0.0

def merged(ir_dir, vis_dir, name, score, nms_iou):
    boxes = [b for d in (ir_dir, vis_dir) for b in read(os.path.join(d, name), True) if b[5] >= score]
    boxes.sort(key=lambda b: -b[5])
    kept = []
    for b in boxes:
        if all(k[0] != b[0] or iou(k, b) < nms_iou for k in kept):
            kept.append(b)
    return kept

def main():
    p = argparse.ArgumentParser()
    p.add_argument('mode', choices=['merge', 'check'])
    p.add_argument('ir'); p.add_argument('vis'); p.add_argument('other')
    p.add_argument('--score', type=float, required=True)
    p.add_argument('--nms-iou', type=float, default=0.5)
    p.add_argument('--class-map', default='')
    a = p.parse_args()
    names = sorted(set(os.listdir(a.ir)) | set(os.listdir(a.vis)))
    if a.mode == 'merge':
        os.makedirs(a.other, exist_ok=False)
        n = 0
        for name in names:
            kept = merged(a.ir, a.vis, name, a.score, a.nms_iou)
            n += len(kept)
            with open(os.path.join(a.other, name), 'w') as f:
                for b in kept:
                    f.write('%d %.6f %.6f %.6f %.6f\n' % b[:5])
        print(f'{n} boxes in {len(names)} files -> {a.other}')
        return
    cmap = dict(tuple(map(int, kv.split('='))) for kv in a.class_map.split(',')) if a.class_map else None
    tp = {}; npred = {}; ntrue = {}
    for name in sorted(os.listdir(a.other)):
        if not name.endswith('.txt') or name == 'classes.txt':
            continue
        truth = read(os.path.join(a.other, name), False)
        if cmap is not None:
            truth = [(cmap[t[0]], *t[1:]) for t in truth if t[0] in cmap]
        pred = merged(a.ir, a.vis, name, a.score, a.nms_iou)
        used = set()
        for b in pred:
            npred[b[0]] = npred.get(b[0], 0) + 1
            best, bi = 0.5, None
            for i, t in enumerate(truth):
                if i not in used and t[0] == b[0] and iou(b, t) >= best:
                    best, bi = iou(b, t), i
            if bi is not None:
                used.add(bi); tp[b[0]] = tp.get(b[0], 0) + 1
        for t in truth:
            ntrue[t[0]] = ntrue.get(t[0], 0) + 1
    for c in sorted(set(ntrue) | set(npred)):
        print(f'class {c}: truth {ntrue.get(c, 0)}, pseudo {npred.get(c, 0)}, precision '
              f'{tp.get(c, 0) / max(1, npred.get(c, 0)):.2f}, recall {tp.get(c, 0) / max(1, ntrue.get(c, 0)):.2f}')

if __name__ == '__main__':
    main()
