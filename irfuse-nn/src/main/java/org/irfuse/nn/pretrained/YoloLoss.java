package org.irfuse.nn.pretrained;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.List;
import org.irfuse.core.detection.Box;
import org.irfuse.nn.runtime.Scalars;

/**
 * The training loss of YOLOv5 (Ultralytics yolov5 v6.x/v7.0, {@code utils/loss.py ComputeLoss} with
 * {@code utils/metrics.py bbox_iou} and the hyper-parameters of {@code data/hyps/hyp.scratch-low.yaml} as
 * {@code train.py} scales them), on the raw Detect outputs of {@link YoloV5n#raw} (N×A×ny×nx×(5+K), pre-sigmoid).
 * Every convention, with where it comes from:
 *
 * <ul>
 *   <li><b>Target assignment</b> ({@code build_targets}): at each level, a box (centre gx, gy and size gw, gh in
 *       grid units = pixels / stride) goes to every anchor whose ratio {@code r = (gw/aw, gh/ah)} satisfies
 *       {@code max(r, 1/r) < anchor_t = 4} in both directions, in the cell holding its centre and in the two
 *       nearest neighbouring cells: left when {@code gx mod 1 < 0.5 and gx > 1}, above when
 *       {@code gy mod 1 < 0.5 and gy > 1}, right when {@code (nx − gx) mod 1 < 0.5 and nx − gx > 1}, below
 *       likewise ({@code g = 0.5}, the offsets {@code (0,0), (1,0), (0,1), (−1,0), (0,−1)}·g). The cell index is
 *       {@code floor(gxy − offset)} clamped to the grid; the target centre is {@code gxy − cell} (unclamped cell),
 *       so it lies in −0.5..1.5, the range of the decoding {@code 2·σ(p) − 0.5}; the target size is (gw, gh).
 *       Targets are ordered as YOLOv5 orders them (offset kind, then anchor, then box), which decides which IoU
 *       an objectness cell shared by two targets keeps: the last one written.
 *   <li><b>Box</b>: {@code mean(1 − CIoU(pred, target))} over a level's targets, the prediction decoded as
 *       {@code xy = 2σ(p_xy) − 0.5}, {@code wh = (2σ(p_wh))²·anchor} ({@link #ciou}).
 *   <li><b>Objectness</b>: BCE with logits averaged over all N·A·ny·nx cells of a level; the target is 0 except at
 *       assigned cells, where it is the CIoU of that target, detached and clamped at 0 (model.gr = 1).
 *   <li><b>Class</b>: BCE with logits averaged over targets × K classes, one-hot targets (label smoothing 0), only
 *       when K > 1.
 *   <li><b>Weights</b>: objectness of level i × balance {4.0, 1.0, 0.4} (3 levels;
 *       {@code [4.0, 1.0, 0.25, 0.06, 0.02]} otherwise); then box × hyp.box, objectness × hyp.obj, class ×
 *       hyp.cls ({@link Gains#scratchLow}: box 0.05·3/nl, obj 1.0·(img/640)²·3/nl, cls 0.5·K/80·3/nl).
 *   <li><b>Scale</b>: YOLOv5 returns {@code (lbox + lobj + lcls)·batch size}; here {@link Parts#total} is
 *       {@code lbox + lobj + lcls}, the loss per image (the ×N only scales the gradient, which Adam ignores and
 *       which the other losses of the project, all means, do not carry).
 * </ul>
 *
 * The input boxes are in pixels of the network input (the crop, padded at the bottom/right so coordinates are
 * unchanged); their dataset class is turned into the network's class by {@code networkClass} (−1: the box is
 * ignored). Differentiable in the raw outputs, hence in the network's weights and its input image.
 */
public final class YoloLoss {
    /** {@code anchor_t} of hyp.scratch-low.yaml: the largest anchor/box side ratio of a match. */
    public static final double ANCHOR_THRESHOLD = 4.0;
    /** The ε of bbox_iou. */
    static final double EPS = 1e-7;
    private static final double[] BALANCE_3 = {4.0, 1.0, 0.4};
    private static final double[] BALANCE_OTHER = {4.0, 1.0, 0.25, 0.06, 0.02};
    /** Offsets of the centre cell and the four neighbours, × g = 0.5 (build_targets' {@code off}). */
    private static final double[][] OFFSETS = {{0, 0}, {0.5, 0}, {0, 0.5}, {-0.5, 0}, {0, -0.5}};

    private YoloLoss() {
    }

    /** The loss weights. */
    public record Gains(double box, double obj, double cls, double[] balance, double anchorThreshold) {
        /**
         * hyp.scratch-low.yaml (box 0.05, obj 1.0, cls 0.5, anchor_t 4.0) scaled as train.py does:
         * {@code box·3/nl}, {@code cls·nc/80·3/nl}, {@code obj·(imgsz/640)²·3/nl}.
         *
         * @param imageSize the training image size ({@code --img} of train.py), in pixels
         */
        public static Gains scratchLow(int classes, int levels, int imageSize) {
            double l = 3.0 / levels;
            double[] balance = levels == 3 ? BALANCE_3 : java.util.Arrays.copyOf(BALANCE_OTHER, levels);
            return new Gains(0.05 * l, 1.0 * Math.pow(imageSize / 640.0, 2) * l, 0.5 * classes / 80.0 * l,
                    balance, ANCHOR_THRESHOLD);
        }
    }

    /** The loss and its weighted terms (scalars), with the number of assigned targets over all levels. */
    public record Parts(NDArray total, NDArray box, NDArray objectness, NDArray classification, int targets) {
    }

    /**
     * One assigned target: level, image, anchor, cell (row, column), network class, and the target box in grid
     * units relative to the cell (tx, ty in −0.5..1.5) with its size (tw, th).
     */
    public record Target(int level, int image, int anchor, int row, int col, int classId, double tx, double ty,
            double tw, double th) {
    }

    /**
     * build_targets: the targets of every level.
     *
     * @param boxes per image, pixels of the network input
     * @param networkClass dataset class → network class (−1: ignored)
     * @param anchors levels×A×2 in stride units ({@link YoloDetect#anchors})
     * @param grids per level {ny, nx}
     */
    public static List<Target> assign(List<List<Box>> boxes, int[] networkClass, float[] anchors, int[] strides,
            int[][] grids, double anchorThreshold) {
        int levels = strides.length;
        int perLevel = anchors.length / levels / 2;
        List<Target> out = new ArrayList<>();
        for (int l = 0; l < levels; l++) {
            int ny = grids[l][0];
            int nx = grids[l][1];
            double s = strides[l];
            for (int kind = 0; kind < OFFSETS.length; kind++) {
                for (int a = 0; a < perLevel; a++) {
                    double aw = anchors[(l * perLevel + a) * 2];
                    double ah = anchors[(l * perLevel + a) * 2 + 1];
                    for (int b = 0; b < boxes.size(); b++) {
                        for (Box box : boxes.get(b)) {
                            int cls = box.classId() < networkClass.length ? networkClass[box.classId()] : -1;
                            if (cls < 0) {
                                continue;
                            }
                            double gx = box.centerX() / s;
                            double gy = box.centerY() / s;
                            double gw = box.width() / s;
                            double gh = box.height() / s;
                            double rw = gw / aw;
                            double rh = gh / ah;
                            if (!(Math.max(rw, 1 / rw) < anchorThreshold && Math.max(rh, 1 / rh) < anchorThreshold)) {
                                continue;
                            }
                            if (!cellWanted(kind, gx, gy, nx, ny)) {
                                continue;
                            }
                            // (gxy − offsets).long(): truncation, and gxy − offset > 0 whenever the cell is used.
                            int gi = (int) (gx - OFFSETS[kind][0]);
                            int gj = (int) (gy - OFFSETS[kind][1]);
                            out.add(new Target(l, b, a, clamp(gj, ny - 1), clamp(gi, nx - 1), cls, gx - gi, gy - gj,
                                    gw, gh));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** build_targets' j, k, l, m masks (kind 0 is the centre cell, always used). */
    private static boolean cellWanted(int kind, double gx, double gy, int nx, int ny) {
        double gxi = nx - gx;
        double gyi = ny - gy;
        return switch (kind) {
            case 0 -> true;
            case 1 -> gx % 1 < 0.5 && gx > 1;
            case 2 -> gy % 1 < 0.5 && gy > 1;
            case 3 -> gxi % 1 < 0.5 && gxi > 1;
            default -> gyi % 1 < 0.5 && gyi > 1;
        };
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(max, v));
    }

    /**
     * The loss of raw outputs against boxes.
     *
     * @param raw the N×A×ny×nx×(5+K) outputs per level
     * @param anchors levels×A×2 anchors in stride units
     * @param scope manager for the target tensors
     */
    public static Parts of(NDList raw, List<List<Box>> boxes, int[] networkClass, float[] anchors, int[] strides,
            Gains gains, NDManager scope) {
        int levels = raw.size();
        int[][] grids = new int[levels][];
        for (int l = 0; l < levels; l++) {
            Shape s = raw.get(l).getShape();
            grids[l] = new int[] {(int) s.get(2), (int) s.get(3)};
        }
        List<Target> targets = assign(boxes, networkClass, anchors, strides, grids, gains.anchorThreshold());
        NDArray lbox = null;
        NDArray lobj = null;
        NDArray lcls = null;
        for (int l = 0; l < levels; l++) {
            NDArray p = raw.get(l);
            Shape s = p.getShape();
            int na = (int) s.get(1);
            int ny = grids[l][0];
            int nx = grids[l][1];
            int k = (int) s.get(4);
            int classes = k - 5;
            List<Target> here = new ArrayList<>();
            for (Target t : targets) {
                if (t.level() == l) {
                    here.add(t);
                }
            }
            float[] tobj = new float[(int) (s.get(0) * na * ny * nx)];
            int n = here.size();
            if (n > 0) {
                long[] index = new long[n];
                float[] txy = new float[2 * n];
                float[] twh = new float[2 * n];
                float[] anchorWh = new float[2 * n];
                float[] oneHot = new float[n * classes];
                for (int i = 0; i < n; i++) {
                    Target t = here.get(i);
                    index[i] = (((long) t.image() * na + t.anchor()) * ny + t.row()) * nx + t.col();
                    txy[2 * i] = (float) t.tx();
                    txy[2 * i + 1] = (float) t.ty();
                    twh[2 * i] = (float) t.tw();
                    twh[2 * i + 1] = (float) t.th();
                    anchorWh[2 * i] = anchors[(l * na + t.anchor()) * 2];
                    anchorWh[2 * i + 1] = anchors[(l * na + t.anchor()) * 2 + 1];
                    oneHot[i * classes + t.classId()] = 1;
                }
                NDArray rows = p.reshape(-1, k).gather(scope.create(index, new Shape(n, 1)).broadcast(n, k), 0);
                NDArray ps = Scalars.mul(Activation.sigmoid(rows.get(":, 0:4")), 2);
                NDArray pxy = Scalars.sub(ps.get(":, 0:2"), 0.5);
                NDArray pwh = ps.get(":, 2:4").square().mul(typed(scope.create(anchorWh, new Shape(n, 2)), p));
                NDArray iou = ciou(pxy, pwh, typed(scope.create(txy, new Shape(n, 2)), p),
                        typed(scope.create(twh, new Shape(n, 2)), p));
                lbox = add(lbox, Scalars.add(iou.neg(), 1).mean());
                float[] iouValues = iou.toType(DataType.FLOAT32, false).toFloatArray();
                for (int i = 0; i < n; i++) {
                    tobj[(int) index[i]] = Math.max(0f, iouValues[i]);
                }
                if (classes > 1) {
                    NDArray target = typed(scope.create(oneHot, new Shape(n, classes)), p);
                    lcls = add(lcls, bceWithLogits(rows.get(":, 5:"), target).mean());
                }
            }
            NDArray objTarget = typed(scope.create(tobj, new Shape(s.get(0), na, ny, nx)), p);
            NDArray obj = bceWithLogits(p.get("..., 4"), objTarget).mean();
            lobj = add(lobj, Scalars.mul(obj, gains.balance()[l]));
        }
        NDArray zero = scope.zeros(new Shape(), raw.get(0).getDataType());
        NDArray box = Scalars.mul(lbox == null ? zero : lbox, gains.box());
        NDArray objectness = Scalars.mul(lobj, gains.obj());
        NDArray cls = Scalars.mul(lcls == null ? zero : lcls, gains.cls());
        return new Parts(box.add(objectness).add(cls), box, objectness, cls, targets.size());
    }

    private static NDArray typed(NDArray a, NDArray like) {
        return a.getDataType() == like.getDataType() ? a : a.toType(like.getDataType(), false);
    }

    private static NDArray add(NDArray sum, NDArray term) {
        return sum == null ? term : sum.add(term);
    }

    /** {@code BCEWithLogits(x, t) = max(x, 0) − x·t + log(1 + exp(−|x|))}, element-wise (PyTorch's stable form). */
    public static NDArray bceWithLogits(NDArray x, NDArray t) {
        return Activation.relu(x).sub(x.mul(t)).add(Scalars.add(x.abs().neg().exp(), 1).log());
    }

    /**
     * Complete IoU of boxes given as centre and size (n×2 each), bbox_iou(xywh=True, CIoU=True, eps=1e−7) of
     * YOLOv5 (Zheng et al., "Distance-IoU loss", AAAI 2020): {@code IoU − ρ²/c² − α·v} with IoU =
     * inter/(union + ε), ρ the centre distance, c the diagonal of the enclosing box (c² + ε),
     * {@code v = 4/π²·(atan(w2/h2) − atan(w1/h1))²} and {@code α = v/(v − IoU + 1 + ε)} taken as a constant
     * (computed under no_grad in YOLOv5). Returns n values; box 1 is the prediction, box 2 the target.
     */
    public static NDArray ciou(NDArray xy1, NDArray wh1, NDArray xy2, NDArray wh2) {
        NDArray half1 = Scalars.mul(wh1, 0.5);
        NDArray half2 = Scalars.mul(wh2, 0.5);
        NDArray lo1 = xy1.sub(half1);
        NDArray hi1 = xy1.add(half1);
        NDArray lo2 = xy2.sub(half2);
        NDArray hi2 = xy2.add(half2);
        NDArray interWh = Scalars.maximum(hi1.minimum(hi2).sub(lo1.maximum(lo2)), 0);
        NDArray inter = interWh.get(":, 0").mul(interWh.get(":, 1"));
        NDArray w1 = wh1.get(":, 0");
        NDArray h1 = wh1.get(":, 1");
        NDArray w2 = wh2.get(":, 0");
        NDArray h2 = wh2.get(":, 1");
        NDArray union = Scalars.add(w1.mul(h1).add(w2.mul(h2)).sub(inter), EPS);
        NDArray iou = inter.div(union);
        NDArray cwh = hi1.maximum(hi2).sub(lo1.minimum(lo2));
        NDArray c2 = Scalars.add(cwh.square().sum(new int[] {1}), EPS);
        // ((b2_x1 + b2_x2 − b1_x1 − b1_x2)² + (…y…)²)/4 is the squared centre distance.
        NDArray rho2 = xy2.sub(xy1).square().sum(new int[] {1});
        NDArray v = Scalars.mul(w2.div(h2).atan().sub(w1.div(h1).atan()).square(), 4 / (Math.PI * Math.PI));
        NDArray alpha = v.div(Scalars.add(v.sub(iou), 1 + EPS)).stopGradient();
        return iou.sub(rho2.div(c2).add(v.mul(alpha)));
    }

    /**
     * The network classes of a dataset's classes under a class map (the first source class mapped to each
     * dataset class; −1 for a dataset class no network class maps to).
     */
    public static int[] networkClasses(ClassMapping map) {
        int[] out = new int[map.targetClasses().size()];
        java.util.Arrays.fill(out, -1);
        for (int s = map.sourceCount() - 1; s >= 0; s--) {
            int t = map.target(s);
            if (t >= 0) {
                out[t] = s;
            }
        }
        return out;
    }
}
