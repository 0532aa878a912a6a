package org.irfuse.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.types.DataType;
import org.irfuse.core.image.Image;
import org.irfuse.core.synthetic.SyntheticScenes;
import org.irfuse.nn.fusion.Fuser;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.modules.FusionNetwork.Width;
import org.irfuse.nn.pretrained.MfNet;
import org.irfuse.nn.pretrained.MfNetSegmenter;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.Precision;
import org.junit.jupiter.api.Test;

/**
 * Inference over many images leaves no array behind in the long-lived root manager (fuse, eval and the
 * trainers' held-out scoring run it over whole datasets), in float32 and in bf16 (whose weight copies are made once).
 */
class InferenceMemoryTest {
    private static final SyntheticScenes.Scene SCENE = SyntheticScenes.random(48, 32, 3, false);

    /** Runs {@code once} three times; the root manager's array count after the first and the third call. */
    private static void assertFlat(Compute c, String what, Runnable once) {
        int[] counts = new int[3];
        for (int i = 0; i < counts.length; i++) {
            once.run();
            counts[i] = c.root().getManagedArrays().size();
        }
        assertEquals(counts[0], counts[2], what + ": arrays in the root manager after images 1 and 3");
    }

    @Test
    void fusingAndSegmentingLeaveNoArrayBehind() {
        for (Precision precision : Precision.values()) {
            try (Compute c = Compute.cpu()) {
                FusionModel m = FusionModel.initialise(Width.NANO, c, DataType.FLOAT32);
                try (Fuser f = new Fuser(m.network(), c, precision, Long.MAX_VALUE, 512)) {
                    assertFlat(c, "fuse " + precision, () -> f.fuse(SCENE.infrared(), SCENE.visible()));
                }
                try (MfNetSegmenter s = new MfNetSegmenter(MfNet.create(c.root()), c, precision)) {
                    assertFlat(c, "segment " + precision, () -> s.segment(SCENE.visible(), SCENE.infrared()));
                }
            }
        }
    }
}
