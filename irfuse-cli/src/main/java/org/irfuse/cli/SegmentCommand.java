package org.irfuse.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.image.ImageWriter;
import org.irfuse.core.pairs.FolderPairing;
import org.irfuse.core.pairs.ImagePair;
import org.irfuse.core.segmentation.ClassPalette;
import org.irfuse.core.segmentation.LabelMap;
import org.irfuse.nn.pretrained.MfNet;
import org.irfuse.nn.pretrained.MfNetSegmenter;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code irfuse segment}: the pretrained MFNet on (visible or fused colour image, infrared image) pairs, writing
 * each class map as an indexed PNG (samples = class indices 0..8, what {@code eval seg} and the MSRS labels use;
 * MFNet palette attached) and as an RGB PNG in the MFNet palette (as published predictions).
 */
@Command(name = "segment", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Segment (colour, infrared) pairs with the pretrained MFNet (9 MSRS/MFNet classes).",
            "Writes OUT/labels/<id>.png (class indices, palette attached) and OUT/colour/<id>.png (MFNet colours).",
            "  irfuse segment --segmenter-weights mfnet.npz --ir-dir msrs/ir --rgb-dir msrs/vi -o seg/",
            "  irfuse segment --segmenter-weights mfnet.npz --ir-dir msrs/ir --rgb-dir fused/ -o seg-fused/"})
public final class SegmentCommand implements Callable<Integer> {
    @Option(names = "--segmenter-weights", required = true, paramLabel = "FILE",
            description = "MFNet weights as .npz (see README: where to get them, how to convert a .pth)")
    Path weights;

    @Option(names = "--ir-dir", required = true, paramLabel = "DIR", description = "infrared images")
    Path irDir;

    @Option(names = {"--rgb-dir", "--vis-dir", "--fused-dir"}, required = true, paramLabel = "DIR",
            description = "the colour images, visible or fused, paired with the infrared images by name")
    Path rgbDir;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "output folder") Path out;
    @picocli.CommandLine.Mixin
    SharedOptions.Overwrite overwriteOption;
    @picocli.CommandLine.Mixin
    SharedOptions.Threads threadsOption;
    @picocli.CommandLine.Mixin
    SharedOptions.Device deviceOption;

    @Option(names = "--precision", defaultValue = "auto", paramLabel = "P",
            description = "fp32, bf16 or auto (bf16 where the CPU has native bf16)")
    String precision;


    @Override
    public Integer call() throws Exception {
        if (threadsOption.threads != null) {
            Compute.configureThreads(threadsOption.threads);
        }
        FolderPairing.Result r = FolderPairing.pair(irDir, rgbDir);
        for (Path lonely : r.onlyInFirst()) {
            System.err.println("irfuse: no colour counterpart for " + lonely + " (skipped)");
        }
        for (Path lonely : r.onlyInSecond()) {
            System.err.println("irfuse: no infrared counterpart for " + lonely + " (skipped)");
        }
        if (r.pairs().isEmpty()) {
            throw new UserException(irDir + " and " + rgbDir + ": no pairs");
        }
        List<Path> planned = new ArrayList<>();
        for (ImagePair p : r.pairs()) {
            planned.add(out.resolve("labels").resolve(p.name() + ".png"));
            planned.add(out.resolve("colour").resolve(p.name() + ".png"));
        }
        for (Path p : planned) {
            UserException.refuseExisting(p, overwriteOption.overwrite);
        }
        int[] palette = ClassPalette.MSRS.colours();
        try (Compute compute = Compute.open(deviceOption.device)) {
            MfNet net = MfNet.load(weights, compute.root());
            net.freezeParameters(true);
            MfNetSegmenter segmenter = new MfNetSegmenter(net, compute,
                    Precision.resolve(precision, compute.device()));
            long[] pixels = new long[MfNet.CLASSES];
            try (Progress bar = Progress.start("segment", r.pairs().size(), "pair")) {
                for (ImagePair p : r.pairs()) {
                    bar.message(p.name());
                    Image ir = ImageReader.readInfrared(p.infrared());
                    Image rgb = ImageReader.read(p.visible());
                    if (!ir.sameSize(rgb)) {
                        throw new UserException(p.infrared() + ": size " + ir.sizeString() + " differs from "
                                + p.visible() + " (" + rgb.sizeString() + ")");
                    }
                    LabelMap map = segmenter.segment(rgb, ir);
                    long[] h = map.histogram(MfNet.CLASSES);
                    for (int c = 0; c < h.length; c++) {
                        pixels[c] += h[c];
                    }
                    ImageWriter.writeIndexedPng(out.resolve("labels").resolve(p.name() + ".png"), map.width(),
                            map.height(), map.classes(), palette, overwriteOption.overwrite);
                    ImageWriter.write(colour(map, palette), out.resolve("colour").resolve(p.name() + ".png"),
                            overwriteOption.overwrite);
                    bar.step();
                }
            }
            long total = java.util.Arrays.stream(pixels).sum();
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < pixels.length; c++) {
                if (pixels[c] > 0) {
                    sb.append(sb.length() == 0 ? "" : ", ").append(ClassPalette.MSRS.className(c))
                            .append(String.format(java.util.Locale.ROOT, " %.2f%%", 100.0 * pixels[c] / total));
                }
            }
            System.err.printf("segmented %d pairs into %s (%s)%n", r.pairs().size(), out, sb);
        }
        return 0;
    }

    /** The class map drawn in palette colours. */
    static Image colour(LabelMap map, int[] palette) {
        int n = map.width() * map.height();
        float[] d = new float[3 * n];
        int[] cls = map.classes();
        for (int i = 0; i < n; i++) {
            int c = palette[cls[i]];
            d[i] = (c >> 16 & 0xff) / 255f;
            d[n + i] = (c >> 8 & 0xff) / 255f;
            d[2 * n + i] = (c & 0xff) / 255f;
        }
        return new Image(map.width(), map.height(), 3, d);
    }
}
