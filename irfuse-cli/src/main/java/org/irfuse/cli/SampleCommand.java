package org.irfuse.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.irfuse.core.image.ImageWriter;
import org.irfuse.core.synthetic.SyntheticScenes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code irfuse sample}: writes the generated sample pair the project ships in {@code samples/} (a warm pedestrian
 * and car that show mostly in infrared, a textured street that shows mostly in the visible image), or random
 * scenes for experiments.
 */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Write generated infrared/visible scenes (OUT/ir/NAME.png, OUT/vi/NAME.png).")
public final class SampleCommand implements Callable<Integer> {
    @Option(names = {"-o", "--out"}, defaultValue = "samples", paramLabel = "DIR",
            description = "folder to write ir/ and vi/ into")
    Path outDir;

    @Option(names = "--count", paramLabel = "N",
            description = "write N random scenes instead of the shipped street scene")
    Integer count;

    @Option(names = "--size", paramLabel = "WxH", defaultValue = "320x240", description = "size of random scenes, WxH")
    String size;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "seed of the random scenes") long seed;

    @picocli.CommandLine.Mixin
    SharedOptions.Overwrite overwriteOption;

    @Override
    public Integer call() throws Exception {
        UserException.refuseUnwritable(outDir);
        if (count == null) {
            write(SyntheticScenes.sample(), "street");
            System.err.println("wrote " + outDir.resolve("ir/street.png") + " and " + outDir.resolve("vi/street.png"));
            return 0;
        }
        if (count < 1) {
            throw new UserException("--count must be at least 1, got " + count);
        }
        String[] wh = size.toLowerCase().split("x");
        int w;
        int h;
        try {
            w = Integer.parseInt(wh[0]);
            h = Integer.parseInt(wh[1]);
        } catch (RuntimeException e) {
            throw new UserException("--size must be WIDTHxHEIGHT, got '" + size + "'");
        }
        if (w < 64 || h < 64) {
            throw new UserException("--size must be at least 64x64, got " + size);
        }
        for (int i = 0; i < count; i++) {
            write(SyntheticScenes.random(w, h, seed + i, i % 2 == 1), String.format("scene%04d", i));
        }
        System.err.println("wrote " + count + " scenes to " + outDir);
        return 0;
    }

    private void write(SyntheticScenes.Scene s, String name) throws Exception {
        ImageWriter.write(s.infrared(), outDir.resolve("ir").resolve(name + ".png"), overwriteOption.overwrite);
        ImageWriter.write(s.visible(), outDir.resolve("vi").resolve(name + ".png"), overwriteOption.overwrite);
    }
}
