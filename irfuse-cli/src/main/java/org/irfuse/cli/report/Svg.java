package org.irfuse.cli.report;

import static org.irfuse.cli.report.Html.coord;
import static org.irfuse.cli.report.Html.esc;
import static org.irfuse.cli.report.Html.num;

import java.util.ArrayList;
import java.util.List;

/** Inline SVG charts drawn in Java: no script library, no network, and the page prints as it shows. */
final class Svg {
    /** Tableau 10: distinguishable colours, also for most colour-vision deficiencies. */
    static final String[] PALETTE = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
        "#ff9da7", "#9c755f", "#bab0ac"};

    /** Line charts keep at most this many min/max buckets per series so long runs stay light. */
    static final int MAX_BUCKETS = 800;

    private Svg() {
    }

    static String colour(int i) {
        String c = PALETTE[i % PALETTE.length];
        return c;
    }

    /** One line of a line chart; x and y of equal length, non-finite y values are gaps. */
    record Series(String name, double[] x, double[] y) {
    }

    /** A shaded x-range of a line chart (e.g. the warm-up stage). */
    record Band(double from, double to, String label) {
    }

    /** Tick values covering [lo, hi] with a 1-2-5 step, about {@code target} of them. */
    static double[] niceTicks(double lo, double hi, int target) {
        if (!(hi > lo)) {
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            lo -= pad;
            hi += pad;
        }
        double rough = (hi - lo) / Math.max(1, target);
        double mag = Math.pow(10, Math.floor(Math.log10(rough)));
        double norm = rough / mag;
        double step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
        double first = Math.floor(lo / step) * step;
        double last = Math.ceil(hi / step) * step;
        int n = (int) Math.round((last - first) / step) + 1;
        double[] ticks = new double[n];
        for (int i = 0; i < n; i++) {
            // Rounding to the step's precision avoids labels like 0.30000000000000004.
            ticks[i] = Math.round((first + i * step) / step) * step;
        }
        return ticks;
    }

    /** A tick label with just the decimals its step needs: 0, 50, 100 rather than 0, 50.00, 100.0. */
    static String tickLabel(double value, double[] ticks) {
        double step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
        if (Math.abs(step) < 1e-4 || Math.abs(value) >= 1e6) {
            return num(value);
        }
        int decimals = (int) Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
        return String.format(java.util.Locale.ROOT, "%." + decimals + "f", value);
    }

    /**
     * A vertical bar per method with its standard deviation as an error bar; the best bar(s) are outlined and
     * starred. {@code best[i]} says whether method i is best under the metric's direction.
     */
    static String barChart(String title, String direction, List<String> labels, double[] means, double[] stds,
            boolean[] best) {
        int n = labels.size();
        double lo = 0;
        double hi = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(means[i])) {
                continue;
            }
            double s = Double.isNaN(stds[i]) ? 0 : stds[i];
            lo = Math.min(lo, means[i] - s);
            hi = Math.max(hi, means[i] + s);
        }
        double[] ticks = niceTicks(lo, hi, 5);
        double y0 = ticks[0];
        double y1 = ticks[ticks.length - 1];
        int left = 56;
        int top = 34;
        int plotH = 170;
        int barW = 34;
        int gap = 14;
        int plotW = n * (barW + gap) + gap;
        int bottom = 78;
        int width = left + plotW + 12;
        int height = top + plotH + bottom;
        StringBuilder s = new StringBuilder();
        s.append("<svg class=\"chart bar\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" role=\"img\" aria-label=\"").append(esc(title)).append("\">");
        s.append("<text class=\"title\" x=\"").append(left).append("\" y=\"16\">").append(esc(title))
                .append("</text>");
        s.append("<text class=\"dir\" x=\"").append(left).append("\" y=\"29\">").append(esc(direction))
                .append("</text>");
        for (double t : ticks) {
            double y = top + plotH - (t - y0) / (y1 - y0) * plotH;
            s.append("<line class=\"grid\" x1=\"").append(left).append("\" x2=\"").append(left + plotW)
                    .append("\" y1=\"").append(coord(y)).append("\" y2=\"").append(coord(y)).append("\"/>");
            s.append("<text class=\"tick\" x=\"").append(left - 6).append("\" y=\"").append(coord(y + 4))
                    .append("\" text-anchor=\"end\">").append(esc(tickLabel(t, ticks))).append("</text>");
        }
        double zeroY = top + plotH - (0 - y0) / (y1 - y0) * plotH;
        for (int i = 0; i < n; i++) {
            double x = left + gap + i * (barW + gap);
            double cx = x + barW / 2.0;
            String label = labels.get(i);
            if (!Double.isNaN(means[i])) {
                double y = top + plotH - (means[i] - y0) / (y1 - y0) * plotH;
                s.append("<rect class=\"barrect").append(best[i] ? " best" : "").append("\" data-method=\"")
                        .append(esc(label)).append("\" x=\"").append(coord(x)).append("\" y=\"")
                        .append(coord(Math.min(y, zeroY))).append("\" width=\"").append(barW).append("\" height=\"")
                        .append(coord(Math.abs(zeroY - y))).append("\" fill=\"").append(colour(i)).append("\"><title>")
                        .append(esc(label)).append(": ").append(esc(num(means[i])));
                if (!Double.isNaN(stds[i])) {
                    s.append(" ± ").append(esc(num(stds[i])));
                }
                s.append("</title></rect>");
                if (!Double.isNaN(stds[i]) && stds[i] > 0) {
                    double ya = top + plotH - (means[i] + stds[i] - y0) / (y1 - y0) * plotH;
                    double yb = top + plotH - (means[i] - stds[i] - y0) / (y1 - y0) * plotH;
                    s.append("<path class=\"err\" d=\"M").append(coord(cx)).append(' ').append(coord(ya))
                            .append("V").append(coord(yb)).append("M").append(coord(cx - 6)).append(' ')
                            .append(coord(ya)).append("h12M").append(coord(cx - 6)).append(' ').append(coord(yb))
                            .append("h12\"/>");
                }
                if (best[i]) {
                    s.append("<text class=\"star\" x=\"").append(coord(cx)).append("\" y=\"")
                            .append(coord(Math.min(y, zeroY) - 4)).append("\" text-anchor=\"middle\">★</text>");
                }
            }
            double ly = top + plotH + 12;
            s.append("<text class=\"label\" transform=\"translate(").append(coord(cx)).append(' ').append(coord(ly))
                    .append(") rotate(-35)\" text-anchor=\"end\">").append(esc(label)).append("</text>");
        }
        s.append("<line class=\"axis\" x1=\"").append(left).append("\" x2=\"").append(left + plotW).append("\" y1=\"")
                .append(coord(zeroY)).append("\" y2=\"").append(coord(zeroY)).append("\"/>");
        s.append("<line class=\"axis\" x1=\"").append(left).append("\" x2=\"").append(left).append("\" y1=\"")
                .append(top).append("\" y2=\"").append(top + plotH).append("\"/>");
        s.append("</svg>");
        return s.toString();
    }

    /**
     * A radar of ranks: one axis per metric, rank 1 on the outer ring and rank {@code n} nearest the centre, so the
     * method covering the largest area ranks best overall (the BDLFusion paper's Fig. 1).
     */
    static String rankRadar(List<String> axes, List<String> methods, double[][] ranks, double[] meanRanks) {
        int nAxes = axes.size();
        int nMethods = methods.size();
        int radius = 170;
        int cx = 250;
        int cy = 230;
        int legendX = 2 * cx + 10;
        int width = legendX + 230;
        int height = Math.max(2 * cy, 40 + 20 * nMethods);
        StringBuilder s = new StringBuilder();
        s.append("<svg class=\"chart radar\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" role=\"img\" aria-label=\"rank radar\">");
        for (int ring = 1; ring <= nMethods; ring++) {
            double r = radius * ring / (double) nMethods;
            StringBuilder pts = new StringBuilder();
            for (int a = 0; a < nAxes; a++) {
                pts.append(coord(cx + r * Math.sin(angle(a, nAxes)))).append(',')
                        .append(coord(cy - r * Math.cos(angle(a, nAxes)))).append(' ');
            }
            s.append("<polygon class=\"ring\" points=\"").append(pts.toString().trim()).append("\"/>");
            int rank = nMethods - ring + 1;
            s.append("<text class=\"tick\" x=\"").append(cx + 3).append("\" y=\"").append(coord(cy - r + 11))
                    .append("\">").append(rank).append("</text>");
        }
        for (int a = 0; a < nAxes; a++) {
            double ax = cx + radius * Math.sin(angle(a, nAxes));
            double ay = cy - radius * Math.cos(angle(a, nAxes));
            s.append("<line class=\"spoke\" x1=\"").append(cx).append("\" y1=\"").append(cy).append("\" x2=\"")
                    .append(coord(ax)).append("\" y2=\"").append(coord(ay)).append("\"/>");
            double lx = cx + (radius + 16) * Math.sin(angle(a, nAxes));
            double ly = cy - (radius + 16) * Math.cos(angle(a, nAxes)) + 4;
            String anchor = Math.abs(lx - cx) < 5 ? "middle" : lx > cx ? "start" : "end";
            s.append("<text class=\"axislabel\" x=\"").append(coord(lx)).append("\" y=\"").append(coord(ly))
                    .append("\" text-anchor=\"").append(anchor).append("\">").append(esc(axes.get(a)))
                    .append("</text>");
        }
        for (int m = 0; m < nMethods; m++) {
            StringBuilder pts = new StringBuilder();
            for (int a = 0; a < nAxes; a++) {
                double rank = ranks[m][a];
                double r = Double.isNaN(rank) ? 0 : radius * (nMethods - rank + 1) / nMethods;
                pts.append(coord(cx + r * Math.sin(angle(a, nAxes)))).append(',')
                        .append(coord(cy - r * Math.cos(angle(a, nAxes)))).append(' ');
            }
            s.append("<polygon class=\"method\" data-method=\"").append(esc(methods.get(m))).append("\" points=\"")
                    .append(pts.toString().trim()).append("\" stroke=\"").append(colour(m)).append("\" fill=\"")
                    .append(colour(m)).append("\"><title>").append(esc(methods.get(m))).append("</title></polygon>");
            int ly = 30 + 20 * m;
            s.append("<rect x=\"").append(legendX).append("\" y=\"").append(ly - 10).append("\" width=\"12\" "
                    + "height=\"12\" fill=\"").append(colour(m)).append("\"/>");
            s.append("<text class=\"legend\" x=\"").append(legendX + 18).append("\" y=\"").append(ly).append("\">")
                    .append(esc(methods.get(m))).append(" (mean rank ").append(esc(num(meanRanks[m])))
                    .append(")</text>");
        }
        s.append("</svg>");
        return s.toString();
    }

    private static double angle(int axis, int nAxes) {
        return 2 * Math.PI * axis / nAxes;
    }

    /**
     * A line chart with axes, ticks, a legend and optional shaded bands. A positive series spanning more than
     * three decades is drawn on a log scale (losses typically do).
     */
    static String lineChart(String title, String xLabel, List<Series> series, List<Band> bands) {
        return lineChart(title, xLabel, series, bands, Double.NaN, Double.NaN);
    }

    /** As above with a fixed x range (NaN: from the data), so charts of one run share their step axis. */
    static String lineChart(String title, String xLabel, List<Series> series, List<Band> bands, double xFrom,
            double xTo) {
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (Series se : series) {
            for (int i = 0; i < se.x().length; i++) {
                if (Double.isFinite(se.y()[i])) {
                    xMin = Math.min(xMin, se.x()[i]);
                    xMax = Math.max(xMax, se.x()[i]);
                    yMin = Math.min(yMin, se.y()[i]);
                    yMax = Math.max(yMax, se.y()[i]);
                }
            }
        }
        boolean empty = xMin > xMax;
        if (empty) {
            xMin = 0;
            xMax = 1;
            yMin = 0;
            yMax = 1;
        }
        if (!Double.isNaN(xFrom) && !Double.isNaN(xTo)) {
            xMin = xFrom;
            xMax = xTo;
        }
        boolean log = yMin > 0 && yMax / yMin > 1e3;
        double[] yTicks;
        if (log) {
            int lo = (int) Math.floor(Math.log10(yMin));
            int hi = (int) Math.ceil(Math.log10(yMax));
            yTicks = new double[hi - lo + 1];
            for (int i = 0; i < yTicks.length; i++) {
                yTicks[i] = lo + i;
            }
        } else {
            yTicks = niceTicks(yMin, yMax, 5);
        }
        double[] xTicks = niceTicks(xMin, xMax, 6);
        double ty0 = yTicks[0];
        double ty1 = yTicks[yTicks.length - 1];
        double tx0 = xTicks[0];
        double tx1 = xTicks[xTicks.length - 1];
        int left = 70;
        int top = 30;
        int plotW = 420;
        int plotH = 230;
        int legendX = left + plotW + 16;
        int legendW = 150;
        int width = legendX + legendW;
        int height = Math.max(top + plotH + 46, top + 22 * series.size() + 10);
        StringBuilder s = new StringBuilder();
        s.append("<svg class=\"chart line\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" role=\"img\" aria-label=\"").append(esc(title)).append("\">");
        s.append("<text class=\"title\" x=\"").append(left).append("\" y=\"18\">").append(esc(title))
                .append(log ? " (log scale)" : "").append("</text>");
        for (Band b : bands) {
            double bx0 = left + (Math.max(b.from(), tx0) - tx0) / (tx1 - tx0) * plotW;
            double bx1 = left + (Math.min(b.to(), tx1) - tx0) / (tx1 - tx0) * plotW;
            if (bx1 > bx0) {
                s.append("<rect class=\"band\" x=\"").append(coord(bx0)).append("\" y=\"").append(top)
                        .append("\" width=\"").append(coord(bx1 - bx0)).append("\" height=\"").append(plotH)
                        .append("\"/><text class=\"bandlabel\" x=\"").append(coord(bx0 + 4)).append("\" y=\"")
                        .append(top + 12).append("\">").append(esc(b.label())).append("</text>");
            }
        }
        for (double t : yTicks) {
            double y = top + plotH - (t - ty0) / (ty1 - ty0) * plotH;
            s.append("<line class=\"grid\" x1=\"").append(left).append("\" x2=\"").append(left + plotW)
                    .append("\" y1=\"").append(coord(y)).append("\" y2=\"").append(coord(y)).append("\"/>");
            s.append("<text class=\"tick\" x=\"").append(left - 6).append("\" y=\"").append(coord(y + 4))
                    .append("\" text-anchor=\"end\">").append(esc(log ? "1e" + (int) t : tickLabel(t, yTicks))).append("</text>");
        }
        for (double t : xTicks) {
            double x = left + (t - tx0) / (tx1 - tx0) * plotW;
            s.append("<line class=\"grid\" x1=\"").append(coord(x)).append("\" x2=\"").append(coord(x))
                    .append("\" y1=\"").append(top).append("\" y2=\"").append(top + plotH).append("\"/>");
            s.append("<text class=\"tick\" x=\"").append(coord(x)).append("\" y=\"").append(top + plotH + 16)
                    .append("\" text-anchor=\"middle\">").append(esc(tickLabel(t, xTicks))).append("</text>");
        }
        s.append("<text class=\"axislabel\" x=\"").append(left + plotW / 2).append("\" y=\"")
                .append(top + plotH + 36).append("\" text-anchor=\"middle\">").append(esc(xLabel)).append("</text>");
        s.append("<rect class=\"frame\" x=\"").append(left).append("\" y=\"").append(top).append("\" width=\"")
                .append(plotW).append("\" height=\"").append(plotH).append("\"/>");
        for (int k = 0; k < series.size(); k++) {
            Series se = decimate(series.get(k));
            StringBuilder d = new StringBuilder();
            boolean penDown = false;
            int points = 0;
            for (int i = 0; i < se.x().length; i++) {
                double v = se.y()[i];
                if (!Double.isFinite(v) || (log && v <= 0)) {
                    penDown = false;
                    continue;
                }
                double yv = log ? Math.log10(v) : v;
                double x = left + (se.x()[i] - tx0) / (tx1 - tx0) * plotW;
                double y = top + plotH - (yv - ty0) / (ty1 - ty0) * plotH;
                d.append(penDown ? 'L' : 'M').append(coord(x)).append(' ').append(coord(y));
                penDown = true;
                points++;
            }
            if (points == 1) {
                // A single logged value would be invisible as a path; a zero-length round-capped segment shows it.
                d.append("h0.01");
            }
            s.append("<path class=\"series\" data-series=\"").append(esc(se.name())).append("\" d=\"").append(d)
                    .append("\" stroke=\"").append(colour(k)).append("\"><title>").append(esc(se.name()))
                    .append("</title></path>");
            int ly = top + 10 + 22 * k;
            s.append("<line x1=\"").append(legendX).append("\" x2=\"").append(legendX + 18).append("\" y1=\"")
                    .append(ly - 4).append("\" y2=\"").append(ly - 4).append("\" stroke=\"").append(colour(k))
                    .append("\" stroke-width=\"3\"/>");
            s.append("<text class=\"legend\" x=\"").append(legendX + 24).append("\" y=\"").append(ly).append("\">")
                    .append(esc(se.name())).append("</text>");
        }
        if (empty) {
            s.append("<text class=\"empty\" x=\"").append(left + plotW / 2).append("\" y=\"").append(top + plotH / 2)
                    .append("\" text-anchor=\"middle\">no finite values</text>");
        }
        s.append("</svg>");
        return s.toString();
    }

    /**
     * Keeps the minimum and maximum of each of at most {@link #MAX_BUCKETS} equal runs of points, in order, so
     * spikes survive while a 100k-step log stays a few kilobytes of path.
     */
    static Series decimate(Series se) {
        int n = se.x().length;
        if (n <= 2 * MAX_BUCKETS) {
            return se;
        }
        List<double[]> kept = new ArrayList<>();
        for (int b = 0; b < MAX_BUCKETS; b++) {
            int from = (int) ((long) b * n / MAX_BUCKETS);
            int to = (int) ((long) (b + 1) * n / MAX_BUCKETS);
            int iMin = -1;
            int iMax = -1;
            for (int i = from; i < to; i++) {
                double v = se.y()[i];
                if (!Double.isFinite(v)) {
                    continue;
                }
                if (iMin < 0 || v < se.y()[iMin]) {
                    iMin = i;
                }
                if (iMax < 0 || v > se.y()[iMax]) {
                    iMax = i;
                }
            }
            if (iMin < 0) {
                kept.add(new double[] {se.x()[from], Double.NaN});
                continue;
            }
            int first = Math.min(iMin, iMax);
            int second = Math.max(iMin, iMax);
            kept.add(new double[] {se.x()[first], se.y()[first]});
            if (second != first) {
                kept.add(new double[] {se.x()[second], se.y()[second]});
            }
        }
        double[] x = new double[kept.size()];
        double[] y = new double[kept.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = kept.get(i)[0];
            y[i] = kept.get(i)[1];
        }
        return new Series(se.name(), x, y);
    }
}
