"""Reference value of YOLOv5's training loss (utils/loss.py ComputeLoss, v7.0) on the golden raw outputs of
../shared/models/golden, for YoloLossTest. A NumPy transcription of the vectorised original (build_targets with its
repeat/mask construction, bbox_iou CIoU, BCEWithLogits means, balance 4.0/1.0/0.4, hyp.scratch-low gains scaled as
train.py), independent of the Java code. Prints lbox, lobj, lcls and their sum (YOLOv5's loss / batch size).

    python3 tools/yolo_loss_reference.py ../shared
"""
import math
import sys
import numpy as np

shared = sys.argv[1] if len(sys.argv) > 1 else "../shared"
g = shared + "/models/golden/"
raws = [np.fromfile(g + f, dtype="<f4").reshape(s) for f, s in [
    ("yolov5n_raw0_1x3x32x40x85.f32", (1, 3, 32, 40, 85)),
    ("yolov5n_raw1_1x3x16x20x85.f32", (1, 3, 16, 20, 85)),
    ("yolov5n_raw2_1x3x8x10x85.f32", (1, 3, 8, 10, 85))]]
strides = [8, 16, 32]
anchors_px = np.array([[10, 13, 16, 30, 33, 23], [30, 61, 62, 45, 59, 119], [116, 90, 156, 198, 373, 326]],
                      dtype=np.float64).reshape(3, 3, 2)
anchors = anchors_px / np.array(strides, dtype=np.float64).reshape(3, 1, 1)
W, H, X0, Y0 = 320, 256, 160, 112  # the golden input is rows 112-367, columns 160-479 of 00633D
targets = []
for line in open(shared + "/data/msrs/det_labels/fusion/00633D.txt"):
    p = line.split()
    if not p:
        continue
    c, cx, cy, w, h = int(p[0]), *map(float, p[1:])
    x0, x1 = (cx - w / 2) * 640 - X0, (cx + w / 2) * 640 - X0
    y0, y1 = (cy - h / 2) * 480 - Y0, (cy + h / 2) * 480 - Y0
    area = (x1 - x0) * (y1 - y0)
    x0, x1, y0, y1 = max(0, x0), min(W, x1), max(0, y0), min(H, y1)
    # Clipped to the crop; kept only with at least 30 % of its area inside (CropSampler's rule).
    if x1 <= x0 or y1 <= y0 or (x1 - x0) * (y1 - y0) < 0.3 * area:
        continue
    coco = {0: 0, 1: 1, 2: 2}[c]  # MSRS person, bicycle, car = COCO 0, 1, 2
    targets.append([0, coco, (x0 + x1) / 2 / W, (y0 + y1) / 2 / H, (x1 - x0) / W, (y1 - y0) / H])
targets = np.array(targets, dtype=np.float64)
print("boxes in the crop:", targets.tolist())

nc, nl, na, imgsz = 80, 3, 3, 640
hyp = {"box": 0.05 * 3 / nl, "cls": 0.5 * nc / 80 * 3 / nl, "obj": 1.0 * (imgsz / 640) ** 2 * 3 / nl, "anchor_t": 4.0}
balance = [4.0, 1.0, 0.4]


def build_targets(p, targets):
    nt = targets.shape[0]
    tcls, tbox, indices, anch = [], [], [], []
    gain = np.ones(7)
    ai = np.tile(np.arange(na, dtype=np.float64).reshape(na, 1), (1, nt))
    t_all = np.concatenate((np.tile(targets[None], (na, 1, 1)), ai[:, :, None]), 2)
    gg = 0.5
    off = np.array([[0, 0], [1, 0], [0, 1], [-1, 0], [0, -1]], dtype=np.float64) * gg
    for i in range(nl):
        a_i, shape = anchors[i], p[i].shape
        gain[2:6] = np.array(shape)[[3, 2, 3, 2]]
        t = t_all * gain
        if nt:
            r = t[..., 4:6] / a_i[:, None]
            j = np.maximum(r, 1 / r).max(2) < hyp["anchor_t"]
            t = t[j]
            gxy = t[:, 2:4]
            gxi = gain[[2, 3]] - gxy
            j, k = ((gxy % 1 < gg) & (gxy > 1)).T
            l, m = ((gxi % 1 < gg) & (gxi > 1)).T
            j = np.stack((np.ones_like(j), j, k, l, m))
            t = np.tile(t[None], (5, 1, 1))[j]
            offsets = (np.zeros_like(gxy)[None] + off[:, None])[j]
        else:
            t = t_all[0]
            offsets = 0
        b, c = t[:, :2].astype(np.int64).T
        gxy, gwh, a = t[:, 2:4], t[:, 4:6], t[:, 6].astype(np.int64)
        gij = (gxy - offsets).astype(np.int64)
        gi, gj = gij.T
        indices.append((b, a, np.clip(gj, 0, shape[2] - 1), np.clip(gi, 0, shape[3] - 1)))
        tbox.append(np.concatenate((gxy - gij, gwh), 1))
        anch.append(a_i[a])
        tcls.append(c)
    return tcls, tbox, indices, anch


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def bce(x, t):
    return np.maximum(x, 0) - x * t + np.log1p(np.exp(-np.abs(x)))


def ciou(b1, b2, eps=1e-7):
    (x1, y1, w1, h1), (x2, y2, w2, h2) = b1.T, b2.T
    b1x1, b1x2, b1y1, b1y2 = x1 - w1 / 2, x1 + w1 / 2, y1 - h1 / 2, y1 + h1 / 2
    b2x1, b2x2, b2y1, b2y2 = x2 - w2 / 2, x2 + w2 / 2, y2 - h2 / 2, y2 + h2 / 2
    inter = (np.minimum(b1x2, b2x2) - np.maximum(b1x1, b2x1)).clip(0) * \
            (np.minimum(b1y2, b2y2) - np.maximum(b1y1, b2y1)).clip(0)
    union = w1 * h1 + w2 * h2 - inter + eps
    iou = inter / union
    cw = np.maximum(b1x2, b2x2) - np.minimum(b1x1, b2x1)
    ch = np.maximum(b1y2, b2y2) - np.minimum(b1y1, b2y1)
    c2 = cw ** 2 + ch ** 2 + eps
    rho2 = ((b2x1 + b2x2 - b1x1 - b1x2) ** 2 + (b2y1 + b2y2 - b1y1 - b1y2) ** 2) / 4
    v = (4 / math.pi ** 2) * (np.arctan(w2 / h2) - np.arctan(w1 / h1)) ** 2
    alpha = v / (v - iou + (1 + eps))
    return iou - (rho2 / c2 + v * alpha)


p = [r.astype(np.float64) for r in raws]
tcls, tbox, indices, anch = build_targets(p, targets)
lbox = lobj = lcls = 0.0
ntargets = 0
for i, pi in enumerate(p):
    b, a, gj, gi = indices[i]
    tobj = np.zeros(pi.shape[:4])
    n = b.shape[0]
    ntargets += n
    if n:
        ps = pi[b, a, gj, gi]
        pxy = sigmoid(ps[:, 0:2]) * 2 - 0.5
        pwh = (sigmoid(ps[:, 2:4]) * 2) ** 2 * anch[i]
        iou = ciou(np.concatenate((pxy, pwh), 1), tbox[i])
        lbox += (1.0 - iou).mean()
        tobj[b, a, gj, gi] = iou.clip(0)
        t = np.zeros_like(ps[:, 5:])
        t[np.arange(n), tcls[i]] = 1.0
        lcls += bce(ps[:, 5:], t).mean()
    lobj += bce(pi[..., 4], tobj).mean() * balance[i]
lbox *= hyp["box"]
lobj *= hyp["obj"]
lcls *= hyp["cls"]
print("targets", ntargets)
print("lbox %.9g lobj %.9g lcls %.9g total %.9g" % (lbox, lobj, lcls, lbox + lobj + lcls))
