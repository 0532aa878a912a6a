package org.irfuse.cli.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.image.ImageWriter;

/**
 * Puts images into a report: a small JPEG thumbnail always inline (the page works on its own), and the full
 * image either inline too (small reports) or as a PNG in the page's {@code _files} folder (large ones), so a page
 * of hundreds of images stays a few megabytes.
 */
final class ReportImages {
    /** Longest side of a thumbnail: enough to judge a fused image at a glance in a grid column. */
    static final int THUMB_MAX_SIDE = 320;
    static final float THUMB_QUALITY = 0.85f;

    /** An embedded image: thumbnail and full-size URLs (data URI or relative path) and the full size. */
    record Embedded(String thumbUrl, String fullUrl, int width, int height) {
    }

    private final PageOutput output;
    private final boolean inlineFull;
    private int counter;

    /** {@code inlineFull}: full images as data URIs; otherwise written into the page's files folder. */
    ReportImages(PageOutput output, boolean inlineFull) {
        this.output = output;
        this.inlineFull = inlineFull;
    }

    /** Decides where full images go: inline while their source files total at most {@code inlineBudgetBytes}. */
    static boolean fitsInline(Iterable<Path> sources, long inlineBudgetBytes) throws IOException {
        long total = 0;
        for (Path p : sources) {
            total += Files.size(p);
            if (total > inlineBudgetBytes) {
                return false;
            }
        }
        return true;
    }

    boolean inlineFull() {
        return inlineFull;
    }

    Embedded embed(Path source) throws IOException {
        return embed(ImageReader.read(source), source.getFileName().toString());
    }

    /** Embeds an image made in memory (e.g. with boxes drawn); {@code name} names its file when not inline. */
    Embedded embed(Image image, String name) throws IOException {
        Image img = displayable(image);
        String thumb = dataUri("image/jpeg",
                ImageWriter.encode(downscale(img, THUMB_MAX_SIDE), "jpeg", THUMB_QUALITY));
        byte[] full = ImageWriter.encode(img, "png", 1f);
        String fullUrl;
        if (inlineFull) {
            fullUrl = dataUri("image/png", full);
        } else {
            String file = String.format("%04d-%s.png", ++counter, safeName(name));
            Files.write(output.staging().resolve(file), full);
            fullUrl = urlSegment(output.filesDirName()) + "/" + urlSegment(file);
        }
        return new Embedded(thumb, fullUrl, img.width(), img.height());
    }

    /** Gray stored as RGB (TNO, most infrared) becomes one channel: a third of the bytes, same look. */
    static Image displayable(Image img) {
        if (img.isGray()) {
            return img;
        }
        int n = img.pixels();
        float[] d = img.data();
        for (int i = 0; i < n; i++) {
            if (d[i] != d[n + i] || d[i] != d[2 * n + i]) {
                return img;
            }
        }
        return Image.gray(img.width(), img.height(), img.plane(0));
    }

    /** Area-average downscale so that the longest side is at most {@code maxSide}; smaller images are kept. */
    static Image downscale(Image img, int maxSide) {
        int w = img.width();
        int h = img.height();
        int longest = Math.max(w, h);
        if (longest <= maxSide) {
            return img;
        }
        int ow = Math.max(1, (int) Math.round(w * (double) maxSide / longest));
        int oh = Math.max(1, (int) Math.round(h * (double) maxSide / longest));
        int c = img.channels();
        float[] src = img.data();
        float[] out = new float[c * ow * oh];
        float[] rows = new float[ow * h];
        for (int ch = 0; ch < c; ch++) {
            int off = ch * w * h;
            // Horizontal pass: each output column averages its source columns.
            for (int ox = 0; ox < ow; ox++) {
                int x0 = (int) ((long) ox * w / ow);
                int x1 = Math.max(x0 + 1, (int) ((long) (ox + 1) * w / ow));
                for (int y = 0; y < h; y++) {
                    float sum = 0;
                    for (int x = x0; x < x1; x++) {
                        sum += src[off + y * w + x];
                    }
                    rows[y * ow + ox] = sum / (x1 - x0);
                }
            }
            // Vertical pass.
            int outOff = ch * ow * oh;
            for (int oy = 0; oy < oh; oy++) {
                int y0 = (int) ((long) oy * h / oh);
                int y1 = Math.max(y0 + 1, (int) ((long) (oy + 1) * h / oh));
                for (int ox = 0; ox < ow; ox++) {
                    float sum = 0;
                    for (int y = y0; y < y1; y++) {
                        sum += rows[y * ow + ox];
                    }
                    out[outOff + oy * ow + ox] = sum / (y1 - y0);
                }
            }
        }
        return new Image(ow, oh, c, out);
    }

    static String dataUri(String mime, byte[] bytes) {
        return "data:" + mime + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }

    /** A file name reduced to characters that need no escaping anywhere. */
    static String safeName(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.length() > 60 ? s.substring(0, 60) : s;
    }

    /** Percent-encodes one path segment of a relative URL (RFC 3986 unreserved characters stay). */
    static String urlSegment(String segment) {
        StringBuilder sb = new StringBuilder();
        for (byte b : segment.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return sb.toString();
    }
}
