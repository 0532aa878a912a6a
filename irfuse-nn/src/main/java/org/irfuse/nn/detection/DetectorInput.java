package org.irfuse.nn.detection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.irfuse.core.datasets.PairSample;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.YCbCr;
import org.irfuse.nn.fusion.Fuser;
import org.irfuse.nn.task.ColourComposite;
import org.irfuse.nn.train.BatchArrays;

/**
 * Which image a detector sees: the colour fused image C(Ŷ, V) ({@link #FUSED}), the infrared image replicated to
 * 3 channels ({@link #IR}), or the visible image in colour ({@link #VIS}). Fused and visible share one path: a
 * sample prepared by {@link #prepare} carries the fused luminance in place of the visible one, and the colour
 * image is {@code C(Y, Cb, Cr)} for both.
 */
public enum DetectorInput {
    FUSED, IR, VIS;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DetectorInput parse(String name) {
        for (DetectorInput i : values()) {
            if (i.id().equalsIgnoreCase(name.trim())) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown detector input '" + name + "' (expected fused, ir or vis)");
    }

    /**
     * The samples as this input needs them: for {@link #FUSED}, each sample's luminance replaced by the fused
     * luminance of {@code fuser} (required then, ignored otherwise); the others unchanged.
     */
    public List<PairSample> prepare(List<PairSample> samples, Fuser fuser) {
        if (this != FUSED) {
            return samples;
        }
        if (fuser == null) {
            throw new IllegalArgumentException("detector input 'fused' needs a fusion model");
        }
        List<PairSample> out = new ArrayList<>(samples.size());
        for (PairSample s : samples) {
            float[] fused = fuser.fuseLuminance(s.ir(), s.y(), s.width(), s.height());
            out.add(new PairSample(s.name(), s.width(), s.height(), s.ir(), fused, s.cb(), s.cr(), s.target(),
                    s.labels(), s.boxes()));
        }
        return out;
    }

    /** The detector's N×3×H×W input of a (prepared) batch. */
    public NDArray image(BatchArrays b) {
        if (this == IR) {
            return NDArrays.concat(new NDList(b.infrared(), b.infrared(), b.infrared()), 1);
        }
        return ColourComposite.of(b.luminance(), b.cb(), b.cr());
    }

    /** The detector's 3-channel input of one whole (prepared) sample, as an image. */
    public Image image(PairSample s) {
        if (this == IR) {
            return threeChannels(Image.gray(s.width(), s.height(), s.ir()));
        }
        return YCbCr.merge(s.width(), s.height(), s.y(), s.cb(), s.cr());
    }

    /** A gray image with its plane replicated to R, G, B; a colour image unchanged. */
    public static Image threeChannels(Image img) {
        if (img.channels() == 3) {
            return img;
        }
        float[] p = img.plane(0);
        return Image.rgb(img.width(), img.height(), p, p, p);
    }
}
