package org.irfuse.nn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.irfuse.nn.runtime.Compute;

/**
 * The uniform weight average of fusion models ("model soup": Wortsman et al., "Model soups: averaging weights of
 * multiple fine-tuned models improves accuracy without increasing inference time", ICML 2022, the uniform soup).
 *
 * <p>Every parameter of the result is the arithmetic mean of that parameter in the inputs, element by element. It is
 * meant for models fine-tuned from one starting model (for example the seeds of one training recipe), which lie in
 * one basin of the loss; averaging unrelated models gives a network that fuses badly, and nothing here can tell the
 * two apart. The mean is summed in double precision in the order the models are given and rounded once to float, so
 * the result does not depend on anything but the inputs and their order.
 */
public final class ModelAverage {
    private ModelAverage() {
    }

    /**
     * Loads the model folders and returns their uniform average, whose card records where it came from: the
     * inputs' training data (merged), their parameter digests and the largest of their training step counts.
     *
     * @throws IOException a folder that does not load, or models whose widths or parameters differ (naming the first
     *                     folder that differs from the first)
     */
    public static FusionModel average(List<Path> folders, Compute compute) throws IOException {
        if (folders.size() < 2) {
            throw new IllegalArgumentException("averaging needs at least two models, got " + folders.size());
        }
        List<FusionModel> models = new ArrayList<>();
        for (Path f : folders) {
            models.add(FusionModel.load(f, compute));
        }
        FusionModel first = models.get(0);
        // One width, one architecture: FusionModel.load has checked each file's shapes against its width.
        for (int m = 1; m < models.size(); m++) {
            if (models.get(m).network().width() != first.network().width()) {
                throw new IOException(folders.get(m) + ": cannot be averaged with " + folders.get(0) + " (width "
                        + models.get(m).network().width().id() + " against " + first.network().width().id() + ")");
            }
        }
        List<PairList<String, Parameter>> params = new ArrayList<>();
        for (FusionModel m : models) {
            params.add(m.network().getParameters());
        }
        PairList<String, Parameter> target = params.get(0);
        for (int k = 0; k < target.size(); k++) {
            NDArray out = target.get(k).getValue().getArray();
            double[] sum = new double[Math.toIntExact(out.size())];
            for (PairList<String, Parameter> ps : params) {
                float[] v = ps.get(k).getValue().getArray().toFloatArray();
                for (int i = 0; i < v.length; i++) {
                    sum[i] += v[i];
                }
            }
            float[] mean = new float[sum.length];
            for (int i = 0; i < sum.length; i++) {
                mean[i] = (float) (sum[i] / models.size());
            }
            out.set(mean);
        }
        return new FusionModel(first.network(), card(models, folders));
    }

    private static ModelCard card(List<FusionModel> models, List<Path> folders) {
        ModelCard card = new ModelCard();
        card.stage = "average";
        card.width = models.get(0).network().width().id();
        Set<String> data = new LinkedHashSet<>();
        long steps = 0;
        StringBuilder sources = new StringBuilder();
        for (int m = 0; m < models.size(); m++) {
            ModelCard c = models.get(m).card();
            data.addAll(c.trainingData);
            steps = Math.max(steps, c.trainingSteps);
            sources.append(m == 0 ? "" : "; ").append(folders.get(m)).append(" (sha256 ").append(c.parametersSha256)
                    .append(c.command == null ? "" : ", made by: " + c.command).append(')');
        }
        card.trainingData = new ArrayList<>(data);
        card.trainingSteps = steps;
        card.notes = "uniform weight average (model soup) of " + models.size() + " models: " + sources;
        return card;
    }
}
