package org.irfuse.nn.fusion;

import java.util.ArrayList;
import java.util.List;
import org.irfuse.core.image.Image;
import org.irfuse.nn.modules.FusionNetwork;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.Precision;

/**
 * How far a reduced-precision fusion is from float32, measured where users see it: on the saved 8-bit image.
 * PSNR = 10·log10(255² / MSE) over all samples of the two 8-bit images ({@link Image#to8bit}, the quantisation
 * {@code ImageWriter} applies), infinite when they are identical.
 */
public final class PrecisionCheck {
    private PrecisionCheck() {
    }

    /** One pair's result: PSNR in dB and the largest 8-bit difference. */
    public record PairResult(String name, double psnrDb, int maxAbsDifference) {
    }

    /** A named infrared/visible pair in memory. */
    public record Pair(String name, Image infrared, Image visible) {
    }

    /** Fuses every pair in float32 and in {@code precision} with the same network and compares the 8-bit images. */
    public static List<PairResult> compare(FusionNetwork network, Compute compute, Precision precision,
            List<Pair> pairs) {
        List<PairResult> results = new ArrayList<>();
        try (Fuser exact = new Fuser(network, compute);
                Fuser reduced = new Fuser(network, compute, precision, Fuser.DEFAULT_TILE_ABOVE,
                        Fuser.DEFAULT_TILE)) {
            for (Pair p : pairs) {
                Image a = exact.fuse(p.infrared(), p.visible());
                Image b = reduced.fuse(p.infrared(), p.visible());
                results.add(compare8bit(p.name(), a, b));
            }
        }
        return results;
    }

    static PairResult compare8bit(String name, Image a, Image b) {
        float[] da = a.data();
        float[] db = b.data();
        double sse = 0;
        int worst = 0;
        for (int i = 0; i < da.length; i++) {
            int d = Image.to8bit(da[i]) - Image.to8bit(db[i]);
            sse += (double) d * d;
            worst = Math.max(worst, Math.abs(d));
        }
        double mse = sse / da.length;
        double psnr = mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
        return new PairResult(name, psnr, worst);
    }
}
