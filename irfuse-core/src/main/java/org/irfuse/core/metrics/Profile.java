package org.irfuse.core.metrics;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.irfuse.core.image.Image;

/**
 * A named evaluation convention: which toolkit's definitions, value scale, units and input conversion the numbers
 * follow (METRICS.md, "profiles"). Every number irfuse writes carries the profile it was computed under.
 */
public enum Profile {
    /** Linfeng-Tang/Evaluation-for-Image-Fusion before March 2023, bug-compatible with its shipped TNO table. */
    TANG2022("tang2022", Gray.MATLAB, EnumSet.of(Metric.EN, Metric.SD, Metric.SF, Metric.AG, Metric.MI,
            Metric.SCD, Metric.CC, Metric.VIF, Metric.QABF, Metric.NABF, Metric.SSIM, Metric.PSNR, Metric.MSE)),
    /** The same MATLAB toolkit after its March 2023 fixes. */
    TANG2023("tang2023", Gray.MATLAB, EnumSet.of(Metric.EN, Metric.SD, Metric.SF, Metric.AG, Metric.MI,
            Metric.SCD, Metric.CC, Metric.VIF, Metric.QABF, Metric.NABF, Metric.SSIM, Metric.PSNR, Metric.MSE)),
    /** CDDFuse's {@code utils/Evaluator.py}, reused by DDFM, EMMA and many 2023-2025 papers. */
    CDDFUSE("cddfuse", Gray.OPENCV_FLOAT, EnumSet.of(Metric.EN, Metric.SD, Metric.SF, Metric.AG, Metric.MI,
            Metric.SCD, Metric.CC, Metric.VIF, Metric.QABF, Metric.SSIM, Metric.PSNR, Metric.MSE)),
    /** The VIFB benchmark's MATLAB metrics: colour kept, every metric per channel of F, then averaged. */
    VIFB("vifb", Gray.PER_CHANNEL, EnumSet.of(Metric.EN, Metric.SD, Metric.SF, Metric.AG, Metric.MI,
            Metric.QABF, Metric.SSIM, Metric.PSNR, Metric.RMSE, Metric.CROSS_ENTROPY, Metric.EDGE_INTENSITY));

    /** The profile used when none is named: most recent papers' tables use CDDFuse's evaluator. */
    public static final Profile DEFAULT = CDDFUSE;

    /** How a colour image becomes the 8-bit gray plane the toolkit evaluates. */
    public enum Gray {
        /**
         * MATLAB {@code rgb2gray} on uint8: {@code round(0.298936021293775 R + 0.587043074451121 G
         * + 0.114020904255103 B)}, half away from zero.
         */
        MATLAB,
        /**
         * CDDFuse {@code image_read_cv2(path, 'GRAY')}: OpenCV's float32 BGR2GRAY ({@code B·0.114f + G·0.587f
         * + R·0.299f} in float32), then {@code np.round} (half to even).
         */
        OPENCV_FLOAT,
        /** VIFB: no conversion, each channel is evaluated (gray sources use {@link #MATLAB} where mixed). */
        PER_CHANNEL
    }

    private final String id;
    private final Gray gray;
    private final Set<Metric> metrics;

    Profile(String id, Gray gray, Set<Metric> metrics) {
        this.id = id;
        this.gray = gray;
        this.metrics = metrics;
    }

    /** The name written in outputs and accepted by {@code --profile}. */
    public String id() {
        return id;
    }

    public Gray gray() {
        return gray;
    }

    public boolean supports(Metric m) {
        return metrics.contains(m);
    }

    /** The metrics this profile's toolkit defines, in {@link Metric} order (the default set to compute). */
    public List<Metric> metrics() {
        return List.copyOf(EnumSet.copyOf(metrics));
    }

    public static Profile parse(String id) {
        String l = id.trim().toLowerCase(Locale.ROOT);
        for (Profile p : values()) {
            if (p.id.equals(l)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown profile '" + id + "'; known: "
                + String.join(", ", Arrays.stream(values()).map(Profile::id).toList()));
    }

    /** The 8-bit gray plane this profile evaluates for {@code img} (gray images are taken as they are). */
    public Plane grayPlane(Image img) {
        return toGray(img, gray == Gray.OPENCV_FLOAT ? Gray.OPENCV_FLOAT : Gray.MATLAB);
    }

    /**
     * The gray plane of {@code img} under {@code rule} (MATLAB or OPENCV_FLOAT). Every sample is
     * {@link Image#to8bit}, then, for colour, {@code round(0.298936021293775 R + 0.587043074451121 G +
     * 0.114020904255103 B)} half away from zero (MATLAB) or {@code rint(B·0.114f + G·0.587f + R·0.299f)} in float
     * (OpenCV). Worked row by row in loops C2 vectorises (each array indexed by the loop variable alone; see
     * {@link #samples8}); {@code ExactKernelsTest} checks the bits against the per-pixel formulas.
     */
    static Plane toGray(Image img, Gray rule) {
        int n = img.pixels();
        float[] d = img.data();
        double[] out = Scratch.take(n); // every entry written below
        if (img.isGray()) {
            samples8(d, out, n);
            return new Plane(img.width(), img.height(), out);
        }
        int w = img.width();
        float[] src = new float[w];
        double[] r = new double[w];
        double[] g = new double[w];
        double[] b = new double[w];
        double[] y = new double[w];
        float[] fr = new float[w];
        float[] fg = new float[w];
        float[] fb = new float[w];
        float[] fy = new float[w];
        for (int o = 0; o < n; o += w) {
            System.arraycopy(d, o, src, 0, w);
            samples8(src, r, w);
            System.arraycopy(d, n + o, src, 0, w);
            samples8(src, g, w);
            System.arraycopy(d, 2 * n + o, src, 0, w);
            samples8(src, b, w);
            if (rule == Gray.OPENCV_FLOAT) {
                // one conversion per loop, as C2 vectorises them (together in one loop they ran 5-10x slower)
                for (int i = 0; i < w; i++) {
                    fr[i] = (float) r[i];
                }
                for (int i = 0; i < w; i++) {
                    fg[i] = (float) g[i];
                }
                for (int i = 0; i < w; i++) {
                    fb[i] = (float) b[i];
                }
                for (int i = 0; i < w; i++) {
                    fy[i] = fb[i] * 0.114f + fg[i] * 0.587f + fr[i] * 0.299f;
                }
                for (int i = 0; i < w; i++) {
                    y[i] = fy[i];
                }
                for (int i = 0; i < w; i++) {
                    y[i] = Math.rint(y[i]);
                }
            } else {
                for (int i = 0; i < w; i++) {
                    double v = 0.298936021293775 * r[i] + 0.587043074451121 * g[i] + 0.114020904255103 * b[i];
                    y[i] = Math.floor(v + 0.5); // v >= 0: half away from zero
                }
            }
            System.arraycopy(y, 0, out, o, w);
        }
        return new Plane(img.width(), img.height(), out);
    }

    /**
     * {@code out[i] = Image.to8bit(src[i])} for i < len, as doubles: {@code floor(min(255, max(0, v·255)) + 0.5)}
     * equals to8bit's truncation (the argument is ≥ 0.5), and NaN, which gives NaN here, is set to 0 afterwards.
     * Three loops because C2 (JDK 17) vectorises the float-to-double widening only in a loop of its own.
     */
    private static void samples8(float[] src, double[] out, int len) {
        for (int i = 0; i < len; i++) {
            out[i] = src[i];
        }
        for (int i = 0; i < len; i++) {
            out[i] = Math.floor(Math.min(255.0, Math.max(0.0, out[i] * 255.0)) + 0.5);
        }
        for (int i = 0; i < len; i++) {
            if (out[i] != out[i]) {
                out[i] = 0;
            }
        }
    }

    /** Channel {@code c} of {@code img} as 8-bit samples. */
    static Plane channel(Image img, int c) {
        int n = img.pixels();
        float[] d = img.data();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = Image.to8bit(d[c * n + i]);
        }
        return new Plane(img.width(), img.height(), out);
    }

    @Override
    public String toString() {
        return id;
    }
}
