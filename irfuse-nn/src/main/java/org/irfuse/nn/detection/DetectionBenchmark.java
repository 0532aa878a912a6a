package org.irfuse.nn.detection;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.irfuse.core.datasets.CropSampler;
import org.irfuse.core.datasets.PairDataset;
import org.irfuse.core.datasets.PairSample;
import org.irfuse.core.image.Image;
import org.irfuse.nn.optim.Adam;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.Gradients;
import org.irfuse.nn.train.BatchArrays;

/**
 * Wall-clock cost of the detector: one training step (target assignment, forward, loss, backward, gradient copy,
 * Adam) on synthetic scenes with real boxes, and inference on one image (forward and decoding with NMS).
 * Returns every timed repeat in seconds (after untimed warm-up repeats); callers report the median.
 */
public final class DetectionBenchmark {
    private DetectionBenchmark() {
    }

    public static double[] trainStepSeconds(Compute compute, int width, int levels, int numClasses, int batch,
            int height, int imageWidth, int warmup, int repeats) {
        List<PairSample> scenes = PairDataset.synthetic(Math.max(2, batch), imageWidth, height, 5);
        Engine.getInstance().setRandomSeed(1);
        DetectionTask task = DetectionTask.initialise(numClasses, width, levels, compute, DataType.FLOAT32);
        List<Parameter> params = new ArrayList<>();
        for (Pair<String, Parameter> p : task.network().getParameters()) {
            params.add(p.getValue());
        }
        Adam adam = new Adam(compute.root(), 0);
        double[] times = new double[repeats];
        for (int i = 0; i < warmup + repeats; i++) {
            CropSampler.Batch b = wholeImages(scenes, batch, height, imageWidth);
            long t0 = System.nanoTime();
            try (NDManager step = compute.newStep()) {
                BatchArrays arrays = BatchArrays.of(b, step, DataType.FLOAT32);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(task.loss(compute.parameters(), DetectorInput.VIS.image(arrays), b, step, true));
                }
                NDList grads = Gradients.takeAndZero(params, step);
                adam.step(params, grads, 1e-4);
            }
            if (i >= warmup) {
                times[i - warmup] = (System.nanoTime() - t0) / 1e9;
            }
        }
        return times;
    }

    public static double[] inferenceSeconds(Compute compute, int width, int levels, int numClasses, int height,
            int imageWidth, int warmup, int repeats) {
        PairSample scene = PairDataset.synthetic(1, imageWidth, height, 9).get(0);
        Image image = DetectorInput.VIS.image(scene);
        Engine.getInstance().setRandomSeed(1);
        DetectorNetwork net = new DetectorNetwork(numClasses, width, levels);
        net.initialize(compute.root(), DataType.FLOAT32, DetectorNetwork.initShape());
        Detector detector = new Detector(net, compute, FcosDecoder.Settings.defaults());
        double[] times = new double[repeats];
        for (int i = 0; i < warmup + repeats; i++) {
            long t0 = System.nanoTime();
            detector.detect(image);
            if (i >= warmup) {
                times[i - warmup] = (System.nanoTime() - t0) / 1e9;
            }
        }
        return times;
    }

    /** A batch of whole scenes (no crop, no flip), cycling through them. */
    static CropSampler.Batch wholeImages(List<PairSample> scenes, int batch, int height, int width) {
        int n = height * width;
        float[] ir = new float[batch * n];
        float[] y = new float[batch * n];
        float[] cb = new float[batch * n];
        float[] cr = new float[batch * n];
        float[] target = new float[batch * n];
        List<List<org.irfuse.core.detection.Box>> boxes = new ArrayList<>();
        String[] names = new String[batch];
        for (int b = 0; b < batch; b++) {
            PairSample s = scenes.get(b % scenes.size());
            System.arraycopy(s.ir(), 0, ir, b * n, n);
            System.arraycopy(s.y(), 0, y, b * n, n);
            System.arraycopy(s.cb(), 0, cb, b * n, n);
            System.arraycopy(s.cr(), 0, cr, b * n, n);
            System.arraycopy(s.target(), 0, target, b * n, n);
            boxes.add(s.boxes());
            names[b] = s.name();
        }
        return new CropSampler.Batch(batch, height, width, ir, y, cb, cr, target, null, boxes, names);
    }

    public static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
