package org.irfuse.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.irfuse.core.align.Aligner;
import org.irfuse.core.align.AlignmentBenchmark;
import org.irfuse.core.align.Transform;
import org.irfuse.core.io.SharedData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code irfuse bench-align}: alignment error and time on the warped MSRS infrared images (docs/alignment.md). */
@Command(name = "bench-align", mixinStandardHelpOptions = true,
        description = "Align ../shared/data/msrs/ir_warp to msrs/vi and compare with msrs/ir inside msrs/ir_valid: "
                + "mean absolute difference (grey levels) before and after, and time per pair.")
public final class BenchAlignCommand implements Callable<Integer> {
    @Option(names = "--align", defaultValue = "affine", paramLabel = "MODEL",
            description = "the transform model, as fuse --align: translation, affine or deformable")
    String model;
    @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
            description = "pairs aligned in parallel (2 by default: the figures of docs/alignment.md)")
    int threads;
    @Option(names = "--pairs", paramLabel = "N", defaultValue = "30",
            description = "at most this many pairs") int pairs;
    @Option(names = "--msrs", paramLabel = "DIR", description = "MSRS folder (default: ../shared/data/msrs)")
    Path msrs;

    @Override
    public Integer call() throws Exception {
        Path dir = msrs != null ? msrs : SharedData.resolve("msrs").orElseThrow(
                () -> new UserException(SharedData.missingMessage("msrs")));
        Aligner aligner = Aligner.builder().model(Transform.Model.parse(model)).threads(threads).build();
        System.out.print(AlignmentBenchmark.report(AlignmentBenchmark.run(dir, aligner, pairs)));
        return 0;
    }
}
