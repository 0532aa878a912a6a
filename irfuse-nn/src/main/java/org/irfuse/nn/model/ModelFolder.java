package org.irfuse.nn.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.irfuse.core.io.AtomicFiles;

/**
 * The one implementation of a saved model's folder — a parameter file (DJL format) plus {@code model-card.json}
 * carrying its SHA-256 — used by {@link FusionModel}: reading and checking the card,
 * loading parameters into an initialised network (checking every shape, since DJL's loader accepts any), and
 * saving atomically.
 */
public final class ModelFolder {
    private ModelFolder() {
    }

    /** A card read from a folder, with the folder it came from. */
    public record CardFile(Path dir, Path file, ModelCard card) {
    }

    /** Reads the card of a model folder (or of the card file itself); {@code what} names the kind in messages. */
    public static CardFile readCard(Path location, String what) throws IOException {
        Path dir = Files.isRegularFile(location) ? location.toAbsolutePath().getParent() : location;
        if (!Files.isDirectory(dir)) {
            throw new IOException(location + ": " + what + " folder not found");
        }
        Path cardFile = dir.resolve(ModelCard.FILE_NAME);
        if (!Files.isRegularFile(cardFile)) {
            throw new IOException(dir + ": no " + ModelCard.FILE_NAME + " (a " + what + " folder holds the "
                    + "parameters and their card)");
        }
        try {
            ModelCard card = ModelCard.fromJson(Files.readString(cardFile));
            if (!ModelCard.FORMAT.equals(card.format)) {
                throw new IOException(cardFile + ": unsupported model format '" + card.format + "' (expected "
                        + ModelCard.FORMAT + ")");
            }
            return new CardFile(dir, cardFile, card);
        } catch (IllegalArgumentException e) {
            throw new IOException(cardFile + ": " + e.getMessage(), e);
        }
    }

    /** The parameter file the card names, checked against the card's SHA-256. */
    public static byte[] readParameters(CardFile c, String defaultName) throws IOException {
        Path params = c.dir().resolve(c.card().parametersFile == null ? defaultName : c.card().parametersFile);
        if (!Files.isRegularFile(params)) {
            throw new IOException(params + ": parameter file named by the model card is missing");
        }
        byte[] bytes = Files.readAllBytes(params);
        checkDigest(bytes, c.card(), params.toString());
        return bytes;
    }

    public static void checkDigest(byte[] params, ModelCard card, String origin) throws IOException {
        String sha = sha256(params);
        // Every saved card carries the digest; one without it cannot vouch for its parameters (hand-made or cut).
        if (card.parametersSha256 == null || card.parametersSha256.isBlank()) {
            throw new IOException(origin + ": model card has no parametersSha256, so its parameter file cannot be "
                    + "checked; save the model again with irfuse");
        }
        if (!card.parametersSha256.equalsIgnoreCase(sha)) {
            throw new IOException(origin + ": parameter file does not match its card (SHA-256 " + sha
                    + ", card says " + card.parametersSha256 + ")");
        }
    }

    /**
     * Loads parameters into an initialised network, checks that every shape is the one the network was built with
     * and that the count matches the card, and re-enables gradients (DJL's loader drops them) for fine-tuning.
     */
    public static void loadInto(Block net, byte[] params, ModelCard card, NDManager manager, String origin)
            throws IOException {
        List<Shape> expected = shapes(net);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new ByteArrayInputStream(params)))) {
            net.loadParameters(manager, in);
        } catch (MalformedModelException | IOException | RuntimeException e) {
            throw new IOException(origin + ": parameters do not load into the network the card describes ("
                    + e.getMessage() + ")", e);
        }
        if (!expected.equals(shapes(net))) {
            throw new IOException(origin + ": parameters do not have the shapes of the network the card describes "
                    + "(is the card's width right?)");
        }
        long count = parameterCount(net);
        if (card.parameters != 0 && card.parameters != count) {
            throw new IOException(origin + ": card says " + card.parameters + " parameters, file holds " + count);
        }
        String bad = nonFinite(net);
        if (bad != null) {
            throw new IOException(origin + ": parameters hold " + bad + "; such a model fuses to garbage (was it "
                    + "saved from a diverged run?)");
        }
        for (Pair<String, Parameter> p : net.getParameters()) {
            p.getValue().getArray().setRequiresGradient(true);
        }
    }

    /**
     * Saves parameters first, then the card carrying their count and SHA-256, each atomically; an existing card is
     * refused unless {@code overwrite}.
     */
    public static void save(Path dir, Block net, ModelCard card, boolean overwrite) throws IOException {
        Path cardFile = dir.resolve(ModelCard.FILE_NAME);
        if (!overwrite && Files.exists(cardFile)) {
            throw new FileAlreadyExistsException(cardFile.toString(), null, "exists; pass --overwrite");
        }
        String bad = nonFinite(net);
        if (bad != null) {
            throw new IOException(dir + ": not saved, the parameters hold " + bad + " (training diverged; lower "
                + "--lr)");
        }
        byte[] params = parameterBytes(net);
        card.parameters = parameterCount(net);
        card.parametersSha256 = sha256(params);
        card.irfuseVersion = org.irfuse.core.Version.get();
        Files.createDirectories(dir);
        AtomicFiles.writeBytes(dir.resolve(card.parametersFile), true, params);
        AtomicFiles.writeString(cardFile, true, card.toJson());
    }

    public static byte[] parameterBytes(Block net) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            net.saveParameters(out);
        }
        return bytes.toByteArray();
    }

    /**
     * Describes the non-finite values among the parameters ({@code "3 NaN/infinite values (first in 'x')"}), or
     * null when every value is finite. A NaN parameter turns every output pixel into NaN, which 8-bit writers
     * silently map to black.
     */
    public static String nonFinite(Block net) {
        long count = 0;
        String first = null;
        for (Pair<String, Parameter> p : net.getParameters()) {
            if (p.getValue().getArray() == null) {
                continue;
            }
            ai.djl.ndarray.NDArray a = p.getValue().getArray();
            float[] v;
            if (a.getDataType() == ai.djl.ndarray.types.DataType.FLOAT32) {
                v = a.toFloatArray();
            } else {
                try (ai.djl.ndarray.NDArray f = a.toType(ai.djl.ndarray.types.DataType.FLOAT32, true)) {
                    v = f.toFloatArray();
                }
            }
            for (float x : v) {
                if (!Float.isFinite(x)) {
                    count++;
                    if (first == null) {
                        first = p.getKey();
                    }
                }
            }
        }
        return count == 0 ? null : count + " NaN/infinite value(s) (first in '" + first + "')";
    }

    public static long parameterCount(Block net) {
        long n = 0;
        for (Pair<String, Parameter> p : net.getParameters()) {
            n += p.getValue().getArray().size();
        }
        return n;
    }

    /** The shapes of the network's parameters, in order (DJL's loader does not check them). */
    public static List<Shape> shapes(Block net) {
        List<Shape> out = new ArrayList<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            out.add(p.getValue().getArray().getShape());
        }
        return out;
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
