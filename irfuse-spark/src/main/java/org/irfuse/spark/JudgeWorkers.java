package org.irfuse.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.irfuse.nn.downstream.DownstreamEvaluation;
import org.irfuse.nn.pretrained.ClassMapping;
import org.irfuse.nn.pretrained.MfNet;
import org.irfuse.nn.pretrained.MfNetSegmenter;
import org.irfuse.nn.pretrained.Padding;
import org.irfuse.nn.pretrained.YoloDetector;
import org.irfuse.nn.pretrained.YoloV5n;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.Precision;

/**
 * The frozen judges of one executor JVM (YOLOv5n, and MFNet when asked), loaded once from the weights path the
 * user gave (read on the executor, as {@code --model} is) and shared by its concurrent tasks, as
 * {@link FusionWorkers} shares the fusion model. Each task borrows a {@link DownstreamEvaluation} (its own
 * detector and segmenter: in bf16 these hold a cast weight copy) and gives it back.
 */
final class JudgeWorkers {
    /** What identifies the loaded judges and how they judge. */
    record Key(String detectorWeights, String segmenterWeights, String device, String precision,
            List<String> classes, String classMap, double scoreThreshold, double nmsIou, int maxPerClass,
            String padding) implements Serializable {
        ClassMapping mapping() {
            return ClassMapping.parse(classMap, ClassMapping.COCO, classes);
        }

        YoloDetector.Settings settings() {
            return new YoloDetector.Settings(scoreThreshold, nmsIou, maxPerClass, Padding.parse(padding));
        }
    }

    private static final Map<Key, JudgeWorkers> LOADED = new HashMap<>();

    private final Key key;
    private final Compute compute;
    private final YoloV5n yolo;
    private final MfNet mfnet;
    private final Precision precision;
    private final ConcurrentLinkedDeque<DownstreamEvaluation> idle = new ConcurrentLinkedDeque<>();

    private JudgeWorkers(Key key) throws IOException {
        this.key = key;
        this.compute = Compute.open(key.device());
        boolean ok = false;
        try {
            // As irfuse eval downstream: frozen weights, the judges' precision resolved on this device.
            this.yolo = YoloV5n.load(Path.of(key.detectorWeights()), compute.root());
            yolo.freezeParameters(true);
            if (key.segmenterWeights() != null) {
                this.mfnet = MfNet.load(Path.of(key.segmenterWeights()), compute.root());
                mfnet.freezeParameters(true);
            } else {
                this.mfnet = null;
            }
            this.precision = Precision.resolve(key.precision(), compute.device());
            ok = true;
        } finally {
            if (!ok) {
                compute.close();
            }
        }
    }

    /** The JVM's judges for {@code key}, loading them on first use with {@code threads} libtorch threads. */
    static synchronized JudgeWorkers get(Key key, int threads) throws IOException {
        JudgeWorkers w = LOADED.get(key);
        if (w == null) {
            FusionWorkers.configureEngine(threads);
            w = new JudgeWorkers(key);
            LOADED.put(key, w);
        }
        return w;
    }

    /** The judges' precision as resolved on this executor's device. */
    Precision precision() {
        return precision;
    }

    /** An evaluation for the calling task; give it back with {@link #release}. */
    DownstreamEvaluation borrow() {
        DownstreamEvaluation e = idle.pollFirst();
        if (e != null) {
            return e;
        }
        YoloDetector detector = new YoloDetector(yolo, compute, key.mapping(), key.settings(), precision);
        MfNetSegmenter segmenter = mfnet == null ? null : new MfNetSegmenter(mfnet, compute, precision);
        return new DownstreamEvaluation(detector, segmenter);
    }

    void release(DownstreamEvaluation e) {
        idle.addFirst(e);
    }
}
