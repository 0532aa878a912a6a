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
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.irfuse.core.io.AtomicFiles;
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
        long n = 0;
        for (Pair<String, Parameter> p : net.getParameters()) {
            n += p.getValue().getArray().size();
        }
        return n;
    }

    /** Loads a model folder (or a card file inside one), checking the card against the parameters. */
    public static FusionModel load(Path location, Compute compute) throws IOException {
        Path dir = Files.isRegularFile(location) ? location.toAbsolutePath().getParent() : location;
        Path cardFile = dir.resolve(ModelCard.FILE_NAME);
        if (!Files.isDirectory(dir)) {
            throw new IOException(location + ": model folder not found");
        }
        if (!Files.isRegularFile(cardFile)) {
            throw new IOException(dir + ": no " + ModelCard.FILE_NAME + " (a model folder holds the parameters "
                    + "and their card)");
        }
        ModelCard card;
        try {
            card = ModelCard.fromJson(Files.readString(cardFile));
        } catch (IllegalArgumentException e) {
            throw new IOException(cardFile + ": " + e.getMessage(), e);
        }
        Path params = dir.resolve(card.parametersFile == null ? "fusion.params" : card.parametersFile);
        if (!Files.isRegularFile(params)) {
            throw new IOException(params + ": parameter file named by the model card is missing");
        }
        return fromBytes(Files.readAllBytes(params), card, cardFile.toString(), compute);
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
                        + "); pass --model DIR");
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
        String sha = sha256(params);
        if (card.parametersSha256 != null && !card.parametersSha256.equalsIgnoreCase(sha)) {
            throw new IOException(origin + ": parameter file does not match its card (SHA-256 " + sha
                    + ", card says " + card.parametersSha256 + ")");
        }
        FusionNetwork net = new FusionNetwork(width);
        net.initialize(compute.root(), DataType.FLOAT32, FusionNetwork.initShape());
        java.util.List<ai.djl.ndarray.types.Shape> expected = shapes(net);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new ByteArrayInputStream(params)))) {
            net.loadParameters(compute.root(), in);
        } catch (MalformedModelException | IOException | RuntimeException e) {
            throw new IOException(origin + ": parameters do not load as a '" + width.id() + "' fusion network ("
                    + e.getMessage() + ")", e);
        }
        // DJL's loader replaces arrays whatever their shape, so check the architecture ourselves.
        if (!expected.equals(shapes(net))) {
            throw new IOException(origin + ": parameters do not have the shapes of a '" + width.id()
                    + "' fusion network (is the card's width right?)");
        }
        long count = parameterCount(net);
        if (card.parameters != 0 && card.parameters != count) {
            throw new IOException(origin + ": card says " + card.parameters + " parameters, file holds " + count);
        }
        for (Pair<String, Parameter> p : net.getParameters()) {
            p.getValue().getArray().setRequiresGradient(true);
        }
        return new FusionModel(net, card);
    }

    static java.util.List<ai.djl.ndarray.types.Shape> shapes(FusionNetwork net) {
        java.util.List<ai.djl.ndarray.types.Shape> out = new java.util.ArrayList<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            out.add(p.getValue().getArray().getShape());
        }
        return out;
    }

    /** The parameters in DJL's format, as bytes. */
    public byte[] parameterBytes() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            network.saveParameters(out);
        }
        return bytes.toByteArray();
    }

    /**
     * Saves the model folder: parameters first, then the card carrying their SHA-256, each written atomically; an
     * existing folder is refused unless {@code overwrite}.
     */
    public void save(Path dir, boolean overwrite) throws IOException {
        Path cardFile = dir.resolve(ModelCard.FILE_NAME);
        if (!overwrite && Files.exists(cardFile)) {
            throw new FileAlreadyExistsException(cardFile.toString(), null, "exists; pass --overwrite");
        }
        byte[] params = parameterBytes();
        card.width = network.width().id();
        card.parameters = parameterCount(network);
        card.parametersSha256 = sha256(params);
        Files.createDirectories(dir);
        AtomicFiles.writeBytes(dir.resolve(card.parametersFile), true, params);
        AtomicFiles.writeString(cardFile, true, card.toJson());
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
