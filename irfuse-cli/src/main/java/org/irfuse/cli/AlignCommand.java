package org.irfuse.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.irfuse.core.align.Aligner;
import org.irfuse.core.align.Alignment;
import org.irfuse.core.align.Transform;
import org.irfuse.core.align.UntrustedAlignmentException;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.image.ImageWriter;
import org.irfuse.core.io.AtomicFiles;
import org.irfuse.core.pairs.FolderPairing;
import org.irfuse.core.pairs.ImagePair;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code irfuse align}: bring infrared images onto their visible counterparts (docs/alignment.md). */
@Command(name = "align", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Align infrared images to visible ones (edge-based, coarse to fine). Writes the aligned "
                + "infrared image, a mask of where it holds data (255) and the transform as JSON; refuses pairs "
                + "whose alignment cannot be trusted.",
            "  irfuse align --ir a.png --vis b.png -o aligned.png   (also aligned.mask.png, aligned.transform.json)",
            "  irfuse align --ir-dir IR --vis-dir VIS --out-dir OUT (OUT/NAME.png, OUT/masks/, OUT/transforms/)"})
public final class AlignCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    static final class Mode {
        @ArgGroup(exclusive = false)
        Single single;
        @ArgGroup(exclusive = false)
        Folders folders;
    }

    static final class Single {
        @Option(names = "--ir", required = true, paramLabel = "FILE", description = "infrared image") Path ir;
        @Option(names = "--vis", required = true, paramLabel = "FILE", description = "visible image") Path vis;
        @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE",
                description = "aligned infrared image (.png or .jpg)") Path out;
        @Option(names = "--mask", paramLabel = "FILE", description = "data mask (default: OUT with .mask.png)")
        Path mask;
        @Option(names = "--transform", paramLabel = "FILE",
                description = "transform JSON (default: OUT with .transform.json)") Path transform;
    }

    static final class Folders {
        @Option(names = "--ir-dir", required = true, paramLabel = "DIR", description = SharedOptions.IR_DIR)
        Path irDir;
        @Option(names = "--vis-dir", required = true, paramLabel = "DIR", description = SharedOptions.VIS_DIR)
        Path visDir;
        @Option(names = "--out-dir", required = true, paramLabel = "DIR",
                description = "folder for the aligned infrared images, their masks and transforms")
        Path outDir;
    }

    @Option(names = "--align", paramLabel = "MODEL", defaultValue = "affine",
            description = "transform model: translation, affine or deformable (affine plus a smooth B-spline field)")
    String model;

    @Option(names = "--min-confidence", paramLabel = "C",
            description = "refuse alignments below this confidence")
    double minConfidence = org.irfuse.core.align.AlignmentQuality.DEFAULT_MIN_CONFIDENCE;

    @picocli.CommandLine.Mixin
    SharedOptions.Threads threadsOption;

    @picocli.CommandLine.Mixin
    SharedOptions.Overwrite overwriteOption;

    @Override
    public Integer call() throws Exception {
        Transform.Model m = Transform.Model.parse(model);
        if (m == Transform.Model.NONE) {
            throw new UserException("--align none aligns nothing; use translation, affine or deformable");
        }
        Aligner aligner = Aligner.builder().model(m).threads(threadsOption.count()).minConfidence(minConfidence).build();
        return mode.single != null ? alignOne(aligner) : alignFolders(aligner);
    }

    private int alignOne(Aligner aligner) throws IOException {
        Single s = mode.single;
        Path[] outs = {s.out, s.mask != null ? s.mask : sibling(s.out, ".mask.png"),
            s.transform != null ? s.transform : sibling(s.out, ".transform.json")};
        checkOutputs(outs);
        Alignment a = align(aligner, s.ir, s.vis);
        write(a, outs);
        System.err.println("aligned " + s.ir + ": " + a.quality().summary());
        System.err.println("wrote " + outs[0] + ", " + outs[1] + ", " + outs[2]);
        return 0;
    }

    private int alignFolders(Aligner aligner) throws IOException {
        Folders f = mode.folders;
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
        for (ImagePair p : pairing.pairs()) {
            for (Path out : outputs(f.outDir, p.name())) {
                UserException.refuseExisting(out, overwriteOption.overwrite);
            }
        }
        List<String> failures = new ArrayList<>();
        try (Progress bar = Progress.start("align", pairing.pairs().size(), "pair")) {
            for (ImagePair p : pairing.pairs()) {
                bar.message(p.name());
                try {
                    write(align(aligner, p.infrared(), p.visible()), outputs(f.outDir, p.name()));
                } catch (IOException | UserException e) {
                    failures.add(e.getMessage());
                }
                bar.step();
            }
        }
        for (String msg : failures) {
            System.err.println("irfuse: error: " + msg);
        }
        System.err.printf("aligned %d of %d pairs into %s%n", pairing.pairs().size() - failures.size(),
                pairing.pairs().size(), f.outDir);
        return failures.isEmpty() ? 0 : Errors.USER_ERROR;
    }

    private static Alignment align(Aligner aligner, Path irFile, Path visFile) throws IOException {
        Image ir = ImageReader.readInfrared(irFile);
        Image vis = ImageReader.read(visFile);
        Alignment a = aligner.align(ir, vis);
        if (!a.quality().trusted()) {
            throw new UntrustedAlignmentException(irFile, visFile, a.quality());
        }
        if (!a.quality().fallback().isEmpty()) {
            System.err.println("irfuse: warning: " + irFile + ": " + a.quality().fallback());
        }
        return a;
    }

    private void write(Alignment a, Path[] outs) throws IOException {
        ImageWriter.write(a.aligned(), outs[0], overwriteOption.overwrite);
        ImageWriter.write(a.mask(), outs[1], overwriteOption.overwrite);
        AtomicFiles.writeString(outs[2], overwriteOption.overwrite, a.toJson());
    }

    private void checkOutputs(Path[] outs) {
        if (!ImageWriter.isWritableFormat(outs[0]) || !ImageWriter.isWritableFormat(outs[1])) {
            throw new UserException((ImageWriter.isWritableFormat(outs[0]) ? outs[1] : outs[0])
                    + ": output must end in .png or .jpg");
        }
        for (Path p : outs) {
            UserException.refuseExisting(p, overwriteOption.overwrite);
        }
    }

    static Path[] outputs(Path outDir, String name) {
        return new Path[] {outDir.resolve(name + ".png"), outDir.resolve("masks").resolve(name + ".png"),
            outDir.resolve("transforms").resolve(name + ".json")};
    }

    /** {@code dir/stem + suffix} for {@code dir/stem.ext}. */
    static Path sibling(Path out, String suffix) {
        Path abs = out.toAbsolutePath();
        return abs.resolveSibling(FolderPairing.stem(abs) + suffix);
    }
}
