package org.irfuse.core.align;

/**
 * The enhanced correlation coefficient update (Evangelidis &amp; Psarakis 2008, "Parametric image alignment using
 * enhanced correlation coefficient maximization", PAMI 30(10), eqs. 19–24): the increment that maximises the
 * linearised correlation between the target {@code t} and the warped source {@code s ≈ s₀ + J·Δ}. With
 * {@code H = JᵀJ} and the projection {@code P = J·H⁻¹·Jᵀ}:
 * <pre>  Δ = H⁻¹·Jᵀ(λ·t − s),  λ = (|s|² − sᵀPs) / (tᵀs − tᵀPs)        when tᵀs − tᵀPs &gt; 0,
 *   λ = max(√((|s|² − sᵀPs) / (|t|² − tᵀPt)), (tᵀPs − tᵀs) / tᵀPt)   otherwise.</pre>
 * It is Gauss–Newton on {@code |λt − s|²} with the scale λ chosen for the correlation, so it is invariant to the
 * overall strength of either image's features.
 */
final class Ecc {
    private Ecc() {
    }

    /**
     * The increment from accumulated sums laid out as: {@code H} upper triangle row-major ({@code k·k}),
     * {@code Jᵀt} (k), {@code Jᵀs} (k), {@code |t|²}, {@code |s|²}, {@code tᵀs}. Null when the system is singular.
     */
    static double[] step(double[] sums, int k) {
        int kk = k * k;
        double[][] hm = new double[k][k];
        double[] gt = new double[k];
        double[] gs = new double[k];
        for (int p = 0; p < k; p++) {
            for (int q = p; q < k; q++) {
                hm[p][q] = sums[p * k + q];
                hm[q][p] = sums[p * k + q];
            }
            hm[p][p] *= 1 + 1e-6; // against an exactly flat direction
            gt[p] = sums[kk + p];
            gs[p] = sums[kk + k + p];
        }
        double tt = sums[kk + 2 * k];
        double ss = sums[kk + 2 * k + 1];
        double ts = sums[kk + 2 * k + 2];
        double[] ht = Linear.solve(hm, gt);
        double[] hs = Linear.solve(hm, gs);
        if (ht == null || hs == null) {
            return null;
        }
        double sPs = dot(gs, hs);
        double tPs = dot(gt, hs);
        double tPt = dot(gt, ht);
        double den = ts - tPs;
        double lambda;
        if (den > 1e-12 * Math.max(1, Math.abs(ts))) {
            lambda = (ss - sPs) / den;
        } else {
            double l1 = Math.sqrt(Math.max(0, ss - sPs) / Math.max(1e-300, tt - tPt));
            double l2 = tPt > 0 ? (tPs - ts) / tPt : 0;
            lambda = Math.max(l1, l2);
        }
        double[] out = new double[k];
        for (int p = 0; p < k; p++) {
            out[p] = lambda * ht[p] - hs[p];
        }
        return out;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
