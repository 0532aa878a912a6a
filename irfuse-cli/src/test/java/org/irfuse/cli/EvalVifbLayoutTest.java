package org.irfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.irfuse.core.io.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eval --fused-flat}: VIFB's {@code <image>_<method>.<ext>} folder scores as per-method folders do. */
class EvalVifbLayoutTest {
    private static final List<String> IMAGES = List.of("carLight", "carShadow", "carWhite");
    /** Two of the methods have underscores in their names, as VIFB's do. */
    private static final List<String> METHODS = List.of("ADF", "HMSD_GF", "NSCT_SR");

    @TempDir
    Path tmp;

    @Test
    void flatVifbFolderEqualsPerMethodFolders() throws Exception {
        Optional<Path> vifb = SharedData.resolve("vifb");
        assumeTrue(vifb.isPresent(), SharedData.missingMessage("vifb"));
        for (String image : IMAGES) {
            for (String d : List.of("ir", "vi")) {
                Files.createDirectories(tmp.resolve(d));
                Files.copy(vifb.get().resolve(d).resolve(image + ".jpg"), tmp.resolve(d).resolve(image + ".jpg"));
            }
            for (String m : METHODS) {
                Path src = vifb.get().resolve("fused").resolve(image + "_" + m + ".jpg");
                Files.createDirectories(tmp.resolve("flat"));
                Files.createDirectories(tmp.resolve("per").resolve(m));
                Files.copy(src, tmp.resolve("flat").resolve(image + "_" + m + ".jpg"));
                Files.copy(src, tmp.resolve("per").resolve(m).resolve(image + ".jpg"));
            }
        }
        String[] common = {"eval", "--ir-dir", tmp.resolve("ir").toString(), "--vis-dir", tmp.resolve("vi").toString(),
            "--profile", "vifb", "--metrics", "EN,SD,SF,MI,Qabf,SSIM", "--threads", "2"};
        CliRun flat = CliRun.of(concat(common, "--fused-flat", tmp.resolve("flat").toString(), "--out",
                tmp.resolve("flat.csv").toString()));
        assertEquals(0, flat.exitCode(), flat.err());
        String[] per = concat(common, "--out", tmp.resolve("per.csv").toString());
        for (String m : METHODS) {
            per = concat(per, "--fused-dir", m + "=" + tmp.resolve("per").resolve(m));
        }
        CliRun folders = CliRun.of(per);
        assertEquals(0, folders.exitCode(), folders.err());
        String csv = Files.readString(tmp.resolve("flat.csv"));
        assertEquals(Files.readString(tmp.resolve("per.csv")), csv);
        assertEquals(Files.readString(tmp.resolve("per.json")), Files.readString(tmp.resolve("flat.json")));
        assertEquals(1 + IMAGES.size() * METHODS.size() * 6, csv.lines().count(), "a row per method, image, metric");
        assertTrue(csv.contains("NSCT_SR,carShadow,"), csv);

        Files.writeString(tmp.resolve("flat").resolve("street_ADF.jpg"), "x");
        CliRun stray = CliRun.of(concat(common, "--fused-flat", tmp.resolve("flat").toString(), "--out",
                tmp.resolve("stray.csv").toString()));
        assertEquals(2, stray.exitCode());
        assertTrue(stray.err().contains("1 file(s) are not named <image>_<method> after an image of the source "
                + "folders (e.g. street_ADF.jpg)"), stray.err());
        assertTrue(!Files.exists(tmp.resolve("stray.csv")));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
