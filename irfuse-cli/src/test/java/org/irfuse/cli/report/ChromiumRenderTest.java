package org.irfuse.cli.report;

import org.irfuse.cli.CliRun;
import static org.irfuse.cli.report.EvaluationReportTest.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders report pages in headless Chromium (the browser people open them in): the DOM after the page's script
 * ran must hold the table rows, images and an opened zoom, and the screenshot must not be blank.
 */
class ChromiumRenderTest {
    static final long TIMEOUT_SECONDS = 60;

    @TempDir
    Path tmp;

    /** The Chromium binary, or the test is skipped with a message saying how to get one. */
    static Path chromium() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            Path p = Path.of(candidate);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        Assumptions.abort("skipped: no Chromium binary (/usr/bin/chromium); install the Debian package "
                + "'chromium' (apt-get install chromium) to render reports in tests; .ci/run does this");
        return null;
    }

    /** Runs Chromium headless with a fresh profile; returns stdout. Fails on timeout or non-zero exit. */
    String chromium(String mode, String url) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(tmp, "chromium-profile");
        Path stdout = tmp.resolve("chromium-" + System.nanoTime() + ".out");
        Path stderr = tmp.resolve("chromium-" + System.nanoTime() + ".err");
        List<String> cmd = new ArrayList<>(List.of(chromium().toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--window-size=1400,1000",
                // Lets the page's script and image decoding finish before the DOM dump or screenshot.
                "--virtual-time-budget=5000", "--hide-scrollbars"));
        cmd.add(mode);
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + cmd);
        }
        assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(stderr));
        return Files.readString(stdout);
    }

    /** Standard deviation of the screenshot's luminance: a blank (all-white) page gives about 0. */
    static double luminanceStd(BufferedImage img) {
        double sum = 0;
        double sq = 0;
        long n = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y);
                double l = 0.299 * ((rgb >> 16) & 255) + 0.587 * ((rgb >> 8) & 255) + 0.114 * (rgb & 255);
                sum += l;
                sq += l * l;
                n++;
            }
        }
        double mean = sum / n;
        return Math.sqrt(Math.max(0, sq / n - mean * mean));
    }

    void assertScreenshotNotBlank(String url, Path png) throws IOException, InterruptedException {
        chromium("--screenshot=" + png, url);
        BufferedImage shot = ImageIO.read(png.toFile());
        assertTrue(shot != null, "no screenshot written at " + png);
        assertEquals(1400, shot.getWidth());
        double std = luminanceStd(shot);
        System.out.printf("screenshot %s: %dx%d, luminance std %.1f%n", png.getFileName(), shot.getWidth(),
                shot.getHeight(), std);
        assertTrue(std > 15, "screenshot looks blank (luminance std " + std + ")");
    }

    @Test
    void tnoEvaluationPageRendersWithZoomOpen() throws Exception {
        chromium();
        Path page = tmp.resolve("tno.html");
        CliRun run = CliRun.of(ReportCommandTest.tnoEvalArgs(tmp, page));
        assertEquals(0, run.exitCode(), run.err());
        String url = page.toUri() + "#zoom=05@0.4000,0.3000,0.2000,0.2000";

        String dom = chromium("--dump-dom", url);
        assertEquals(3, count(dom, "<tr data-method="), "metrics table rows");
        Matcher imgs = Pattern.compile("<img src=\"data:image/jpeg;base64,").matcher(dom);
        int n = 0;
        while (imgs.find()) {
            n++;
        }
        assertEquals(17 * 5, n, "grid images in the rendered DOM");
        // The address opened the zoom of pair 05: its zoom row is visible with the full-size images behind it.
        Matcher pair = Pattern.compile("<section class=\"pair\" data-pair=\"05\">(.*?)</section>", Pattern.DOTALL)
                .matcher(dom);
        assertTrue(pair.find(), "pair 05 in the DOM");
        String section = pair.group(1);
        assertTrue(section.contains("<div class=\"zoomrow\" style=\"--cols:5\">"), "zoom row shown: " + section
                .substring(section.indexOf("zoomrow") - 12, section.indexOf("zoomrow") + 80));
        assertEquals(5, count(section, "background-image: url(&quot;tno_files/"), "full images behind each box");
        assertTrue(section.contains("region x "), "zoom caption filled in");

        // Screenshot of the page as opened (top). Not of the zoom link: headless --screenshot paints only the
        // scrolled-to viewport into a capture taken from the top, so a scrolled page comes out mostly blank.
        Path top = tmp.resolve("tno-top.png");
        assertScreenshotNotBlank(page.toUri().toString(), top);
        keepForInspection(top);
    }

    @Test
    void trainingPageRenders() throws Exception {
        chromium();
        Path run = ReportFixtures.writeRun(tmp.resolve("run"), 300);
        Path page = tmp.resolve("train.html");
        TrainingReport.write(run, page, false);
        String dom = chromium("--dump-dom", page.toUri().toString());
        assertEquals(6, count(dom, "<svg class=\"chart line\""));
        assertEquals(6, count(dom, "<img class=\"lightbox\""));
        Path shot = tmp.resolve("train.png");
        assertScreenshotNotBlank(page.toUri().toString(), shot);
        keepForInspection(shot);
    }

    /** Copies screenshots to target/report-screenshots so a person can look at them after the run. */
    static void keepForInspection(Path... shots) throws IOException {
        Path dir = Path.of("target", "report-screenshots");
        Files.createDirectories(dir);
        for (Path s : shots) {
            Files.copy(s, dir.resolve(s.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
