package org.irfuse.core.metrics;

import java.util.Optional;

/**
 * One value of a long-form evaluation table: a row {@code method,image,metric,profile,value} of the CSV that
 * {@code irfuse eval} writes ({@code image} is the file name without extension).
 *
 * @param metric the metric's label ({@link Metric#label()} for fusion metrics; downstream evaluations may use
 *               their own names)
 */
public record MetricRow(String method, String image, String metric, String profile, double value)
        implements java.io.Serializable {
    /** The fusion metric named by {@link #metric()}, if it is one. */
    public Optional<Metric> fusionMetric() {
        return Metric.byLabel(metric);
    }
}
