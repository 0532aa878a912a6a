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
        /** Border width added on each side before 'valid' filtering (replicate: n/2, else 0). */
        int pad() {
            return replicate ? kernel.length / 2 : 0;
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
     * The sources' filtered mean μx and mean square w*(x·x) under one window, and streams and row buffers for
     * the fused side, reused for every fused image of the pair. Not thread-safe: one instance per thread.
     */
    static final class Sources {
        private final Window w;
        private final int width;
        private final int height;
        private final int outWidth;
        private final int outHeight;
        private final double[][] x;
        private final double[][] mx;
        private final double[][] mxx;
        /** Streams over (padded) rows: F, F·F, then X·F per source. */
        private final ValidRows[] streams;
        private final double[] row;
        private final double[] productRow;
        private final double[][] outRow;
        private final double[] rowA;
        private final double[] rowB;
        private final double[] product;

        Sources(Window w, Plane... sources) {
            this.w = w;
            this.width = sources[0].width();
            this.height = sources[0].height();
            int r = w.pad();
            int n = w.kernel().length;
            int pw = width + 2 * r;
            outWidth = Filters.validSize(pw, height + 2 * r, n, 1, true);
            outHeight = Filters.validSize(pw, height + 2 * r, n, 1, false);
            streams = new ValidRows[2 + sources.length];
            outRow = new double[streams.length][outWidth];
            for (int q = 0; q < streams.length; q++) {
                streams[q] = new ValidRows(w.kernel(), pw, 1);
            }
            row = new double[pw];
            rowA = new double[width];
            rowB = new double[width];
            product = new double[width];
            productRow = new double[pw];
            x = new double[sources.length][];
            mx = new double[sources.length][];
            mxx = new double[sources.length][];
            for (int i = 0; i < sources.length; i++) {
                x[i] = sources[i].v();
                mx[i] = Scratch.take(outWidth * outHeight);
                mxx[i] = Scratch.take(outWidth * outHeight);
                ValidRows mean = streams[0];
                ValidRows square = streams[1];
                mean.reset();
                square.reset();
                int oy = 0;
                for (int y = 0; y < height + 2 * r; y++) {
                    inputRow(x[i], y, row);
                    productRow(x[i], x[i], y, productRow);
                    boolean ready = mean.push(row, 0);
                    square.push(productRow, 0);
                    if (ready) {
                        mean.emit(mx[i], oy * outWidth);
                        square.emit(mxx[i], oy * outWidth);
                        oy++;
                    }
                }
            }
        }

        /** Row y of the filter's input (padded with border values when the window replicates) into out. */
        private void inputRow(double[] v, int y, double[] out) {
            if (w.replicate()) {
                Filters.replicateRow(v, width, height, w.pad(), y, out);
            } else {
                System.arraycopy(v, y * width, out, 0, width);
            }
        }

        /** Row y of the (padded) product a·b into out: padding replicates, so it commutes with the product. */
        private void productRow(double[] a, double[] b, int y, double[] out) {
            int r = w.pad();
            int s = Math.min(height - 1, Math.max(0, y - r)) * width;
            // the rows copied first: offsets into the planes would keep the loop scalar (C2, JDK 17)
            System.arraycopy(a, s, rowA, 0, width);
            System.arraycopy(b, s, rowB, 0, width);
            double[] ra = rowA;
            double[] rb = rowB;
            double[] p = product;
            for (int i = 0; i < width; i++) {
                p[i] = ra[i] * rb[i];
            }
            System.arraycopy(p, 0, out, r, width);
            for (int i = 0; i < r; i++) {
                out[i] = out[r];
                out[r + width + i] = out[r + width - 1];
            }
        }

        /** Gives the plane-sized arrays back ({@link Scratch}); this object must not be used afterwards. */
        void release() {
            for (int i = 0; i < x.length; i++) {
                Scratch.give(mx[i], mxx[i]);
                mx[i] = null;
                mxx[i] = null;
            }
        }

        /** Σ over the sources X (in their order) of mean(SSIM map of (F, X)). */
        double sum(Plane f) {
            if (f.width() != width || f.height() != height) {
                throw new IllegalArgumentException("fused plane " + f.width() + "x" + f.height()
                        + " differs from the sources' " + width + "x" + height);
            }
            double[] fv = f.v();
            for (ValidRows r : streams) {
                r.reset();
            }
            // One running sum of the map per source, in raster order as a whole-map mean would add it.
            double[] maps = new double[x.length];
            int oy = 0;
            for (int y = 0; y < height + 2 * w.pad(); y++) {
                inputRow(fv, y, row);
                boolean ready = streams[0].push(row, 0);
                productRow(fv, fv, y, productRow);
                streams[1].push(productRow, 0);
                for (int i = 0; i < x.length; i++) {
                    productRow(x[i], fv, y, productRow);
                    streams[2 + i].push(productRow, 0);
                }
                if (ready) {
                    for (int q = 0; q < streams.length; q++) {
                        streams[q].emit(outRow[q], 0);
                    }
                    for (int i = 0; i < x.length; i++) {
                        maps[i] = mapRow(maps[i], mx[i], mxx[i], oy * outWidth, outRow[2 + i]);
                    }
                    oy++;
                }
            }
            double s = 0;
            int n = outWidth * outHeight;
            for (double m : maps) {
                s += m / n;
            }
            return s;
        }

        /** {@code sum} plus the SSIM map over one output row (F's μ and mean square in outRow[0], [1]). */
        private double mapRow(double sum, double[] mxs, double[] mxxs, int o, double[] mxys) {
            double[] mys = outRow[0];
            double[] myys = outRow[1];
            double covNorm = w.covNorm();
            double c1 = w.c1();
            double c2 = w.c2();
            for (int i = 0; i < outWidth; i++) {
                double ux = mxs[o + i];
                double uy = mys[i];
                double vx = covNorm * (mxxs[o + i] - ux * ux);
                double vy = covNorm * (myys[i] - uy * uy);
                double vxy = covNorm * (mxys[i] - ux * uy);
                sum += ((2 * ux * uy + c1) * (2 * vxy + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
            }
            return sum;
        }
    }
}
