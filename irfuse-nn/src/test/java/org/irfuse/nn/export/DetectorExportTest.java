package org.irfuse.nn.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.io.SharedData;
import org.irfuse.nn.pretrained.YoloV5n;
import org.irfuse.nn.runtime.Compute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectorExportTest {
    @TempDir
    Path tmp;

    /**
     * The exported YOLOv5n, run by ONNX Runtime on a real MSRS visible image at two sizes from one file, gives the
     * raw Detect outputs of {@link YoloV5n#raw} (float32).
     */
    @Test
    void onnxRuntimeMatchesYoloV5nRawOutputsAtTwoSizes() throws Exception {
        Optional<Path> weights = SharedData.model("yolov5n_coco.npz");
        assumeTrue(weights.isPresent(), SharedData.missingModelMessage("yolov5n_coco.npz"));
        Optional<Path> msrs = SharedData.resolve("msrs");
        assumeTrue(msrs.isPresent(), SharedData.missingMessage("msrs"));
        Image vis = ImageReader.read(msrs.get().resolve("vi/00633D.png"));
        Path onnx = tmp.resolve("yolov5n.onnx");
        try (Compute c = Compute.cpu(); OrtEnvironment env = OrtEnvironment.getEnvironment()) {
            YoloV5n net = YoloV5n.load(weights.get(), c.root());
            DetectorOnnx.write(net, onnx, false);
            try (OrtSession session = env.createSession(onnx.toString(), new OrtSession.SessionOptions())) {
                for (int[] size : new int[][] {{320, 256}, {256, 192}}) {
                    int w = size[0];
                    int h = size[1];
                    float[] chw = new float[3 * w * h];
                    for (int ch = 0; ch < 3; ch++) {
                        for (int y = 0; y < h; y++) {
                            for (int x = 0; x < w; x++) {
                                chw[(ch * h + y) * w + x] = vis.get(vis.channels() == 1 ? 0 : ch, 100 + x, 100 + y);
                            }
                        }
                    }
                    NDList expected;
                    float[][] exp = new float[3][];
                    try (NDManager m = c.newStep()) {
                        NDArray in = m.create(chw, new Shape(1, 3, h, w));
                        expected = net.raw(new ParameterStore(m, false), in, false);
                        for (int i = 0; i < 3; i++) {
                            exp[i] = expected.get(i).toFloatArray();
                        }
                    }
                    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(chw), new long[] {1, 3, h, w});
                            OrtSession.Result r = session.run(Map.of("images", t))) {
                        for (int i = 0; i < 3; i++) {
                            OnnxTensor out = (OnnxTensor) r.get("p" + (i + 3)).orElseThrow();
                            int stride = YoloV5n.STRIDES[i];
                            assertArrayEquals(new long[] {1, 3, (long) (h / stride) * (w / stride), 85},
                                    out.getInfo().getShape());
                            FloatBuffer fb = out.getFloatBuffer();
                            float[] actual = new float[fb.remaining()];
                            fb.get(actual);
                            double worst = 0;
                            double scale = 0;
                            for (int k = 0; k < actual.length; k++) {
                                worst = Math.max(worst, Math.abs(actual[k] - exp[i][k]));
                                scale = Math.max(scale, Math.abs(exp[i][k]));
                            }
                            System.out.printf("YOLOv5n ONNX Runtime vs DJL at %dx%d, p%d: max abs difference %.3g "
                                    + "(largest logit %.3g)%n", w, h, i + 3, worst, scale);
                            assertTrue(worst <= 1e-4, w + "x" + h + " p" + (i + 3) + ": max abs difference " + worst);
                        }
                    }
                }
            }
        }
    }
}
