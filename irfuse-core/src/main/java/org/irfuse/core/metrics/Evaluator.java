package org.irfuse.core.metrics;

import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.irfuse.core.image.Image;

/**
 * Computes a set of fusion metrics for (A = infrared, B = visible, F = fused) triples under a {@link Profile}.
 * Thread-safe and stateless apart from its configuration: evaluate many triples in parallel with one instance.
 *
 * <p>Work that depends only on the sources (gray conversion, their filtered VIF and SSIM statistics, Sobel
 * maps, histograms, means) is done once per source pair: {@link #pair} prepares a pair lazily, and
 * {@link Pair#evaluate} scores each fused image of it (several methods' results for one scene). Work shared
 * between metrics of one F (its gray plane, mean, filtered statistics) is done once per F.
 */
public final class Evaluator {
    private final Profile profile;
    private final List<Metric> metrics;

    /**
     * @throws IllegalArgumentException when the profile's toolkit does not define one of the metrics
     */
    public Evaluator(Profile profile, Collection<Metric> metrics) {
        for (Metric m : metrics) {
            if (!profile.supports(m)) {
                throw new IllegalArgumentException("metric " + m.label() + " is not defined by profile "
                        + profile.id() + " (it has " + String.join(", ", profile.metrics().stream()
                                .map(Metric::label).toList()) + ")");
            }
        }
        this.profile = profile;
        this.metrics = List.copyOf(metrics);
    }

    /** All metrics the profile defines. */
    public static Evaluator allMetrics(Profile profile) {
        return new Evaluator(profile, profile.metrics());
    }

    public Profile profile() {
        return profile;
    }

    public List<Metric> metrics() {
        return metrics;
    }

    /**
     * The metric values for one triple, in the order of {@link #metrics()}. To score several fused images of
     * the same sources, use {@link #pair} once and {@link Pair#evaluate} per image.
     *
     * @throws IllegalArgumentException when the three images differ in size
     */
    public Map<Metric, Double> evaluate(Image ir, Image vis, Image fused) {
        if (!ir.sameSize(fused) || !vis.sameSize(fused)) {
            throw new IllegalArgumentException("sizes differ: infrared " + ir.sizeString() + ", visible "
                    + vis.sizeString() + ", fused " + fused.sizeString());
        }
        Pair p = pair(ir, vis);
        try {
            return p.evaluate(fused);
        } finally {
            p.release(); // nothing else holds the pair: its arrays go to the next triple on this thread
        }
    }

    /**
     * A source pair whose source-side work is done once (on the first {@link Pair#evaluate}) and reused for
     * every fused image evaluated with it.
     *
     * @throws IllegalArgumentException when the two images differ in size
     */
    public Pair pair(Image ir, Image vis) {
        if (!ir.sameSize(vis)) {
            throw new IllegalArgumentException("sizes differ: infrared " + ir.sizeString() + ", visible "
                    + vis.sizeString());
        }
        return new Pair(ir, vis);
    }

    /** The metric values for three 8-bit gray planes (for {@code vifb}: one colour channel, no averaging). */
    public Map<Metric, Double> evaluateGray(Plane a, Plane b, Plane f) {
        if (!a.sameSize(f) || !b.sameSize(f)) {
            throw new IllegalArgumentException("planes differ in size");
        }
        PreparedPair p = new PreparedPair(profile, metrics, a, b);
        return profile == Profile.VIFB ? p.evaluateVifbChannel(f) : p.evaluate(f);
    }

    /**
     * One infrared/visible pair of an {@link Evaluator}: the sources' gray planes and per-metric statistics are
     * computed on first use and kept, so each further fused image costs only its own side. Holds scratch arrays
     * of a few image sizes; not thread-safe — use one per thread (per scene), and drop it after the scene.
     */
    public final class Pair {
        private final Image ir;
        private final Image vis;
        /** tang*, cddfuse: the gray planes' preparation, and the gray planes. */
        private PreparedPair gray;
        private Plane grayIr;
        private Plane grayVis;
        /** vifb: for a gray F, the sources' rgb2gray planes; for a colour F, one per channel. */
        private PreparedPair vifbGray;
        private PreparedPair[] vifbColour;

        private Pair(Image ir, Image vis) {
            this.ir = ir;
            this.vis = vis;
        }

        /**
         * The metric values for one fused image of this pair, in the order of {@link #metrics()}.
         *
         * @throws IllegalArgumentException when the fused image's size differs from the sources'
         */
        public Map<Metric, Double> evaluate(Image fused) {
            if (!ir.sameSize(fused)) {
                throw new IllegalArgumentException("sizes differ: infrared " + ir.sizeString() + ", visible "
                        + vis.sizeString() + ", fused " + fused.sizeString());
            }
            if (profile == Profile.VIFB) {
                return evaluateVifb(fused);
            }
            if (gray == null) {
                grayIr = profile.grayPlane(ir);
                grayVis = profile.grayPlane(vis);
                gray = new PreparedPair(profile, metrics, grayIr, grayVis);
            }
            Plane f = profile.grayPlane(fused);
            try {
                return gray.evaluate(f);
            } finally {
                Scratch.give(f.v()); // the metrics keep nothing of F
            }
        }

        /** The cold path's end ({@link Evaluator#evaluate}): every array of this pair goes back to {@link Scratch}. */
        private void release() {
            if (gray != null) {
                gray.release();
                Scratch.give(grayIr.v(), grayVis.v());
                gray = null;
                grayIr = null;
                grayVis = null;
            }
        }

        /**
         * VIFB: every metric per channel k of F against IR (its channel k when it has three, else its only one)
         * and visible channel k, then the mean over channels; a gray F is compared with {@code rgb2gray} of the
         * sources. Spatial_frequency is the exception: VIFB lays the channels side by side (see
         * {@link StatisticalMetrics#spatialFrequencyVifb}).
         */
        private Map<Metric, Double> evaluateVifb(Image fused) {
            int channels = fused.channels();
            Plane[] fk = new Plane[channels];
            Map<Metric, Double> sum = new EnumMap<>(Metric.class);
            for (int k = 0; k < channels; k++) {
                fk[k] = Profile.channel(fused, k);
                vifbSources(channels, k).evaluateVifbChannel(fk[k]).forEach((m, v) -> sum.merge(m, v, Double::sum));
            }
            Map<Metric, Double> out = new EnumMap<>(Metric.class);
            for (Metric m : metrics) {
                out.put(m, m == Metric.SF ? StatisticalMetrics.spatialFrequencyVifb(fk) : sum.get(m) / channels);
            }
            return out;
        }

        private PreparedPair vifbSources(int channels, int k) {
            if (channels == 1) {
                if (vifbGray == null) {
                    vifbGray = new PreparedPair(profile, metrics, Profile.toGray(ir, Profile.Gray.MATLAB),
                            Profile.toGray(vis, Profile.Gray.MATLAB));
                }
                return vifbGray;
            }
            if (vifbColour == null) {
                vifbColour = new PreparedPair[channels];
            }
            if (vifbColour[k] == null) {
                vifbColour[k] = new PreparedPair(profile, metrics, Profile.channel(ir, ir.isGray() ? 0 : k),
                        Profile.channel(vis, vis.isGray() ? 0 : k));
            }
            return vifbColour[k];
        }
    }
}
