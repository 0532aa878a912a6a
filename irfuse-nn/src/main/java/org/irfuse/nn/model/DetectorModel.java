package org.irfuse.nn.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.irfuse.core.io.AtomicFiles;
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
        long n = 0;
        for (Pair<String, Parameter> p : net.getParameters()) {
            n += p.getValue().getArray().size();
        }
        return n;
    }

    /** Loads a detector folder (or the card file inside one), checking the card against the parameters. */
    public static DetectorModel load(Path location, Compute compute) throws IOException {
        Path dir = Files.isRegularFile(location) ? location.toAbsolutePath().getParent() : location;
        Path cardFile = dir.resolve(ModelCard.FILE_NAME);
        if (!Files.isDirectory(dir)) {
            throw new IOException(location + ": detector folder not found");
        }
        if (!Files.isRegularFile(cardFile)) {
            throw new IOException(dir + ": no " + ModelCard.FILE_NAME + " (a detector folder holds the parameters "
                    + "and their card)");
        }
        ModelCard card;
        try {
            card = ModelCard.fromJson(Files.readString(cardFile));
        } catch (IllegalArgumentException e) {
            throw new IOException(cardFile + ": " + e.getMessage(), e);
        }
        if (!ModelCard.FORMAT.equals(card.format) || !ARCHITECTURE.equals(card.architecture)) {
            throw new IOException(cardFile + ": not a detector card (format '" + card.format + "', architecture '"
                    + card.architecture + "'; expected " + ModelCard.FORMAT + ", " + ARCHITECTURE + ")");
        }
        if (card.classes == null || card.classes.isEmpty() || card.input == null || card.width == null) {
            throw new IOException(cardFile + ": detector card lacks classes, input or width");
        }
        int width;
        try {
            width = Integer.parseInt(card.width);
            DetectorInput.parse(card.input);
        } catch (IllegalArgumentException e) {
            throw new IOException(cardFile + ": " + e.getMessage(), e);
        }
        Path paramsFile = dir.resolve(card.parametersFile == null ? PARAMETERS_FILE : card.parametersFile);
        if (!Files.isRegularFile(paramsFile)) {
            throw new IOException(paramsFile + ": parameter file named by the detector card is missing");
        }
        byte[] params = Files.readAllBytes(paramsFile);
        String sha = FusionModel.sha256(params);
        if (card.parametersSha256 != null && !card.parametersSha256.equalsIgnoreCase(sha)) {
            throw new IOException(paramsFile + ": parameter file does not match its card (SHA-256 " + sha
                    + ", card says " + card.parametersSha256 + ")");
        }
        DetectorNetwork net;
        try {
            net = new DetectorNetwork(card.classes.size(), width, card.levels == null ? 3 : card.levels);
        } catch (IllegalArgumentException e) {
            throw new IOException(cardFile + ": " + e.getMessage(), e);
        }
        net.initialize(compute.root(), DataType.FLOAT32, DetectorNetwork.initShape());
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new ByteArrayInputStream(params)))) {
            net.loadParameters(compute.root(), in);
        } catch (MalformedModelException | IOException | RuntimeException e) {
            throw new IOException(paramsFile + ": parameters do not load as the detector the card describes ("
                    + e.getMessage() + ")", e);
        }
        for (Pair<String, Parameter> p : net.getParameters()) {
            p.getValue().getArray().setRequiresGradient(true);
        }
        return new DetectorModel(net, card);
    }

    /**
     * Saves the folder: parameters first, then the card carrying their SHA-256, each atomically; an existing
     * folder is refused unless {@code overwrite}.
     */
    public void save(Path dir, boolean overwrite) throws IOException {
        Path cardFile = dir.resolve(ModelCard.FILE_NAME);
        if (!overwrite && Files.exists(cardFile)) {
            throw new FileAlreadyExistsException(cardFile.toString(), null, "exists; pass --overwrite");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            network.saveParameters(out);
        }
        byte[] params = bytes.toByteArray();
        card.parameters = parameterCount(network);
        card.parametersSha256 = FusionModel.sha256(params);
        Files.createDirectories(dir);
        AtomicFiles.writeBytes(dir.resolve(card.parametersFile), true, params);
        AtomicFiles.writeString(cardFile, true, card.toJson());
    }
}
