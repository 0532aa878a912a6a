package org.irfuse.core.metrics;

/**
 * Wang et al. 2004 SSIM map {@code ((2μxμy + C1)(2σxy + C2)) / ((μx² + μy² + C1)(σx² + σy² + C2))}, averaged,
 * in the three window conventions the toolkits use. The {@code *Sum} methods return SSIM(F,A) + SSIM(F,B);
 * {@link Sources} filters each source's mean and square once per source pair and F's once for both sources.
 */
final class Ssim {
    private Ssim() {
    }

    /**
     * One window convention: the separable kernel, whether borders are replicated to keep the input size (else
     * the 'valid' region is kept) and the constants.
     */
    record Window(double[] kernel, boolean replicate, double covNorm, double c1, double c2) {
        int outWidth(int w, int h) {
            return replicate ? w : Filters.validSize(w, h, kernel.length, 1, true);
        }

        int outHeight(int w, int h) {
            return replicate ? h : Filters.validSize(w, h, kernel.length, 1, false);
        }

        /** The filtered {@code w×h} array {@code x} into {@code dst}, with the caller's scratch. */
        void filter(double[] x, int w, int h, double[] padded, double[] rows, double[] dst) {
            if (replicate) {
                Filters.sameReplicate(x, w, h, kernel, padded, rows, dst);
            } else {
                Filters.valid(x, w, h, kernel, 1, rows, dst);
            }
        }
    }

    /** VIFB {@code metricsSsim.m}: 11×11 Gaussian σ 1.5, 'valid' filtering, C1 = (0.01·255)², C2 = (0.03·255)². */
    static final Window VIFB = new Window(Filters.gaussian1d(11, 1.5), false, 1,
            Math.pow(0.01 * 255, 2), Math.pow(0.03 * 255, 2));

    /**
     * CDDFuse: skimage {@code structural_similarity} with its defaults on float data: 7×7 uniform window,
     * sample covariance (×49/48), data range 2 so C1 = 0.02², C2 = 0.06² on 0..255 values, map cropped by 3 px
     * (= the 'valid' region of the window), mean.
     */
    static final Window CDDFUSE = new Window(Filters.box1d(7), false, 49.0 / 48.0, 0.02 * 0.02, 0.06 * 0.06);

    /**
     * Tang's toolkit: MATLAB {@code ssim} on double images (0..255 values, DynamicRange 1 so C1 = 1e-4,
     * C2 = 9e-4): 11×11 Gaussian σ 1.5 with replicate padding, 'same' size, mean of the map.
     */
    static final Window MATLAB = new Window(Filters.gaussian1d(11, 1.5), true, 1, 1e-4, 9e-4);

    static double vifb(Plane x, Plane y) {
        return new Sources(VIFB, y).sum(x);
    }

    static double cddfuse(Plane x, Plane y) {
        return new Sources(CDDFUSE, y).sum(x);
    }

    static double matlab(Plane x, Plane y) {
        return new Sources(MATLAB, y).sum(x);
    }

    static double vifbSum(Plane f, Plane... sources) {
        return new Sources(VIFB, sources).sum(f);
    }

    static double cddfuseSum(Plane f, Plane... sources) {
        return new Sources(CDDFUSE, sources).sum(f);
    }

    static double matlabSum(Plane f, Plane... sources) {
        return new Sources(MATLAB, sources).sum(f);
    }

    /**
     * The sources' filtered mean μx and mean square w*(x·x) under one window, and scratch for the fused side,
     * reused for every fused image of the pair. Not thread-safe: one instance per thread.
     */
    static final class Sources {
        private final Window w;
        private final int width;
        private final int height;
        private final int n;
        private final double[][] x;
        private final double[][] mx;
        private final double[][] mxx;
        private final double[] padded;
        private final double[] rows;
        private final double[] product;
        private final double[] mf;
        private final double[] mff;
        private final double[] mxf;

        Sources(Window w, Plane... sources) {
            this.w = w;
            this.width = sources[0].width();
            this.height = sources[0].height();
            int ow = w.outWidth(width, height);
            int oh = w.outHeight(width, height);
            this.n = ow * oh;
            int r = w.replicate() ? w.kernel().length / 2 : 0;
            padded = new double[w.replicate() ? (width + 2 * r) * (height + 2 * r) : 0];
            rows = new double[(w.replicate() ? width : ow) * (height + 2 * r)];
            product = new double[width * height];
            mf = new double[n];
            mff = new double[n];
            mxf = new double[n];
            x = new double[sources.length][];
            mx = new double[sources.length][];
            mxx = new double[sources.length][];
            for (int i = 0; i < sources.length; i++) {
                x[i] = sources[i].v();
                mx[i] = new double[n];
                mxx[i] = new double[n];
                w.filter(x[i], width, height, padded, rows, mx[i]);
                Filters.product(x[i], x[i], width * height, product);
                w.filter(product, width, height, padded, rows, mxx[i]);
            }
        }

        /** Σ over the sources X of mean(SSIM map of (F, X)), sources in their given order. */
        double sum(Plane f) {
            if (f.width() != width || f.height() != height) {
                throw new IllegalArgumentException("fused plane " + f.width() + "x" + f.height()
                        + " differs from the sources' " + width + "x" + height);
            }
            double[] fv = f.v();
            int size = width * height;
            w.filter(fv, width, height, padded, rows, mf);
            Filters.product(fv, fv, size, product);
            w.filter(product, width, height, padded, rows, mff);
            double s = 0;
            for (int i = 0; i < x.length; i++) {
                Filters.product(x[i], fv, size, product);
                w.filter(product, width, height, padded, rows, mxf);
                s += meanMap(mx[i], mf, mxx[i], mff, mxf);
            }
            return s;
        }

        private double meanMap(double[] mxs, double[] mys, double[] mxxs, double[] myys, double[] mxys) {
            double s = 0;
            double covNorm = w.covNorm();
            double c1 = w.c1();
            double c2 = w.c2();
            for (int i = 0; i < n; i++) {
                double ux = mxs[i];
                double uy = mys[i];
                double vx = covNorm * (mxxs[i] - ux * ux);
                double vy = covNorm * (myys[i] - uy * uy);
                double vxy = covNorm * (mxys[i] - ux * uy);
                s += ((2 * ux * uy + c1) * (2 * vxy + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
            }
            return s / n;
        }
    }
}
