package org.irfuse.cli.report;

import static org.irfuse.cli.report.Html.esc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.irfuse.core.Version;

/** The frame of every report page: one file with its CSS and script inline (no network, no CDN). */
final class HtmlPage {
    private static final String CSS = resource("report.css");
    private static final String JS = resource("report.js");

    private HtmlPage() {
    }

    static void open(Writer out, String title) throws IOException {
        out.write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<meta name=\"generator\" content=\"irfuse report\">\n<title>");
        out.write(esc(title));
        out.write("</title>\n<style>\n");
        out.write(CSS);
        out.write("</style>\n</head>\n<body>\n<h1>");
        out.write(esc(title));
        out.write("</h1>\n");
    }

    static void close(Writer out) throws IOException {
        // Every report names the build that wrote it, so numbers can be traced to the code that computed them.
        out.write("\n<footer class=\"irfuse-version\">Written by irfuse " + esc(Version.get()) + "</footer>\n");
        out.write("\n<div id=\"lightbox\"><img alt=\"\"></div>\n<script>\n");
        // "</script" inside the script would end it early; the resource has none, this keeps it so.
        out.write(JS.replace("</script", "<\\/script"));
        out.write("</script>\n</body>\n</html>\n");
    }

    private static String resource(String name) {
        try (InputStream in = HtmlPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " (broken build)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
