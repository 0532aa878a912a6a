package org.irfuse.nn.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.irfuse.core.datasets.CropSampler;
import org.irfuse.core.datasets.PairDataset;
import org.irfuse.core.datasets.PairSample;
import org.irfuse.core.detection.Box;
import org.irfuse.core.detection.BoxIou;
import org.irfuse.nn.optim.Adam;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.Gradients;
import org.irfuse.nn.task.ColourComposite;
import org.irfuse.nn.train.BatchArrays;
import org.junit.jupiter.api.Test;

class DetectorNetworkTest {
    @Test
    void outputsLineUpWithTheLocationsForOddSizes() {
        try (Compute c = Compute.cpu(); NDManager step = c.newStep()) {
            DetectorNetwork net = new DetectorNetwork(3, 4, 3);
            net.initialize(c.root(), DataType.FLOAT32, DetectorNetwork.initShape());
            NDArray x = step.randomUniform(0, 1, new Shape(2, 3, 50, 70));
            DetectorNetwork.Outputs out = net.detect(c.parameters(), x, false);
            long l = Locations.of(50, 70, net.strides()).size();
            assertEquals(new Shape(2, l, 3), out.classLogits().getShape());
            assertEquals(new Shape(2, l, 4), out.distances().getShape());
            assertEquals(new Shape(2, l), out.centernessLogits().getShape());
            assertTrue(out.distances().min().getFloat() > 0, "distances are positive");
            // The classification bias starts at the focal-loss prior: σ(logit) ≈ 0.01 on average.
            float meanProbability = ai.djl.nn.Activation.sigmoid(out.classLogits()).mean().getFloat();
            assertEquals(0.01, meanProbability, 0.01);
            DetectorNetwork two = new DetectorNetwork(6, 4, 2);
            two.initialize(c.root(), DataType.FLOAT32, DetectorNetwork.initShape());
            assertEquals(new Shape(1, Locations.of(50, 70, new int[] {8, 16}).size(), 6),
                    two.detect(c.parameters(), x.get("0:1"), false).classLogits().getShape());
        }
    }

    @Test
    void giouLossMatchesTheBoxFormula() {
        try (Compute c = Compute.cpu(); NDManager step = c.newStep()) {
            // From the point (50, 40): predicted and target distances, and the same boxes in corner form.
            double[][] pred = {{10, 5, 20, 15}, {3, 30, 40, 2}, {25, 25, 25, 25}};
            double[][] target = {{12, 8, 18, 10}, {20, 4, 5, 30}, {25, 25, 25, 25}};
            NDArray p = step.create(flatten(pred), new Shape(3, 4));
            NDArray t = step.create(flatten(target), new Shape(3, 4));
            double[] loss = FcosLoss.giouLoss(p, t).toDoubleArray();
            for (int i = 0; i < 3; i++) {
                Box a = FcosTargets.decode(50, 40, pred[i][0], pred[i][1], pred[i][2], pred[i][3], 0, 1);
                Box b = FcosTargets.decode(50, 40, target[i][0], target[i][1], target[i][2], target[i][3], 0, 1);
                assertEquals(1 - BoxIou.giou(a, b), loss[i], 1e-9);
            }
            assertEquals(0, loss[2], 1e-9);
        }
    }

    @Test
    void focalLossMatchesItsDefinition() {
        try (Compute c = Compute.cpu(); NDManager step = c.newStep()) {
            double[] x = {-3, -0.5, 0, 2, 4};
            double[] y = {0, 1, 1, 0, 1};
            double[] got = FcosLoss.focal(step.create(x), step.create(y)).toDoubleArray();
            for (int i = 0; i < x.length; i++) {
                double p = 1 / (1 + Math.exp(-x[i]));
                double pt = y[i] == 1 ? p : 1 - p;
                double alphaT = y[i] == 1 ? 0.25 : 0.75;
                assertEquals(-alphaT * Math.pow(1 - pt, 2) * Math.log(pt), got[i], 1e-12);
            }
        }
    }

    private static double[] flatten(double[][] a) {
        double[] out = new double[a.length * 4];
        for (int i = 0; i < a.length; i++) {
            System.arraycopy(a[i], 0, out, 4 * i, 4);
        }
        return out;
    }

    @Test
    void lossFallsOnATinySyntheticSetWithExactBoxes() {
        List<PairSample> scenes = PairDataset.synthetic(4, 96, 96, 11);
        CropSampler sampler = new CropSampler(scenes, 96, 96);
        try (Compute c = Compute.cpu()) {
            Engine.getInstance().setRandomSeed(7);
            DetectionTask task = DetectionTask.initialise(3, 8, 2, c, DataType.FLOAT32);
            List<Parameter> params = new ArrayList<>();
            for (Pair<String, Parameter> p : task.network().getParameters()) {
                params.add(p.getValue());
            }
            Adam adam = new Adam(c.root(), 0);
            CropSampler.Batch batch = sampler.next(CropSampler.forStep(3, 1), 4);
            int boxes = batch.boxes().stream().mapToInt(List::size).sum();
            assertTrue(boxes >= 4, "the synthetic scenes carry boxes");
            double first = 0;
            double last = 0;
            int steps = 60;
            for (int s = 1; s <= steps; s++) {
                double loss;
                try (NDManager step = c.newStep()) {
                    BatchArrays b = BatchArrays.of(batch, step, DataType.FLOAT32);
                    NDArray image = DetectorInput.VIS.image(b);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        FcosLoss.Parts parts = task.parts(c.parameters(), image, batch, step, true);
                        assertTrue(parts.positives() > 0);
                        gc.backward(parts.total());
                        loss = parts.total().getFloat();
                    }
                    NDList grads = Gradients.takeAndZero(params, step);
                    adam.step(params, grads, 2e-3);
                }
                assertTrue(Double.isFinite(loss), "loss at step " + s);
                if (s <= 5) {
                    first += loss / 5;
                }
                if (s > steps - 5) {
                    last += loss / 5;
                }
            }
            assertTrue(last < 0.6 * first, "loss fell from " + first + " to " + last);
        }
    }

    @Test
    void taskLossIsAFiniteScalarWhoseGradientReachesTheColourInput() {
        List<PairSample> scenes = PairDataset.synthetic(2, 80, 64, 5);
        CropSampler sampler = new CropSampler(scenes, 64, 64);
        CropSampler.Batch batch = sampler.next(CropSampler.forStep(1, 1), 2);
        try (Compute c = Compute.cpu(); NDManager step = c.newStep()) {
            DetectionTask task = DetectionTask.initialise(3, 4, 3, c, DataType.FLOAT32);
            assertEquals("detection", task.kind());
            BatchArrays b = BatchArrays.of(batch, step, DataType.FLOAT32);
            NDArray luminance = b.luminance();
            luminance.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray colour = ColourComposite.of(luminance, b.cb(), b.cr());
                NDArray loss = task.loss(c.parameters(), colour, batch, step, true);
                assertEquals(new Shape(), loss.getShape());
                assertTrue(Double.isFinite(loss.getFloat()));
                gc.backward(loss);
            }
            NDArray g = luminance.getGradient();
            assertTrue(Double.isFinite(g.abs().sum().getFloat()));
            assertTrue(g.abs().sum().getFloat() > 0, "the task loss must pull on the fused image");
        }
    }
}
