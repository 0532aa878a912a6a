package org.irfuse.core.metrics;

/**
 * Wang et al. 2004 SSIM map {@code ((2μxμy + C1)(2σxy + C2)) / ((μx² + μy² + C1)(σx² + σy² + C2))}, averaged,
 * in the three window conventions the toolkits use.
 */
final class Ssim {
    private Ssim() {
    }

    /** VIFB {@code metricsSsim.m}: 11×11 Gaussian σ 1.5, 'valid' filtering, C1 = (0.01·255)², C2 = (0.03·255)². */
    static double vifb(Plane x, Plane y) {
        double[] w = Filters.gaussian1d(11, 1.5);
        return meanMap(Filters.valid(x, w), Filters.valid(y, w), Filters.valid(Filters.product(x, x), w),
                Filters.valid(Filters.product(y, y), w), Filters.validOfProduct(x, y, w), 1,
                Math.pow(0.01 * 255, 2), Math.pow(0.03 * 255, 2));
    }

    /**
     * CDDFuse: skimage {@code structural_similarity} with its defaults on float data: 7×7 uniform window,
     * sample covariance (×49/48), data range 2 so C1 = 0.02², C2 = 0.06² on 0..255 values, map cropped by 3 px
     * (= the 'valid' region of the window), mean.
     */
    static double cddfuse(Plane x, Plane y) {
        double[] w = Filters.box1d(7);
        return meanMap(Filters.valid(x, w), Filters.valid(y, w), Filters.valid(Filters.product(x, x), w),
                Filters.valid(Filters.product(y, y), w), Filters.validOfProduct(x, y, w), 49.0 / 48.0,
                0.02 * 0.02, 0.06 * 0.06);
    }

    /**
     * Tang's toolkit: MATLAB {@code ssim} on double images (0..255 values, DynamicRange 1 so C1 = 1e-4,
     * C2 = 9e-4): 11×11 Gaussian σ 1.5 with replicate padding, 'same' size, mean of the map.
     */
    static double matlab(Plane x, Plane y) {
        double[] w = Filters.gaussian1d(11, 1.5);
        return meanMap(Filters.sameReplicate(x, w), Filters.sameReplicate(y, w),
                Filters.sameReplicate(Filters.product(x, x), w), Filters.sameReplicate(Filters.product(y, y), w),
                Filters.sameReplicate(Filters.product(x, y), w), 1, 1e-4, 9e-4);
    }

    private static double meanMap(Plane mx, Plane my, Plane mxx, Plane myy, Plane mxy, double covNorm, double c1,
            double c2) {
        double s = 0;
        int n = mx.size();
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
