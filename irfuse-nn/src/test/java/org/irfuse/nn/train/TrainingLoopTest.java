package org.irfuse.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.irfuse.nn.optim.Adam;
import org.irfuse.nn.optim.Optimizer;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.Gradients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one training loop: listener order, stopping, and exact resume through the standard listeners. */
class TrainingLoopTest {
    /** Records every call as "name:event:step". */
    record Recorder(String name, List<String> events) implements TrainingLoop.Listener {
        @Override
        public void onStart(long first, long total) {
            events.add(name + ":start:" + first + "/" + total);
        }

        @Override
        public void onStep(long step, long total, Map<String, Object> values) {
            events.add(name + ":step:" + step + ":" + values.get("v"));
        }

        @Override
        public void onEnd(long total) {
            events.add(name + ":end:" + total);
        }
    }

    @Test
    void listenersRunInTheOrderAddedAroundEveryStep() throws IOException {
        List<String> events = new ArrayList<>();
        new TrainingLoop().listen(new Recorder("a", events)).listen(null).listen(new Recorder("b", events))
                .run(2, 4, step -> {
                    events.add("work:" + step);
                    return Map.of("v", step * 10);
                });
        assertEquals(List.of("a:start:3/4", "b:start:3/4", "work:3", "a:step:3:30", "b:step:3:30", "work:4",
                "a:step:4:40", "b:step:4:40", "a:end:4", "b:end:4"), events);
    }

    @Test
    void aListenerThatThrowsStopsTheRunBeforeTheListenersAfterIt() {
        List<String> events = new ArrayList<>();
        TrainingLoop loop = new TrainingLoop()
                .listen(TrainingListeners.divergence(k -> k.equals("v"), "lower --lr"))
                .listen(new Recorder("log", events));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> loop.run(0, 5,
                step -> Map.of("v", step == 3 ? Double.NaN : 1.0)));
        assertEquals("training diverged: v became NaN at step 3; lower --lr", e.getMessage());
        assertEquals(List.of("log:start:1/5", "log:step:1:1.0", "log:step:2:1.0"), events,
                "the diverged step 3 reaches no later listener, and no step after it runs");
    }

    // ------------------------------------------------------------------------------ exact resume, tiny problem

    /** A 4→3 linear layer fitted by Adam to a fixed linear map on per-step random inputs. */
    static final class Tiny {
        final Linear net = Linear.builder().setUnits(3).build();
        final Adam adam;
        final List<Parameter> params = new ArrayList<>();

        Tiny(Compute compute) {
            Engine.getInstance().setRandomSeed(5);
            net.initialize(compute.root(), DataType.FLOAT32, new Shape(2, 4));
            for (Pair<String, Parameter> p : net.getParameters()) {
                p.getValue().getArray().setRequiresGradient(true);
                params.add(p.getValue());
            }
            adam = new Adam(compute.root(), 1e-4);
        }

        Map<String, Object> step(long step, Compute compute) {
            Random r = new Random(1000 + step);
            float[] x = new float[8];
            float[] y = new float[6];
            for (int i = 0; i < 8; i++) {
                x[i] = (float) r.nextGaussian();
            }
            for (int n = 0; n < 2; n++) {
                for (int j = 0; j < 3; j++) {
                    y[n * 3 + j] = x[n * 4 + j] - 0.5f * x[n * 4 + j + 1];
                }
            }
            double loss;
            try (NDManager scope = compute.newStep()) {
                NDArray in = scope.create(x, new Shape(2, 4));
                NDArray target = scope.create(y, new Shape(2, 3));
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray out = net.forward(compute.parameters(), new NDList(in), true).singletonOrThrow();
                    NDArray l = out.sub(target).square().mean();
                    gc.backward(l);
                    loss = l.getFloat();
                }
                NDList grads = Gradients.takeAndZero(params, scope);
                adam.step(params, grads, 0.05);
            }
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("step", step);
            v.put("loss", loss);
            return v;
        }

        float[] weights() {
            List<Float> all = new ArrayList<>();
            for (Parameter p : params) {
                for (float f : p.getArray().toFloatArray()) {
                    all.add(f);
                }
            }
            float[] out = new float[all.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = all.get(i);
            }
            return out;
        }
    }

    /** Runs (or resumes) the tiny problem for 8 steps, checkpoint every 3; {@code killAt} throws after that step. */
    static float[] tinyRun(Path dir, boolean resume, long killAt) throws IOException {
        Map<String, Object> config = Map.of("steps", 8, "seed", 5);
        try (Compute compute = Compute.cpu()) {
            RunFolder run = new RunFolder(dir);
            TrainingSession session = TrainingSession.open(run, config, 5, resume, false);
            Tiny tiny = new Tiny(compute);
            Map<String, Block> blocks = Map.of("tiny", tiny.net);
            Map<String, Optimizer> optimizers = Map.of("tiny", tiny.adam);
            long start = session.restore(compute, blocks, optimizers);
            new TrainingLoop()
                    .listen(TrainingListeners.divergence(k -> k.equals("loss"), "lower --lr"))
                    .listen(TrainingListeners.log(run, 1, s -> false, Set.of()))
                    .listen(TrainingListeners.checkpoint(run, 3, blocks, optimizers))
                    .listen(TrainingListeners.progress((step, total, values) -> {
                        if (step == killAt) {
                            throw new IllegalStateException("killed after step " + step);
                        }
                    }))
                    .run(start, 8, step -> tiny.step(step, compute));
            return tiny.weights();
        }
    }

    @Test
    void aRunKilledAndResumedEqualsAnUninterruptedOneExactly(@TempDir Path dir) throws IOException {
        float[] whole = tinyRun(dir.resolve("whole"), false, -1);
        Path killed = dir.resolve("killed");
        assertThrows(IllegalStateException.class, () -> tinyRun(killed, false, 5));
        // Killed after step 5, last checkpoint at step 3: the log still holds steps 4 and 5 until the resume.
        assertEquals(5, Files.readAllLines(killed.resolve("log.jsonl")).size());
        float[] resumed = tinyRun(killed, true, -1);
        assertArrayEquals(whole, resumed, "parameters after 8 steps");
        assertArrayEquals(Files.readAllBytes(dir.resolve("whole/checkpoint.bin")),
                Files.readAllBytes(killed.resolve("checkpoint.bin")), "checkpoint bytes (parameters and Adam state)");
        assertEquals(Files.readAllLines(dir.resolve("whole/log.jsonl")), Files.readAllLines(killed.resolve(
                "log.jsonl")), "log.jsonl, line for line");
        assertTrue(Files.readAllLines(killed.resolve("log.jsonl")).get(0).contains("\"step\":1"));
    }
}
