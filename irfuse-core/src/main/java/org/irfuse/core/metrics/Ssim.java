package org.irfuse.core.metrics;

import java.util.function.UnaryOperator;

/**
 * Wang et al. 2004 SSIM map {@code ((2μxμy + C1)(2σxy + C2)) / ((μx² + μy² + C1)(σx² + σy² + C2))}, averaged,
 * in the three window conventions the toolkits use. The {@code *Sum} methods return SSIM(F,A) + SSIM(F,B) and
 * filter F's mean and square once for both sources.
 */
final class Ssim {
    private Ssim() {
    }

    /** One window convention: the filter and the constants. */
    private record Window(UnaryOperator<Plane> filter, double covNorm, double c1, double c2) {
    }

    /** VIFB {@code metricsSsim.m}: 11×11 Gaussian σ 1.5, 'valid' filtering, C1 = (0.01·255)², C2 = (0.03·255)². */
    private static final Window VIFB = new Window(p -> Filters.valid(p, Filters.gaussian1d(11, 1.5)), 1,
            Math.pow(0.01 * 255, 2), Math.pow(0.03 * 255, 2));

    /**
     * CDDFuse: skimage {@code structural_similarity} with its defaults on float data: 7×7 uniform window,
     * sample covariance (×49/48), data range 2 so C1 = 0.02², C2 = 0.06² on 0..255 values, map cropped by 3 px
     * (= the 'valid' region of the window), mean.
     */
    private static final Window CDDFUSE = new Window(p -> Filters.valid(p, Filters.box1d(7)), 49.0 / 48.0,
            0.02 * 0.02, 0.06 * 0.06);

    /**
     * Tang's toolkit: MATLAB {@code ssim} on double images (0..255 values, DynamicRange 1 so C1 = 1e-4,
     * C2 = 9e-4): 11×11 Gaussian σ 1.5 with replicate padding, 'same' size, mean of the map.
     */
    private static final Window MATLAB = new Window(p -> Filters.sameReplicate(p, Filters.gaussian1d(11, 1.5)), 1,
            1e-4, 9e-4);

    static double vifb(Plane x, Plane y) {
        return sum(VIFB, x, y);
    }

    static double cddfuse(Plane x, Plane y) {
        return sum(CDDFUSE, x, y);
    }

    static double matlab(Plane x, Plane y) {
        return sum(MATLAB, x, y);
    }

    static double vifbSum(Plane f, Plane... sources) {
        return sum(VIFB, f, sources);
    }

    static double cddfuseSum(Plane f, Plane... sources) {
        return sum(CDDFUSE, f, sources);
    }

    static double matlabSum(Plane f, Plane... sources) {
        return sum(MATLAB, f, sources);
    }

    private static double sum(Window w, Plane f, Plane... sources) {
        Plane mf = w.filter().apply(f);
        Plane mff = w.filter().apply(Filters.product(f, f));
        double s = 0;
        for (Plane x : sources) {
            s += meanMap(w, w.filter().apply(x), mf, w.filter().apply(Filters.product(x, x)), mff,
                    w.filter().apply(Filters.product(x, f)));
        }
        return s;
    }

    private static double meanMap(Window w, Plane mx, Plane my, Plane mxx, Plane myy, Plane mxy) {
        double s = 0;
        int n = mx.size();
        double covNorm = w.covNorm();
        double c1 = w.c1();
        double c2 = w.c2();
        for (int i = 0; i < n; i++) {
            double ux = mx.v()[i];
            double uy = my.v()[i];
            double vx = covNorm * (mxx.v()[i] - ux * ux);
            double vy = covNorm * (myy.v()[i] - uy * uy);
            double vxy = covNorm * (mxy.v()[i] - ux * uy);
            s += ((2 * ux * uy + c1) * (2 * vxy + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
        }
        return s / n;
    }
}
