package org.irfuse.core.align;

/** Small dense linear systems (the Gauss–Newton normal equations). */
final class Linear {
    private Linear() {
    }

    /** Solves {@code A·x = b} by Gaussian elimination with partial pivoting; null when singular. */
    static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][n + 1];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n] = b[i];
        }
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) {
                    piv = r;
                }
            }
            if (Math.abs(m[piv][c]) < 1e-300 || !Double.isFinite(m[piv][c])) {
                return null;
            }
            double[] t = m[c];
            m[c] = m[piv];
            m[piv] = t;
            for (int r = c + 1; r < n; r++) {
                double f = m[r][c] / m[c][c];
                for (int k = c; k <= n; k++) {
                    m[r][k] -= f * m[c][k];
                }
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = m[r][n];
            for (int k = r + 1; k < n; k++) {
                s -= m[r][k] * x[k];
            }
            x[r] = s / m[r][r];
        }
        return x;
    }

    /**
     * Solves {@code A·x = b} for several right-hand sides with one Cholesky factorisation {@code A = L·Lᵀ}
     * (A symmetric positive definite, as a regularised Gauss–Newton matrix is); only the lower triangle of
     * {@code a} is read and {@code a} is overwritten by L. Null when A is not positive definite. One
     * factorisation costs n³/6 multiply-adds against n³/3 per right-hand side for {@link #solve}: the B-spline
     * systems (n ≈ 600) are solved three times per iteration.
     */
    static double[][] choleskySolve(double[][] a, double[]... rhs) {
        int n = a.length;
        for (int j = 0; j < n; j++) {
            double[] rj = a[j];
            double d = rj[j];
            for (int k = 0; k < j; k++) {
                d -= rj[k] * rj[k];
            }
            if (!(d > 0) || !Double.isFinite(d)) {
                return null;
            }
            d = Math.sqrt(d);
            rj[j] = d;
            for (int i = j + 1; i < n; i++) {
                double[] ri = a[i];
                double s = ri[j];
                for (int k = 0; k < j; k++) {
                    s -= ri[k] * rj[k];
                }
                ri[j] = s / d;
            }
        }
        double[][] out = new double[rhs.length][];
        for (int r = 0; r < rhs.length; r++) {
            double[] x = rhs[r].clone();
            for (int i = 0; i < n; i++) { // L·y = b
                double s = x[i];
                for (int k = 0; k < i; k++) {
                    s -= a[i][k] * x[k];
                }
                x[i] = s / a[i][i];
            }
            for (int i = n - 1; i >= 0; i--) { // Lᵀ·x = y
                double s = x[i];
                for (int k = i + 1; k < n; k++) {
                    s -= a[k][i] * x[k];
                }
                x[i] = s / a[i][i];
            }
            out[r] = x;
        }
        return out;
    }
}
