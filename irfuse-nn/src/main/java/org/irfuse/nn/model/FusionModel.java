package org.irfuse.nn.model;

import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.irfuse.nn.modules.FusionNetwork;
import org.irfuse.nn.modules.FusionNetwork.Width;
import org.irfuse.nn.runtime.Compute;

/**
 * A fusion network with its {@link ModelCard}: a folder holding {@code fusion.params} (DJL parameter format) and
 * {@code model-card.json}. The default model ships inside the jar under {@code /irfuse/models/default/}.
 */
public final class FusionModel {
    /** Class-path folder of the shipped default model. */
    public static final String DEFAULT_RESOURCE = "/irfuse/models/default/";

    private final FusionNetwork network;
    private final ModelCard card;

    public FusionModel(FusionNetwork network, ModelCard card) {
        this.network = network;
        this.card = card;
    }

    public FusionNetwork network() {
        return network;
    }

    public ModelCard card() {
        return card;
    }

    /** A freshly initialised network of the given width (training starts here). */
    public static FusionModel initialise(Width width, Compute compute, DataType dataType) {
        FusionNetwork net = new FusionNetwork(width);
        net.initialize(compute.root(), dataType, FusionNetwork.initShape());
        ModelCard card = new ModelCard();
        card.width = width.id();
        card.parameters = parameterCount(net);
        return new FusionModel(net, card);
    }

    public static long parameterCount(FusionNetwork net) {
        return ModelFolder.parameterCount(net);
    }

    /**
     * The name that means the shipped model wherever a fusion model folder is taken ({@code --model default},
     * {@code --init-model default}, {@code --fusion-model default}); a folder really called {@code default} is
     * reached as {@code ./default}.
     */
    public static final String DEFAULT_NAME = "default";

    /** True when {@code location} is the word {@link #DEFAULT_NAME} (and not, e.g., {@code ./default}). */
    public static boolean isDefault(Path location) {
        return location != null && location.toString().equals(DEFAULT_NAME);
    }

    /**
     * The one resolver of a fusion model argument: null or {@code "default"} is the shipped model, anything else a
     * model folder (or a card file inside one).
     */
    public static FusionModel resolve(String nameOrFolder, Compute compute) throws IOException {
        if (nameOrFolder == null || nameOrFolder.isBlank()) {
            return loadDefault(compute);
        }
        return load(Path.of(nameOrFolder), compute);
    }

    /**
     * Loads a model folder (or a card file inside one), checking the card against the parameters; the path
     * {@code default} is the shipped model ({@link #DEFAULT_NAME}).
     */
    public static FusionModel load(Path location, Compute compute) throws IOException {
        if (isDefault(location)) {
            return loadDefault(compute);
        }
        ModelFolder.CardFile c = ModelFolder.readCard(location, "model");
        return fromBytes(ModelFolder.readParameters(c, "fusion.params"), c.card(), c.file().toString(), compute);
    }

    /** Loads the model shipped in the jar. */
    public static FusionModel loadDefault(Compute compute) throws IOException {
        String cardJson = new String(resource(ModelCard.FILE_NAME), StandardCharsets.UTF_8);
        ModelCard card = ModelCard.fromJson(cardJson);
        return fromBytes(resource(card.parametersFile), card, "default model (" + DEFAULT_RESOURCE + ")", compute);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = FusionModel.class.getResourceAsStream(DEFAULT_RESOURCE + name)) {
            if (in == null) {
                throw new IOException("the default model is missing from this build (" + DEFAULT_RESOURCE + name
                        + "); pass a model folder instead of 'default'");
            }
            return in.readAllBytes();
        }
    }

    private static FusionModel fromBytes(byte[] params, ModelCard card, String origin, Compute compute)
            throws IOException {
        if (!ModelCard.FORMAT.equals(card.format)) {
            throw new IOException(origin + ": unsupported model format '" + card.format + "' (expected "
                    + ModelCard.FORMAT + ")");
        }
        Width width;
        try {
            width = Width.parse(card.width == null ? "" : card.width);
        } catch (IllegalArgumentException e) {
            throw new IOException(origin + ": " + e.getMessage(), e);
        }
        ModelFolder.checkDigest(params, card, origin);
        FusionNetwork net = new FusionNetwork(width);
        net.initialize(compute.root(), DataType.FLOAT32, FusionNetwork.initShape());
        ModelFolder.loadInto(net, params, card, compute.root(), origin);
        return new FusionModel(net, card);
    }

    /** The parameters in DJL's format, as bytes. */
    public byte[] parameterBytes() throws IOException {
        return ModelFolder.parameterBytes(network);
    }

    /**
     * Saves the model folder: parameters first, then the card carrying their SHA-256, each written atomically; an
     * existing folder is refused unless {@code overwrite}.
     */
    public void save(Path dir, boolean overwrite) throws IOException {
        card.width = network.width().id();
        ModelFolder.save(dir, network, card, overwrite);
    }
}
