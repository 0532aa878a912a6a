package org.irfuse.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.irfuse.core.image.ImageFormatException;
import org.irfuse.core.pairs.FolderPairing;
import org.irfuse.core.pairs.ImagePair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationReportTest {
    @TempDir
    Path tmp;

    static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private Map<String, Path> fusedDirs(Path data, List<String> methods) {
        Map<String, Path> dirs = new LinkedHashMap<>();
        methods.forEach(m -> dirs.put(m, data.resolve("fused/" + m)));
        return dirs;
    }

    @Test
    void smallEvaluationIsOneSelfContainedFile() throws IOException {
        Path data = tmp.resolve("data");
        List<String> methods = List.of("Plain", "A&B <x>");
        ReportFixtures.writeDataset(data, 3, 64, 48, methods);
        Map<String, Path> dirs = fusedDirs(data, methods);
        EvaluationTable table = EvaluationTable.read(
                ReportFixtures.writeStatisticsCsv(tmp.resolve("r.csv"), data.resolve("ir"), dirs, "tang2022"));
        List<ImagePair> pairs = FolderPairing.pair(data.resolve("ir"), data.resolve("vi")).pairs();
        Path page = tmp.resolve("out/page.html");
        EvaluationReport.write(table, pairs, dirs, page, false);

        String html = Files.readString(page);
        // Every report's footer names the irfuse version that wrote it.
        org.junit.jupiter.api.Assertions.assertTrue(html.contains("<footer class=\"irfuse-version\">Written by irfuse "
                + org.irfuse.core.Version.get() + "</footer>"), "version footer");
        assertFalse(Files.exists(tmp.resolve("out/page_files")), "small reports embed everything");
        assertEquals(List.of("page.html"), list(tmp.resolve("out")), "no temporary files left");
        assertEquals(3, count(html, "<section class=\"pair\""));
        assertEquals(3 * 4, count(html, "<img src=\"data:image/jpeg;base64,"));
        assertEquals(3 * 4, count(html, "data-full=\"data:image/png;base64,"));
        assertTrue(html.contains(">A&amp;B &lt;x&gt;</figcaption>"));
        assertFalse(html.contains("A&B <x>"), "raw method name never reaches the page");
        assertEquals(2, count(html, "<tr data-method="));
        // Nothing is fetched from elsewhere: no http(s) URLs in src/href, no external script or stylesheet.
        assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(html).find());
        assertFalse(html.contains("<script src") || html.contains("<link rel=\"stylesheet\""));
        assertTrue(html.contains("table.sortable") && html.contains("aria-sort"), "sorting script inline");
    }

    @Test
    void hundredsOfImagesStayLightWithFullImagesBesideThePage() throws IOException {
        Path data = tmp.resolve("data");
        List<String> methods = List.of("M1", "M2", "M3");
        int pairsCount = 40;
        ReportFixtures.writeDataset(data, pairsCount, 400, 300, methods);
        Map<String, Path> dirs = fusedDirs(data, methods);
        EvaluationTable table = EvaluationTable.read(
                ReportFixtures.writeStatisticsCsv(tmp.resolve("r.csv"), data.resolve("ir"), dirs, "vifb"));
        List<ImagePair> pairs = FolderPairing.pair(data.resolve("ir"), data.resolve("vi")).pairs();
        Path page = tmp.resolve("out/many.html");
        long t0 = System.nanoTime();
        EvaluationReport.write(table, pairs, dirs, page, false);
        long ms = (System.nanoTime() - t0) / 1_000_000;

        int images = pairsCount * (2 + methods.size());
        Path files = tmp.resolve("out/many_files");
        long pageBytes = Files.size(page);
        long fullBytes = 0;
        try (Stream<Path> s = Files.list(files)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                fullBytes += Files.size(p);
            }
        }
        System.out.printf("report size: %d images, page %.1f MB, %s %.1f MB, %d ms%n", images, pageBytes / 1e6,
                files.getFileName(), fullBytes / 1e6, ms);
        assertEquals(images, list(files).size());
        // Thumbnails only: at most 48 KB per image (base64 included), far less than the full images.
        assertTrue(pageBytes < images * 48L * 1024, "page " + pageBytes + " bytes for " + images + " images");
        assertTrue(pageBytes * 3 < fullBytes, "page " + pageBytes + " vs full images " + fullBytes);
        String html = Files.readString(page);
        Matcher full = Pattern.compile("data-full=\"([^\"]+)\"").matcher(html);
        int linked = 0;
        while (full.find()) {
            assertTrue(full.group(1).startsWith("many_files/"), full.group(1));
            assertTrue(Files.isRegularFile(page.resolveSibling(full.group(1))), full.group(1));
            linked++;
        }
        assertEquals(images, linked);
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(page)), "readable by others, like any document");
        assertEquals("rwxr-xr-x", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(files)));
    }

    @Test
    void aCorruptImageLeavesNoPageAndNoFolder() throws IOException {
        Path data = tmp.resolve("data");
        List<String> methods = List.of("M1");
        ReportFixtures.writeDataset(data, 3, 64, 48, methods);
        Map<String, Path> dirs = fusedDirs(data, methods);
        EvaluationTable table = EvaluationTable.read(
                ReportFixtures.writeStatisticsCsv(tmp.resolve("r.csv"), data.resolve("ir"), dirs, "p"));
        Files.writeString(data.resolve("fused/M1/002.png"), "not a png");
        List<ImagePair> pairs = FolderPairing.pair(data.resolve("ir"), data.resolve("vi")).pairs();
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        for (long budget : new long[] {0, Long.MAX_VALUE}) {
            EvaluationReport.Options o = EvaluationReport.Options.defaults().withInlineBudget(budget);
            ImageFormatException e = assertThrows(ImageFormatException.class,
                    () -> EvaluationReport.write(table, pairs, dirs, out.resolve("p.html"), false, o));
            assertTrue(e.getMessage().contains("002.png"), e.getMessage());
            assertEquals(List.of(), list(out), "nothing left behind (budget " + budget + ")");
        }
    }

    @Test
    void refusesToOverwriteUnlessAskedAndThenReplacesTheFilesFolder() throws IOException {
        Path data = tmp.resolve("data");
        List<String> methods = List.of("M1");
        ReportFixtures.writeDataset(data, 2, 64, 48, methods);
        Map<String, Path> dirs = fusedDirs(data, methods);
        EvaluationTable table = EvaluationTable.read(
                ReportFixtures.writeStatisticsCsv(tmp.resolve("r.csv"), data.resolve("ir"), dirs, "p"));
        List<ImagePair> pairs = FolderPairing.pair(data.resolve("ir"), data.resolve("vi")).pairs();
        Path page = tmp.resolve("out/p.html");
        EvaluationReport.Options toFiles = EvaluationReport.Options.defaults().withInlineBudget(0);
        EvaluationReport.write(table, pairs, dirs, page, false, toFiles);
        String first = Files.readString(page);
        Files.writeString(page.resolveSibling("p_files/stale.png"), "old");
        assertThrows(FileAlreadyExistsException.class,
                () -> EvaluationReport.write(table, pairs, dirs, page, false, toFiles));
        assertEquals(first, Files.readString(page));
        EvaluationReport.write(table, pairs, dirs, page, true, toFiles.withTitle("second"));
        assertTrue(Files.readString(page).contains("<title>second</title>"));
        assertFalse(Files.exists(page.resolveSibling("p_files/stale.png")), "files folder replaced as a whole");
        assertEquals(2 * 3, list(page.resolveSibling("p_files")).size());
    }

    static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
