package org.irfuse.cli.report;

import java.util.Locale;

/** Escaping and number formatting for the generated HTML and SVG (both are XML-ish text). */
final class Html {
    private Html() {
    }

    /** Escapes text for element content and for quoted attribute values alike. */
    static String esc(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    // Control characters other than tab/newline are not allowed in HTML text; drop them.
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** A metric value with 4 significant digits, the precision papers print; "—" for a missing value. */
    static String num(double v) {
        if (Double.isNaN(v)) {
            return "—";
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e5 || a < 1e-3) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        int digits = Math.max(0, 3 - (int) Math.floor(Math.log10(a)));
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    /** A coordinate for SVG: two decimals, no locale surprises. */
    static String coord(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** Full precision for data attributes that scripts sort by. */
    static String raw(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }
}
