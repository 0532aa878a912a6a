package org.irfuse.core.metrics;

import java.util.Locale;
import java.util.Optional;

/**
 * The fusion metrics irfuse computes (A = infrared, B = visible, F = fused). Definitions and the toolkit
 * conventions each {@link Profile} follows are in {@code ../shared/docs/METRICS.md}; each implementation cites
 * its formula where it is computed.
 */
public enum Metric {
    EN("EN", true, "entropy of F (bits)"),
    SD("SD", true, "standard deviation of F"),
    SF("SF", true, "spatial frequency of F"),
    AG("AG", true, "average gradient of F"),
    MI("MI", true, "mutual information MI(A,F) + MI(B,F)"),
    SCD("SCD", true, "sum of the correlations of differences"),
    CC("CC", true, "mean correlation coefficient of F with A and B"),
    VIF("VIF", true, "pixel-domain visual information fidelity VIFp(A,F) + VIFp(B,F)"),
    QABF("Qabf", true, "Xydeas-Petrovic edge transfer"),
    NABF("Nabf", false, "fusion artefacts (Shreyamsha Kumar)"),
    SSIM("SSIM", true, "structural similarity of F with A and B"),
    PSNR("PSNR", true, "peak signal-to-noise ratio of F against A and B"),
    MSE("MSE", false, "mean squared error of F against A and B"),
    CROSS_ENTROPY("Cross_entropy", false, "VIFB: mean relative entropy of the source histograms to F's"),
    EDGE_INTENSITY("Edge_intensity", true, "VIFB: mean Sobel gradient magnitude of F"),
    RMSE("Rmse", false, "VIFB: its root-sum-squared error per pixel against A and B");

    private final String label;
    private final boolean higherIsBetter;
    private final String description;

    Metric(String label, boolean higherIsBetter, String description) {
        this.label = label;
        this.higherIsBetter = higherIsBetter;
        this.description = description;
    }

    /** The name used in tables, CSV files and on the command line ({@code Qabf}, {@code EN}, ...). */
    public String label() {
        return label;
    }

    /** Direction of the metric: true when a larger value means a better fusion. */
    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    public String description() {
        return description;
    }

    /** {@code 1} when higher is better, {@code -1} when lower is better: multiply to rank. */
    public int direction() {
        return higherIsBetter ? 1 : -1;
    }

    /** The metric with this label, ignoring case ({@code qabf}, {@code QABF}, {@code Qabf}). */
    public static Optional<Metric> byLabel(String label) {
        String l = label.trim().toLowerCase(Locale.ROOT);
        for (Metric m : values()) {
            if (m.label.toLowerCase(Locale.ROOT).equals(l)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    public static Metric parse(String label) {
        return byLabel(label).orElseThrow(() -> new IllegalArgumentException("unknown metric '" + label
                + "'; known: " + String.join(", ", java.util.Arrays.stream(values()).map(Metric::label).toList())));
    }

    @Override
    public String toString() {
        return label;
    }
}
