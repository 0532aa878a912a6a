package org.irfuse.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.irfuse.core.datasets.UltralyticsDataset;
import org.irfuse.core.datasets.UltralyticsDataset.Split;
import org.irfuse.core.detection.DetectionDataset;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.pairs.FolderPairing;
import org.irfuse.nn.fusion.Fuser;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.Precision;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code irfuse export-dataset}: a labelled infrared/visible set, fused (or already fused images), as an
 * ultralytics-style detection dataset ({@link UltralyticsDataset}) that YOLOv5/v8 train from directly.
 */
@Command(name = "export-dataset", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a fused detection set as an ultralytics dataset: OUT/images/{train,val}/<id>.png, "
                + "OUT/labels/{train,val}/<id>.txt (cls cx cy w h), OUT/data.yaml.",
            "  irfuse export-dataset --ir-dir IR --vis-dir VI --labels LABELS -o ds",
            "  irfuse export-dataset --m3fd M3FD --split test --fused-dir out/m3fd -o ds"})
public final class ExportDatasetCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @ArgGroup(exclusive = false)
        Yolo yolo;

        @Option(names = "--m3fd", paramLabel = "ROOT",
                description = "M3FD/VOC layout: ROOT/Ir, ROOT/Vis, ROOT/Annotation (classes m3fd by default)")
        Path m3fd;
    }

    static final class Yolo {
        @Option(names = "--ir-dir", required = true, paramLabel = "DIR", description = SharedOptions.IR_DIR) Path irDir;
        @Option(names = "--vis-dir", required = true, paramLabel = "DIR",
                description = SharedOptions.VIS_DIR) Path visDir;
        @Option(names = "--labels", required = true, paramLabel = "DIR",
                description = "YOLO labels <id>.txt (a missing file: no objects)")
        Path labels;
    }

    @Option(names = "--split", paramLabel = "NAME", description = "with --m3fd: ROOT/Main/NAME.txt lists the ids")
    String split;

    @Option(names = "--classes", paramLabel = "SET",
            description = "msrs, m3fd, a classes.txt file or comma-separated names (default: msrs, m3fd for --m3fd)")
    String classes;

    @Option(names = "--fused-dir", paramLabel = "DIR",
            description = "already fused images named like the pairs (default: fuse them with --model)")
    Path fusedDir;

    @picocli.CommandLine.Mixin
    SharedOptions.Model model;

    @Option(names = "--precision", defaultValue = "auto", paramLabel = "P",
            description = "fusion precision: auto, fp32 or bf16 (as fuse)")
    String precision;

    @Option(names = "--val-fraction", defaultValue = "0.2", paramLabel = "F",
            description = "share of the pairs in images/val, chosen by a seeded shuffle")
    double valFraction;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "seed of the train/val shuffle") long seed;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR",
            description = "dataset folder to write (images/, labels/, data.yaml)") Path out;

    @picocli.CommandLine.Mixin
    SharedOptions.Overwrite overwriteOption;

    @picocli.CommandLine.Mixin
    SharedOptions.Threads threadsOption;

    @Override
    public Integer call() throws Exception {
        if (threadsOption.threads != null) {
            Compute.configureThreads(threadsOption.threads);
        }
        if (source.m3fd == null && split != null) {
            throw new UserException("--split is for --m3fd (YOLO folders hold every pair)");
        }
        DetectionDataset data = source.m3fd != null
                ? DetectionDataset.m3fd(source.m3fd, split, EvalDetCommand.classList(classes == null ? "m3fd" : classes))
                : DetectionDataset.yolo(source.yolo.irDir, source.yolo.visDir, source.yolo.labels,
                        EvalDetCommand.classList(classes == null ? "msrs" : classes));
        List<DetectionDataset.Sample> samples = data.samples();
        if (samples.isEmpty()) {
            throw new UserException("no pairs to export");
        }
        Map<String, Path> fused = fusedDir == null ? Map.of() : FolderPairing.index(fusedDir);
        for (DetectionDataset.Sample s : samples) {
            if (fusedDir != null && !fused.containsKey(s.id())) {
                throw new UserException(fusedDir + ": no fused image named '" + s.id() + "'");
            }
        }
        UserException.refuseInput(out, fusedDir, source.m3fd);
        if (source.yolo != null) {
            UserException.refuseInput(out, source.yolo.irDir, source.yolo.visDir, source.yolo.labels);
        }
        UserException.refuseExisting(out.resolve(UltralyticsDataset.DATA_YAML), overwriteOption.overwrite);
        Map<String, Split> splits;
        try {
            splits = UltralyticsDataset.split(samples.stream().map(DetectionDataset.Sample::id).toList(),
                    valFraction, seed);
        } catch (IllegalArgumentException e) {
            throw new UserException("--val-fraction: " + e.getMessage());
        }
        int boxes = 0;
        try (Compute compute = Compute.cpu(); Progress bar = Progress.start("export-dataset", samples.size(),
                "pair")) {
            Fuser fuser = null;
            if (fusedDir == null) {
                FusionModel m = model.load(compute);
                fuser = new Fuser(m.network(), compute, Precision.resolve(precision, compute.device()),
                        Fuser.DEFAULT_TILE_ABOVE, Fuser.DEFAULT_TILE);
            }
            for (DetectionDataset.Sample s : samples) {
                bar.message(s.id());
                Image image;
                if (fuser != null) {
                    Image ir = ImageReader.readInfrared(s.infrared());
                    Image vis = ImageReader.read(s.visible());
                    if (!ir.sameSize(vis)) {
                        throw new UserException(s.infrared() + " (" + ir.sizeString() + ") and " + s.visible() + " ("
                                + vis.sizeString() + ") differ in size");
                    }
                    image = fuser.fuse(ir, vis);
                } else {
                    image = ImageReader.read(fused.get(s.id()));
                }
                List<org.irfuse.core.detection.Box> truth = data.boxes(s);
                boxes += truth.size();
                UltralyticsDataset.writeSample(out, splits.get(s.id()), s.id(), image, truth,
                        overwriteOption.overwrite);
                bar.step();
            }
            if (fuser != null) {
                fuser.close();
            }
        }
        boolean hasVal = splits.containsValue(Split.VAL);
        UltralyticsDataset.writeDataYaml(out, data.classNames(), hasVal, overwriteOption.overwrite);
        long val = splits.values().stream().filter(x -> x == Split.VAL).count();
        Progress.status("%s", "wrote " + samples.size() + " pairs (" + (samples.size() - val) + " train, " + val
                + " val) with " + boxes + " boxes and " + out.resolve(UltralyticsDataset.DATA_YAML));
        return 0;
    }
}
