package org.irfuse.core.detection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Detection mAP over a test set (METRICS.md, Downstream).
 *
 * <p>Matching, per class and IoU threshold t: all detections of the class over all images are sorted by
 * decreasing score (stable: ties keep the order images and detections were added); each detection is matched to
 * the <em>unmatched</em> ground-truth box of its class in its image with the highest IoU, provided that IoU ≥ t
 * (true positive; the box is then matched), otherwise it is a false positive. This is COCO's rule
 * ({@code cocoeval.evaluateImg}); the VOC devkit instead takes the highest-IoU box among all and counts a
 * detection hitting an already matched box as false positive — the two differ only with overlapping ground truth.
 * Precision/recall over the sorted list give AP by {@link AveragePrecision#vocAllPoint} and
 * {@link AveragePrecision#coco101}.
 *
 * <p>Classes with no ground-truth box in the whole set have no AP (NaN) and are excluded from every mean, as in
 * cocoeval (precision −1 excluded) and the VOC devkit (only classes with objects are evaluated); a class with
 * ground truth but no detection has AP 0. mAP@0.5:0.95 is the mean over the 10 thresholds 0.50, 0.55, …, 0.95 of
 * the mAP at each. Not modelled: COCO's area ranges, its 100-detections-per-image cap and crowd boxes, and VOC's
 * "difficult" objects (all ground truth counts).
 *
 * <p>Thread-safe: images may be added from several threads.
 */
public final class DetectionEvaluator {
    /** 0.50, 0.55, …, 0.95 as {@code np.linspace(.5, 0.95, 10)} (cocoeval {@code iouThrs}). */
    public static final double[] COCO_IOU_THRESHOLDS = AveragePrecision.linspace(0.5, 0.95, 10);

    private final int numClasses;
    private final List<ImageEntry> images = new ArrayList<>();

    private record ImageEntry(String id, List<Box> truth, List<Box> detections) {
    }

    public DetectionEvaluator(int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("need at least one class, got " + numClasses);
        }
        this.numClasses = numClasses;
    }

    /** Adds one image's ground truth and detections (detections of any order; boxes of classes ≥ K rejected). */
    public void add(String imageId, List<Box> groundTruth, List<Box> detections) {
        for (List<Box> list : List.of(groundTruth, detections)) {
            for (Box b : list) {
                if (b.classId() >= numClasses) {
                    throw new IllegalArgumentException(imageId + ": class " + b.classId() + " outside 0.."
                            + (numClasses - 1));
                }
            }
        }
        synchronized (images) {
            images.add(new ImageEntry(imageId, List.copyOf(groundTruth), List.copyOf(detections)));
        }
    }

    public int numClasses() {
        return numClasses;
    }

    /**
     * AP of one class at one IoU threshold, with its curve.
     *
     * @param groundTruth number of ground-truth boxes of the class
     * @param recall cumulative recall after each detection (sorted by score)
     * @param precision cumulative precision after each detection
     */
    public record ClassCurve(int classId, double iouThreshold, int groundTruth, int detections, int truePositives,
            double[] recall, double[] precision, double apVoc, double apCoco) {
    }

    /**
     * The full result: per class, AP at each threshold of {@link #COCO_IOU_THRESHOLDS}, under both interpolations.
     * Index [c][0] is AP@0.5.
     */
    public record Result(int numClasses, int[] groundTruthPerClass, double[][] apVoc, double[][] apCoco) {
        public boolean hasGroundTruth(int c) {
            return groundTruthPerClass[c] > 0;
        }

        /** Per-class AP@0.5 (VOC all-point or COCO 101-point), NaN for classes without ground truth. */
        public double[] ap50(boolean coco) {
            double[][] ap = coco ? apCoco : apVoc;
            double[] out = new double[numClasses];
            for (int c = 0; c < numClasses; c++) {
                out[c] = ap[c][0];
            }
            return out;
        }

        /** Per-class AP averaged over the 10 thresholds, NaN for classes without ground truth. */
        public double[] ap50to95(boolean coco) {
            double[][] ap = coco ? apCoco : apVoc;
            double[] out = new double[numClasses];
            for (int c = 0; c < numClasses; c++) {
                out[c] = Arrays.stream(ap[c]).average().orElse(Double.NaN);
            }
            return out;
        }

        public double map50(boolean coco) {
            return meanOverClasses(ap50(coco));
        }

        public double map50to95(boolean coco) {
            return meanOverClasses(ap50to95(coco));
        }

        /** Classes that enter the means (those with ground truth). */
        public int classesEvaluated() {
            int n = 0;
            for (int g : groundTruthPerClass) {
                n += g > 0 ? 1 : 0;
            }
            return n;
        }

        private double meanOverClasses(double[] perClass) {
            double s = 0;
            int n = 0;
            for (int c = 0; c < numClasses; c++) {
                if (hasGroundTruth(c)) {
                    s += perClass[c];
                    n++;
                }
            }
            return n == 0 ? Double.NaN : s / n;
        }
    }

    /** Evaluates at the 10 COCO thresholds (index 0 is 0.5). */
    public Result evaluate() {
        double[][] voc = new double[numClasses][COCO_IOU_THRESHOLDS.length];
        double[][] coco = new double[numClasses][COCO_IOU_THRESHOLDS.length];
        int[] gt = new int[numClasses];
        for (int c = 0; c < numClasses; c++) {
            for (int t = 0; t < COCO_IOU_THRESHOLDS.length; t++) {
                ClassCurve curve = curve(c, COCO_IOU_THRESHOLDS[t]);
                voc[c][t] = curve.apVoc();
                coco[c][t] = curve.apCoco();
                gt[c] = curve.groundTruth();
            }
        }
        return new Result(numClasses, gt, voc, coco);
    }

    /** Matches detections of one class at one threshold and computes its precision/recall curve and AP. */
    public ClassCurve curve(int classId, double iouThreshold) {
        List<ImageEntry> snapshot;
        synchronized (images) {
            snapshot = new ArrayList<>(images);
        }
        // Ground truth of this class per image, and each detection tagged with its image.
        Map<Integer, List<Box>> truthByImage = new LinkedHashMap<>();
        record Tagged(int image, Box box) {
        }
        List<Tagged> dets = new ArrayList<>();
        int totalTruth = 0;
        for (int i = 0; i < snapshot.size(); i++) {
            List<Box> truth = new ArrayList<>();
            for (Box b : snapshot.get(i).truth()) {
                if (b.classId() == classId) {
                    truth.add(b);
                }
            }
            totalTruth += truth.size();
            truthByImage.put(i, truth);
            for (Box d : snapshot.get(i).detections()) {
                if (d.classId() == classId) {
                    dets.add(new Tagged(i, d));
                }
            }
        }
        dets.sort(Comparator.comparingDouble((Tagged t) -> t.box().score()).reversed());
        Map<Integer, boolean[]> matched = new LinkedHashMap<>();
        truthByImage.forEach((img, truth) -> matched.put(img, new boolean[truth.size()]));
        int n = dets.size();
        double[] recall = new double[n];
        double[] precision = new double[n];
        int tp = 0;
        for (int k = 0; k < n; k++) {
            Tagged d = dets.get(k);
            List<Box> truth = truthByImage.get(d.image());
            boolean[] used = matched.get(d.image());
            int best = -1;
            double bestIou = -1;
            for (int g = 0; g < truth.size(); g++) {
                if (used[g]) {
                    continue;
                }
                double iou = BoxIou.iou(d.box(), truth.get(g));
                if (iou > bestIou) {
                    bestIou = iou;
                    best = g;
                }
            }
            if (best >= 0 && bestIou >= iouThreshold) {
                used[best] = true;
                tp++;
            }
            recall[k] = totalTruth == 0 ? 0 : (double) tp / totalTruth;
            precision[k] = (double) tp / (k + 1);
        }
        double apVoc;
        double apCoco;
        if (totalTruth == 0) {
            apVoc = Double.NaN;
            apCoco = Double.NaN;
        } else {
            apVoc = AveragePrecision.vocAllPoint(recall, precision);
            apCoco = AveragePrecision.coco101(recall, precision);
        }
        return new ClassCurve(classId, iouThreshold, totalTruth, n, tp, recall, precision, apVoc, apCoco);
    }
}
