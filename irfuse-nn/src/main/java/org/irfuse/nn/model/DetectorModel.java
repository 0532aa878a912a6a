package org.irfuse.nn.model;

import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.irfuse.nn.detection.DetectorInput;
import org.irfuse.nn.detection.DetectorNetwork;
import org.irfuse.nn.runtime.Compute;

/**
 * A detector with its {@link ModelCard} (architecture {@value #ARCHITECTURE}): a folder holding
 * {@code detector.params} (DJL parameter format) and {@code model-card.json}, the same layout and checks as
 * {@link FusionModel} (parameter count and SHA-256 against the card). The card's {@code width} is the base channel
 * count, {@code classes} the class names, {@code input} what the detector was trained on.
 */
public final class DetectorModel {
    public static final String ARCHITECTURE = "fcos-lite";
    public static final String PARAMETERS_FILE = "detector.params";

    private final DetectorNetwork network;
    private final ModelCard card;

    public DetectorModel(DetectorNetwork network, ModelCard card) {
        this.network = network;
        this.card = card;
    }

    public DetectorNetwork network() {
        return network;
    }

    public ModelCard card() {
        return card;
    }

    public List<String> classes() {
        return card.classes;
    }

    public DetectorInput input() {
        return DetectorInput.parse(card.input);
    }

    /** A freshly initialised detector. */
    public static DetectorModel initialise(List<String> classes, int width, int levels, DetectorInput input,
            Compute compute) {
        DetectorNetwork net = new DetectorNetwork(classes.size(), width, levels);
        net.initialize(compute.root(), DataType.FLOAT32, DetectorNetwork.initShape());
        ModelCard card = new ModelCard();
        card.architecture = ARCHITECTURE;
        card.parametersFile = PARAMETERS_FILE;
        card.width = Integer.toString(width);
        card.levels = levels;
        card.classes = new ArrayList<>(classes);
        card.input = input.id();
        card.parameters = parameterCount(net);
        return new DetectorModel(net, card);
    }

    public static long parameterCount(DetectorNetwork net) {
        return ModelFolder.parameterCount(net);
    }

    /** Loads a detector folder (or the card file inside one), checking the card against the parameters. */
    public static DetectorModel load(Path location, Compute compute) throws IOException {
        ModelFolder.CardFile c = ModelFolder.readCard(location, "detector");
        ModelCard card = c.card();
        Path cardFile = c.file();
        if (!ARCHITECTURE.equals(card.architecture)) {
            throw new IOException(cardFile + ": not a detector card (architecture '" + card.architecture
                    + "', expected " + ARCHITECTURE + ")");
        }
        if (card.classes == null || card.classes.isEmpty() || card.input == null || card.width == null) {
            throw new IOException(cardFile + ": detector card lacks classes, input or width");
        }
        int width;
        DetectorNetwork net;
        try {
            width = Integer.parseInt(card.width);
            DetectorInput.parse(card.input);
            net = new DetectorNetwork(card.classes.size(), width, card.levels == null ? 3 : card.levels);
        } catch (IllegalArgumentException e) {
            throw new IOException(cardFile + ": " + e.getMessage(), e);
        }
        byte[] params = ModelFolder.readParameters(c, PARAMETERS_FILE);
        net.initialize(compute.root(), DataType.FLOAT32, DetectorNetwork.initShape());
        ModelFolder.loadInto(net, params, card, compute.root(), cardFile.toString());
        return new DetectorModel(net, card);
    }

    /**
     * Saves the folder: parameters first, then the card carrying their SHA-256, each atomically; an existing
     * folder is refused unless {@code overwrite}.
     */
    public void save(Path dir, boolean overwrite) throws IOException {
        ModelFolder.save(dir, network, card, overwrite);
    }
}
