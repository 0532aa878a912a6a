package org.irfuse.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.irfuse.core.align.Aligner;
import org.irfuse.core.align.Transform;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageFormatException;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.image.ImageWriter;
import org.irfuse.core.image.Resize;
import org.irfuse.core.io.Pipeline;
import org.irfuse.core.pairs.FolderPairing;
import org.irfuse.core.pairs.ImagePair;
import org.irfuse.nn.fusion.Fuser;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.Precision;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code irfuse fuse}: one pair, or two folders of pairs matched by name, to fused images. */
@Command(name = "fuse", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fuse infrared/visible pairs. The visible colour is kept (YCbCr); gray visible gives gray.",
            "  irfuse fuse --ir a.png --vis b.png -o fused.png",
            "  irfuse fuse --ir-dir IR --vis-dir VIS --out-dir OUT"})
public final class FuseCommand implements Callable<Integer> {
    /** Pairs decoded ahead of, and results waiting to be encoded behind, the network. */
    static final int PIPELINE_DEPTH = 2;

    @picocli.CommandLine.Mixin
    ImageLimits imageLimits;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    static final class Mode {
        @ArgGroup(exclusive = false)
        Single single;
        @ArgGroup(exclusive = false)
        Folders folders;
    }

    static final class Single {
        @Option(names = "--ir", required = true, paramLabel = "FILE", description = "infrared image")
        Path ir;
        @Option(names = "--vis", required = true, paramLabel = "FILE", description = "visible image")
        Path vis;
        @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE",
                description = "fused image (.png or .jpg)")
        Path out;
    }

    static final class Folders {
        @Option(names = "--ir-dir", required = true, paramLabel = "DIR", description = SharedOptions.IR_DIR) Path irDir;
        @Option(names = "--vis-dir", required = true, paramLabel = "DIR",
                description = SharedOptions.VIS_DIR) Path visDir;
        @Option(names = "--out-dir", required = true, paramLabel = "DIR",
                description = "folder mode: where the fused images go, named like the pairs") Path outDir;
        @Option(names = "--image-format", defaultValue = "png", paramLabel = "png|jpg",
                description = "format of the fused images in folder mode: png or jpg")
        String format;
    }

    @picocli.CommandLine.Mixin
    SharedOptions.Model model;

    @picocli.CommandLine.Mixin
    SharedOptions.Overwrite overwriteOption;

    @Option(names = "--skip-existing", description = "folder mode: leave pairs whose output exists untouched")
    boolean skipExisting;

    @Option(names = "--resize-ir", description = "resize the infrared image to the visible image's size "
            + "(bilinear) instead of refusing pairs whose sizes differ")
    boolean resizeIr;

    @Option(names = "--align", paramLabel = "MODEL", defaultValue = "none", description = "align the infrared "
            + "image to the visible one first: none, translation, affine or deformable; an untrusted deformable field "
            + "falls back to the affine map, an untrusted alignment to none (a warning names the files)")
    String align;

    @picocli.CommandLine.Mixin
    SharedOptions.Threads threadsOption;

    @picocli.CommandLine.Mixin
    SharedOptions.Device deviceOption;

    @Option(names = "--precision", defaultValue = "auto", paramLabel = "P",
            description = "fp32, bf16 or auto (bf16 where the CPU has native bf16, about 3x faster; fused images "
                    + "within about 50 dB PSNR of fp32)")
    String precision;

    @Option(names = "--tile-above", defaultValue = "4", paramLabel = "MP",
            description = "fuse images above this many megapixels in overlapping tiles (0: always tile)")
    double tileAboveMegapixels;

    @Option(names = "--tile", paramLabel = "PIXELS", defaultValue = "512", description = "side of a tile in pixels")
    int tile;

    @Option(names = "--json", description = "print one JSON summary on stdout (pairs, done, failed, seconds, "
            + "pairsPerSecond, outputs, failures); status lines stay on stderr")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (skipExisting && overwriteOption.overwrite) {
            throw new UserException("--skip-existing and --overwrite contradict each other; pass one of them");
        }
        if (threadsOption.threads != null) {
            Compute.configureThreads(threadsOption.threads);
        }
        if (mode.single != null) {
            return fuseOne();
        }
        return fuseFolders();
    }

    private int fuseOne() throws Exception {
        Single s = mode.single;
        requireWritable(s.out);
        UserException.refuseInput(s.out, s.ir, s.vis);
        UserException.refuseExisting(s.out, overwriteOption.overwrite);
        Image ir = ImageReader.readInfrared(s.ir);
        Image vis = ImageReader.read(s.vis);
        ir = prepareInfrared(ir, vis, s.ir, s.vis, msg -> System.err.println("irfuse: warning: " + msg));
        String small = smallWarning(vis, s.vis);
        if (small != null) {
            System.err.println("irfuse: warning: " + small);
        }
        long t0 = System.nanoTime();
        try (Compute compute = Compute.open(deviceOption.device); Fuser fuser = fuser(compute)) {
            if (fuser.tiles(vis.width(), vis.height())) {
                fuser.onTileRow((done, rows) -> Progress.status("irfuse: %s: tile row %d of %d", s.out, done,
                        rows));
            }
            ImageWriter.write(fuser.fuse(ir, vis), s.out, overwriteOption.overwrite);
        }
        Progress.status("fused %s", s.out);
        printSummary(1, List.of(s.out.toString()), List.of(), (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    private int fuseFolders() throws Exception {
        Folders f = mode.folders;
        String ext = f.format.toLowerCase(Locale.ROOT);
        if (!ext.equals("png") && !ext.equals("jpg")) {
            throw new UserException("--image-format must be png or jpg, got '" + f.format + "'");
        }
        UserException.refuseInput(f.outDir, f.irDir, f.visDir);
        UserException.refuseUnwritable(f.outDir);
        FolderPairing.Result pairing = FolderPairing.pair(f.irDir, f.visDir);
        for (Path p : pairing.onlyInFirst()) {
            System.err.println("irfuse: no visible counterpart for " + p + " (skipped)");
        }
        for (Path p : pairing.onlyInSecond()) {
            System.err.println("irfuse: no infrared counterpart for " + p + " (skipped)");
        }
        if (pairing.pairs().isEmpty()) {
            throw new UserException("no pairs: no file name appears in both " + f.irDir + " and " + f.visDir);
        }
        List<ImagePair> todo = new ArrayList<>();
        List<Path> existing = new ArrayList<>();
        for (ImagePair p : pairing.pairs()) {
            Path out = f.outDir.resolve(p.name() + "." + ext);
            UserException.refuseInput(out, p.infrared(), p.visible());
            if (Files.exists(out) && !overwriteOption.overwrite) {
                if (!skipExisting) {
                    existing.add(out);
                }
                continue;
            }
            todo.add(p);
        }
        if (!existing.isEmpty()) {
            throw new UserException(existing.size() + " output file(s) already exist (first: " + existing.get(0)
                    + "); pass --overwrite to replace them or --skip-existing to leave them");
        }
        Files.createDirectories(f.outDir);
        List<Pipeline.Failure<ImagePair>> failures;
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        try (Compute compute = Compute.open(deviceOption.device); Fuser fuser = fuser(compute);
                Progress bar = Progress.start("fuse", todo.size(), "pair")) {
            // Decoding the next pairs and encoding the last results overlap with the network (PIPELINE_DEPTH each).
            failures = Pipeline.run(todo, PIPELINE_DEPTH,
                    (p, none) -> {
                        Image vis = ImageReader.read(p.visible());
                        Image ir = prepareInfrared(ImageReader.readInfrared(p.infrared()), vis, p.infrared(),
                                p.visible(), warnings::add);
                        String small = smallWarning(vis, p.visible());
                        if (small != null) {
                            warnings.add(small);
                        }
                        return new Image[] {ir, vis};
                    },
                    (p, pair) -> fuser.fuse(pair[0], pair[1]),
                    (p, fused) -> {
                        ImageWriter.write(fused, f.outDir.resolve(p.name() + "." + ext), overwriteOption.overwrite);
                        return null;
                    },
                    p -> {
                        bar.message(p.name());
                        bar.step();
                    });
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<String> outputs = new ArrayList<>();
        java.util.Set<ImagePair> failed = new java.util.HashSet<>();
        failures.forEach(x -> failed.add(x.item()));
        for (ImagePair p : todo) {
            if (!failed.contains(p)) {
                outputs.add(f.outDir.resolve(p.name() + "." + ext).toString());
            }
        }
        for (String msg : warnings) {
            System.err.println("irfuse: warning: " + msg);
        }
        for (Pipeline.Failure<ImagePair> failure : failures) {
            Exception e = failure.error();
            if (!(e instanceof IOException || e instanceof UserException)) {
                throw e;
            }
            System.err.println("irfuse: error: pair " + failure.item().name() + ": " + e.getMessage());
        }
        int fused = todo.size() - failures.size();
        // Exit 1: some pairs failed (each named above), the others were written.
        Progress.status("fused %d of %d pairs into %s in %.1f s (%.2f pairs/s)%s", fused,
                todo.size(), f.outDir, seconds, fused / seconds,
                pairing.complete() ? "" : "; unmatched files listed above");
        List<String[]> failedPairs = new ArrayList<>();
        for (Pipeline.Failure<ImagePair> failure : failures) {
            failedPairs.add(new String[] {failure.item().name(), failure.error().getMessage()});
        }
        printSummary(todo.size(), outputs, failedPairs, seconds);
        return failures.isEmpty() ? 0 : Errors.PARTIAL_FAILURE;
    }

    /**
     * {@code --json}: the run's one machine-readable summary on stdout (status lines stay on stderr), written at the
     * end so a pipe reads exactly one object.
     */
    private void printSummary(int pairs, List<String> outputs, List<String[]> failed, double seconds) {
        if (!json) {
            return;
        }
        com.google.gson.JsonObject o = new com.google.gson.JsonObject();
        o.addProperty("irfuseVersion", org.irfuse.core.Version.get());
        o.addProperty("pairs", pairs);
        o.addProperty("done", outputs.size());
        o.addProperty("failed", failed.size());
        o.addProperty("seconds", Math.round(seconds * 1000) / 1000.0);
        o.addProperty("pairsPerSecond", seconds > 0 ? Math.round(outputs.size() / seconds * 1000) / 1000.0 : 0);
        com.google.gson.JsonArray outs = new com.google.gson.JsonArray();
        outputs.forEach(outs::add);
        o.add("outputs", outs);
        com.google.gson.JsonArray fails = new com.google.gson.JsonArray();
        for (String[] x : failed) {
            com.google.gson.JsonObject e = new com.google.gson.JsonObject();
            e.addProperty("pair", x[0]);
            e.addProperty("error", x[1]);
            fails.add(e);
        }
        o.add("failures", fails);
        System.out.println(new com.google.gson.GsonBuilder().disableHtmlEscaping().create().toJson(o));
        System.out.flush();
    }

    private Fuser fuser(Compute compute) throws IOException {
        Precision p = Precision.resolve(precision, compute.device());
        FusionModel m = model.load(compute);
        long tileAbove = (long) (tileAboveMegapixels * 1_000_000L);
        return new Fuser(m.network(), compute, p, tileAbove, tile);
    }

    /**
     * The infrared image on the visible grid: aligned (--align), or resized / size-checked — also when the
     * alignment is not trusted (a warning naming the files goes to {@code warn}).
     */
    private Image prepareInfrared(Image ir, Image vis, Path irFile, Path visFile,
            java.util.function.Consumer<String> warn) throws IOException {
        Transform.Model m = Transform.Model.parse(align);
        if (m != Transform.Model.NONE) {
            java.util.Optional<Image> aligned = Aligner.builder().model(m).threads(threadsOption.threads == null ? 0 : threadsOption.threads)
                    .build().alignForFusion(ir, vis, irFile, visFile, warn);
            if (aligned.isPresent()) {
                return aligned.get();
            }
        }
        return matchSize(ir, vis, irFile, visFile);
    }

    private Image matchSize(Image ir, Image vis, Path irFile, Path visFile) throws ImageFormatException {
        if (ir.sameSize(vis)) {
            return ir;
        }
        if (resizeIr) {
            return Resize.bilinear(ir, vis.width(), vis.height());
        }
        throw new ImageFormatException(irFile, "size " + ir.sizeString() + " differs from " + visFile + " ("
                + vis.sizeString() + "); pass --resize-ir to resize the infrared image to the visible one");
    }

    /** A warning for images smaller than the network's receptive field (fused anyway), else null. */
    static String smallWarning(Image img, Path file) {
        int rf = org.irfuse.nn.modules.FusionNetwork.RECEPTIVE_FIELD;
        if (img.width() >= rf && img.height() >= rf) {
            return null;
        }
        return file + ": " + img.sizeString() + " is smaller than the network's " + rf + "x" + rf + " receptive "
                + "field; the result is dominated by the border padding (fused anyway)";
    }

    private static void requireWritable(Path out) {
        if (!ImageWriter.isWritableFormat(out)) {
            throw new UserException(out + ": output must end in .png or .jpg");
        }
    }
}
