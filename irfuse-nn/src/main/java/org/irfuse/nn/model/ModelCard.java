package org.irfuse.nn.model;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small JSON card saved beside a model's parameters: what the network is, what it was trained on and how,
 * when, and what it measured. Loading checks the card against the parameter file (width, count, SHA-256).
 */
public final class ModelCard {
    public static final String FORMAT = "irfuse-model/1";
    public static final String FILE_NAME = "model-card.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    public String format = FORMAT;
    public String architecture = "bdl-fusion";
    /** The irfuse version that wrote the card (set on every save; null in cards written before 0.1.0). */
    public String irfuseVersion;
    public String width;
    public long parameters;
    public String parametersFile = "fusion.params";
    public String parametersSha256;
    /** {@code warmup}, {@code bilevel} or {@code average} (a weight average of models: {@code ModelAverage}). */
    public String stage;
    public List<String> trainingData = new ArrayList<>();
    public long trainingSteps;
    public String command;
    public String date;
    /** Measured metrics: e.g. {@code {"tno/cddfuse": {"EN": 6.9, ...}}}. */
    public Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
    /** Why this model is what it is (e.g. why this width is the default). */
    public String notes;
    /** Detector models only: class names in index order (null for fusion models). */
    public List<String> classes;
    /** Detector models only: the image the detector was trained on, {@code fused}, {@code ir} or {@code vis}. */
    public String input;

    public String toJson() {
        return GSON.toJson(this) + "\n";
    }

    public static ModelCard fromJson(String json) {
        try {
            ModelCard c = GSON.fromJson(json, ModelCard.class);
            if (c == null) {
                throw new IllegalArgumentException("empty model card");
            }
            return c;
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("model card is not valid JSON: " + e.getMessage(), e);
        }
    }
}
