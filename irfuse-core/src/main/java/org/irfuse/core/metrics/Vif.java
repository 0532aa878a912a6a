package org.irfuse.core.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Pixel-domain multi-scale VIF (Sheikh & Bovik's {@code vifp_mscale}, as Tang's toolkit and CDDFuse's
 * {@code compare_viff} use it): scales s = 1..4 with Gaussian windows N = 2^(5−s)+1, σ = N/5; for s > 1 filter
 * ('valid') and keep every second row and column; μ, σ², σ12 from 'valid' filtering; g = σ12/(σ1² + ε),
 * sv² = σ2² − g σ12 with the toolkit's clamps (ε = 1e-10); num += Σ log10(1 + g²σ1²/(sv² + σn²)),
 * den += Σ log10(1 + σ1²/σn²), σn² = 2; VIFp = num/den. The fused image's statistics are computed once for
 * both sources.
 */
final class Vif {
    private static final double SIGMA_N_SQ = 2;
    private static final double EPS = 1e-10;

    private Vif() {
    }

    /**
     * VIFp(A,F) + VIFp(B,F).
     *
     * @param saturateScale1 tang2022: at scale 1 the toolkit multiplied uint8 images, so R², D² and R·D saturate
     *                       at 255 (inflating VIF); later scales work on doubles
     */
    static double vifSum(Plane a, Plane b, Plane f, boolean saturateScale1) {
        double[] num = new double[2];
        double[] den = new double[2];
        List<Plane> refs = new ArrayList<>(List.of(a, b));
        Plane dist = f;
        for (int scale = 1; scale <= 4; scale++) {
            int n = (1 << (5 - scale)) + 1;
            double[] win = Filters.gaussian1d(n, n / 5.0);
            if (scale > 1) {
                for (int i = 0; i < refs.size(); i++) {
                    refs.set(i, Filters.valid(refs.get(i), win, 2));
                }
                dist = Filters.valid(dist, win, 2);
            }
            boolean saturate = saturateScale1 && scale == 1;
            Plane mu2 = Filters.valid(dist, win);
            Plane dd = Filters.valid(product(dist, dist, saturate), win);
            for (int i = 0; i < refs.size(); i++) {
                Plane ref = refs.get(i);
                Plane mu1 = Filters.valid(ref, win);
                Plane rr = Filters.valid(product(ref, ref, saturate), win);
                Plane rd = Filters.valid(product(ref, dist, saturate), win);
                accumulate(mu1.v(), mu2.v(), rr.v(), dd.v(), rd.v(), num, den, i);
            }
        }
        return num[0] / den[0] + num[1] / den[1];
    }

    private static Plane product(Plane x, Plane y, boolean saturate) {
        Plane p = Filters.product(x, y);
        if (saturate) {
            double[] v = p.v();
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.min(255, v[i]);
            }
        }
        return p;
    }

    private static void accumulate(double[] mu1, double[] mu2, double[] rr, double[] dd, double[] rd,
            double[] num, double[] den, int slot) {
        double nSum = 0;
        double dSum = 0;
        for (int i = 0; i < mu1.length; i++) {
            double m1 = mu1[i];
            double m2 = mu2[i];
            double s1 = Math.max(0, rr[i] - m1 * m1);
            double s2 = Math.max(0, dd[i] - m2 * m2);
            double s12 = rd[i] - m1 * m2;
            double g = s12 / (s1 + EPS);
            double sv = s2 - g * s12;
            if (s1 < EPS) {
                g = 0;
                sv = s2;
                s1 = 0;
            }
            if (s2 < EPS) {
                g = 0;
                sv = 0;
            }
            if (g < 0) {
                sv = s2;
                g = 0;
            }
            if (sv <= EPS) {
                sv = EPS;
            }
            nSum += Math.log10(1 + g * g * s1 / (sv + SIGMA_N_SQ));
            dSum += Math.log10(1 + s1 / SIGMA_N_SQ);
        }
        num[slot] += nSum;
        den[slot] += dSum;
    }
}
