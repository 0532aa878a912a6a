package org.irfuse.nn.detection;

import java.util.List;
import org.irfuse.core.detection.Box;

/**
 * FCOS target assignment (Tian et al. 2019, §3.1–3.3) for one image: a location (x, y) is a positive sample of a
 * ground-truth box when it lies strictly inside the box (all of l* = x − x0, t* = y − y0, r* = x1 − x, b* = y1 − y
 * positive) and max(l*, t*, r*, b*) lies in its level's scale range ({@link Locations}); when several boxes
 * qualify, the one of smallest area wins. Its targets are the box's class, the distances (l*, t*, r*, b*), and the
 * centerness √(min(l*, r*)/max(l*, r*) · min(t*, b*)/max(t*, b*)) (FCOS eq. 3). Other locations are background
 * (class −1, zero distances and centerness).
 *
 * @param classOf per location, the assigned class or −1
 * @param distances per location l*, t*, r*, b* (4 per location)
 * @param centerness per location, the centerness target (0 for background)
 * @param assignedBox per location, the index of the winning box in the input list, or −1
 */
public record FcosTargets(int[] classOf, double[] distances, double[] centerness, int[] assignedBox) {

    public static FcosTargets assign(List<Box> boxes, Locations locations, int numClasses) {
        int n = locations.size();
        int[] cls = new int[n];
        double[] dist = new double[4 * n];
        double[] ctr = new double[n];
        int[] which = new int[n];
        for (Box b : boxes) {
            if (b.classId() >= numClasses) {
                throw new IllegalArgumentException("box class " + b.classId() + " outside 0.." + (numClasses - 1));
            }
        }
        for (int k = 0; k < n; k++) {
            double x = locations.x()[k];
            double y = locations.y()[k];
            int lv = locations.level()[k];
            int best = -1;
            double bestArea = Double.POSITIVE_INFINITY;
            for (int i = 0; i < boxes.size(); i++) {
                Box b = boxes.get(i);
                double[] e = encode(x, y, b);
                double min = Math.min(Math.min(e[0], e[1]), Math.min(e[2], e[3]));
                double max = Math.max(Math.max(e[0], e[1]), Math.max(e[2], e[3]));
                if (min <= 0 || max < locations.minReach()[lv] || max > locations.maxReach()[lv]) {
                    continue;
                }
                if (b.area() < bestArea) {
                    bestArea = b.area();
                    best = i;
                }
            }
            which[k] = best;
            if (best < 0) {
                cls[k] = -1;
                continue;
            }
            Box b = boxes.get(best);
            double[] e = encode(x, y, b);
            cls[k] = b.classId();
            System.arraycopy(e, 0, dist, 4 * k, 4);
            ctr[k] = centerness(e[0], e[1], e[2], e[3]);
        }
        return new FcosTargets(cls, dist, ctr, which);
    }

    /** (l*, t*, r*, b*) of a box seen from (x, y) (FCOS eq. 1). */
    public static double[] encode(double x, double y, Box b) {
        return new double[] {x - b.x0(), y - b.y0(), b.x1() - x, b.y1() - y};
    }

    /** The box (x − l, y − t, x + r, y + b) of distances seen from (x, y); the inverse of {@link #encode}. */
    public static Box decode(double x, double y, double l, double t, double r, double b, int classId,
            double score) {
        return new Box(x - l, y - t, x + r, y + b, classId, score);
    }

    /** FCOS eq. 3. */
    public static double centerness(double l, double t, double r, double b) {
        return Math.sqrt(Math.min(l, r) / Math.max(l, r) * (Math.min(t, b) / Math.max(t, b)));
    }

    public int positives() {
        int p = 0;
        for (int c : classOf) {
            p += c >= 0 ? 1 : 0;
        }
        return p;
    }
}
