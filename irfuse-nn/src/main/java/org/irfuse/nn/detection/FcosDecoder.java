package org.irfuse.nn.detection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.irfuse.core.detection.Box;
import org.irfuse.core.detection.NonMaxSuppression;

/**
 * Turns one image's per-location outputs into boxes, as FCOS's inference (Tian et al. 2019, §3.1 and §3.3):
 * a location/class pair is a candidate when its class probability σ(logit) exceeds {@link Settings#scoreThreshold};
 * at most {@link Settings#candidatesPerLevel} candidates per level are kept (highest probability); its box is
 * (x − l, y − t, x + r, y + b), clipped to the image; its score is √(σ(class logit) · σ(centerness logit)) (the
 * centerness down-weights boxes far from object centres; the square root keeps scores on the probability scale,
 * as later FCOS versions); then class-wise NMS ({@link NonMaxSuppression}) and at most
 * {@link Settings#maxDetections} boxes.
 */
public final class FcosDecoder {
    /** Decoding thresholds; FCOS's defaults are 0.05, 1000, 0.6 and 100. */
    public record Settings(double scoreThreshold, int candidatesPerLevel, double nmsIou, int maxDetections) {
        public static Settings defaults() {
            return new Settings(0.05, 1000, 0.6, 100);
        }

        public Settings {
            if (!(scoreThreshold >= 0 && scoreThreshold < 1)) {
                throw new IllegalArgumentException("score threshold must be in [0, 1), got " + scoreThreshold);
            }
            if (!(nmsIou > 0 && nmsIou <= 1)) {
                throw new IllegalArgumentException("NMS IoU must be in (0, 1], got " + nmsIou);
            }
            if (candidatesPerLevel < 1 || maxDetections < 1) {
                throw new IllegalArgumentException("candidate and detection limits must be positive");
            }
        }
    }

    private FcosDecoder() {
    }

    /**
     * @param classLogits L×K, row-major
     * @param distances L×4 (l, t, r, b) in pixels
     * @param centernessLogits L
     */
    public static List<Box> decode(float[] classLogits, float[] distances, float[] centernessLogits,
            Locations locations, int numClasses, Settings settings) {
        int n = locations.size();
        if (classLogits.length != n * numClasses || distances.length != 4 * n || centernessLogits.length != n) {
            throw new IllegalArgumentException("outputs do not match " + n + " locations × " + numClasses
                    + " classes");
        }
        record Candidate(int location, int classId, double probability) {
        }
        List<Box> candidates = new ArrayList<>();
        int levels = locations.strides().length;
        for (int lv = 0; lv < levels; lv++) {
            List<Candidate> level = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                if (locations.level()[k] != lv) {
                    continue;
                }
                for (int c = 0; c < numClasses; c++) {
                    double p = sigmoid(classLogits[k * numClasses + c]);
                    if (p > settings.scoreThreshold()) {
                        level.add(new Candidate(k, c, p));
                    }
                }
            }
            level.sort(Comparator.comparingDouble(Candidate::probability).reversed());
            for (Candidate cand : level.subList(0, Math.min(level.size(), settings.candidatesPerLevel()))) {
                int k = cand.location();
                double score = Math.sqrt(cand.probability() * sigmoid(centernessLogits[k]));
                Box b = FcosTargets.decode(locations.x()[k], locations.y()[k], distances[4 * k],
                        distances[4 * k + 1], distances[4 * k + 2], distances[4 * k + 3], cand.classId(), score);
                Box clipped = clip(b, locations.width(), locations.height());
                if (clipped.width() > 0 && clipped.height() > 0) {
                    candidates.add(clipped);
                }
            }
        }
        return NonMaxSuppression.apply(candidates, settings.nmsIou(), settings.maxDetections());
    }

    static Box clip(Box b, int width, int height) {
        double x0 = Math.min(Math.max(b.x0(), 0), width);
        double y0 = Math.min(Math.max(b.y0(), 0), height);
        double x1 = Math.min(Math.max(b.x1(), 0), width);
        double y1 = Math.min(Math.max(b.y1(), 0), height);
        return new Box(x0, y0, x1, y1, b.classId(), b.score());
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
