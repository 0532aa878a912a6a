package org.irfuse.core.align;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.Locale;

/**
 * The map from the target (visible) pixel grid to source (infrared) pixel positions:
 * {@code src(x, y) = A·(x, y, 1)ᵀ + d(x, y)}, with {@code A} an {@link AffineTransform} and {@code d} an optional
 * {@link DisplacementField}. Warping the source with it ({@link #warp}) gives the source image on the target grid.
 * Serialised as JSON ({@link #toJson}, {@link #fromJson}); floats round-trip exactly.
 */
public final class Transform {
    /** The format tag written into and required from JSON files. */
    public static final String FORMAT = "irfuse-transform/1";

    /**
     * What a transform may model, from the most constrained: none (identity, or a plain resize when the sizes
     * differ), translation, affine, deformable (affine plus a smooth displacement field).
     */
    public enum Model {
        NONE, TRANSLATION, AFFINE, DEFORMABLE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Model parse(String s) {
            for (Model m : values()) {
                if (m.id().equals(s.toLowerCase(Locale.ROOT))) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown alignment model '" + s
                    + "'; expected none, translation, affine or deformable");
        }
    }

    private final Model model;
    private final int targetWidth;
    private final int targetHeight;
    private final int sourceWidth;
    private final int sourceHeight;
    private final AffineTransform affine;
    private final DisplacementField field;

    public Transform(Model model, int targetWidth, int targetHeight, int sourceWidth, int sourceHeight,
            AffineTransform affine, DisplacementField field) {
        if (targetWidth <= 0 || targetHeight <= 0 || sourceWidth <= 0 || sourceHeight <= 0) {
            throw new IllegalArgumentException("sizes must be positive");
        }
        this.model = model;
        this.targetWidth = targetWidth;
        this.targetHeight = targetHeight;
        this.sourceWidth = sourceWidth;
        this.sourceHeight = sourceHeight;
        this.affine = affine;
        this.field = field;
    }

    /** No alignment: the identity, or the plain resize from the source size to the target size. */
    public static Transform none(int targetWidth, int targetHeight, int sourceWidth, int sourceHeight) {
        return new Transform(Model.NONE, targetWidth, targetHeight, sourceWidth, sourceHeight,
                AffineTransform.resize(sourceWidth, sourceHeight, targetWidth, targetHeight), null);
    }

    public Model model() {
        return model;
    }

    public int targetWidth() {
        return targetWidth;
    }

    public int targetHeight() {
        return targetHeight;
    }

    public int sourceWidth() {
        return sourceWidth;
    }

    public int sourceHeight() {
        return sourceHeight;
    }

    public AffineTransform affine() {
        return affine;
    }

    /** The displacement field, or null for a global model. */
    public DisplacementField field() {
        return field;
    }

    public double mapX(double x, double y) {
        return affine.applyX(x, y) + (field == null ? 0 : field.dxAt(x, y));
    }

    public double mapY(double x, double y) {
        return affine.applyY(x, y) + (field == null ? 0 : field.dyAt(x, y));
    }

    /** The source coordinates of every target pixel: {@code {xs, ys}}, row-major over the target grid. */
    float[][] coordinates() {
        int w = targetWidth;
        float[] xs = new float[w * targetHeight];
        float[] ys = new float[w * targetHeight];
        Parallel.rows(targetHeight, y -> {
            for (int x = 0; x < w; x++) {
                xs[y * w + x] = (float) mapX(x, y);
                ys[y * w + x] = (float) mapY(x, y);
            }
        });
        return new float[][] {xs, ys};
    }

    /**
     * The smallest Jacobian determinant of the map over the target grid (finite differences between neighbouring
     * pixels): positive means the map does not fold; a deformable map far below the affine part's determinant
     * compresses a region to nearly nothing, which no lens or rig does.
     */
    public double minJacobian() {
        if (field == null) {
            return affine.determinant();
        }
        float[][] c = coordinates();
        int w = targetWidth;
        int h = targetHeight;
        double m = Double.POSITIVE_INFINITY;
        for (int y = 0; y + 1 < h; y++) {
            for (int x = 0; x + 1 < w; x++) {
                int i = y * w + x;
                double xx = c[0][i + 1] - c[0][i];
                double xy = c[0][i + w] - c[0][i];
                double yx = c[1][i + 1] - c[1][i];
                double yy = c[1][i + w] - c[1][i];
                m = Math.min(m, xx * yy - xy * yx);
            }
        }
        return m;
    }

    /** A source image brought onto the target grid, and where it holds source data (1) or none (0). */
    public record Warped(org.irfuse.core.image.Image image, org.irfuse.core.image.Image mask) {
    }

    /**
     * Samples {@code source} (any channel count, {@code sourceWidth × sourceHeight}) at the mapped position of every
     * target pixel, bilinearly. A target pixel holds data when its position falls inside the source pixel area and
     * every source pixel that the bilinear sample weighs is valid in {@code sourceValid} (1 valid, 0 not; null:
     * all valid); elsewhere the output is 0 and the mask 0.
     */
    public Warped warp(org.irfuse.core.image.Image source, float[] sourceValid) {
        if (source.width() != sourceWidth || source.height() != sourceHeight) {
            throw new IllegalArgumentException("source is " + source.sizeString() + ", the transform expects "
                    + sourceWidth + "x" + sourceHeight);
        }
        float[][] c = coordinates();
        int n = targetWidth * targetHeight;
        float[] mask = new float[n];
        FloatGrid valid = sourceValid == null ? null : new FloatGrid(sourceWidth, sourceHeight, sourceValid);
        Parallel.rows(targetHeight, y -> {
            for (int x = 0; x < targetWidth; x++) {
                int i = y * targetWidth + x;
                mask[i] = Warping.holdsData(c[0][i], c[1][i], sourceWidth, sourceHeight, valid) ? 1f : 0f;
            }
        });
        int channels = source.channels();
        float[] out = new float[channels * n];
        int sn = source.pixels();
        for (int ch = 0; ch < channels; ch++) {
            float[] plane = java.util.Arrays.copyOfRange(source.data(), ch * sn, (ch + 1) * sn);
            FloatGrid g = new FloatGrid(sourceWidth, sourceHeight, plane);
            int off = ch * n;
            Parallel.rows(targetHeight, y -> {
                for (int x = 0; x < targetWidth; x++) {
                    int i = y * targetWidth + x;
                    out[off + i] = mask[i] > 0 ? g.sampleClamped(c[0][i], c[1][i]) : 0f;
                }
            });
        }
        return new Warped(new org.irfuse.core.image.Image(targetWidth, targetHeight, channels, out),
                org.irfuse.core.image.Image.gray(targetWidth, targetHeight, mask));
    }

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /** The JSON tree of this transform (callers may add members, e.g. a quality report). */
    public JsonObject toJsonTree() {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("model", model.id());
        o.addProperty("convention", "maps target (visible) pixel (x, y), pixel centres at integers, to the source "
                + "(infrared) position A.(x, y, 1) + d(x, y); d is bilinear between grid nodes at "
                + "((i + 0.5)*stride - 0.5, (j + 0.5)*stride - 0.5), clamped outside them");
        o.add("target", size(targetWidth, targetHeight));
        o.add("source", size(sourceWidth, sourceHeight));
        JsonArray a = new JsonArray();
        JsonArray r0 = new JsonArray();
        JsonArray r1 = new JsonArray();
        r0.add(affine.a());
        r0.add(affine.b());
        r0.add(affine.c());
        r1.add(affine.d());
        r1.add(affine.e());
        r1.add(affine.f());
        a.add(r0);
        a.add(r1);
        o.add("affine", a);
        if (field != null) {
            JsonObject fo = new JsonObject();
            fo.addProperty("stride", field.stride());
            fo.addProperty("width", field.gridWidth());
            fo.addProperty("height", field.gridHeight());
            fo.add("dx", floats(field.dxGrid().v()));
            fo.add("dy", floats(field.dyGrid().v()));
            o.add("field", fo);
        }
        return o;
    }

    public String toJson() {
        return GSON.toJson(toJsonTree()) + "\n";
    }

    /**
     * Reads a transform written by {@link #toJson}; other members are ignored.
     *
     * @throws IllegalArgumentException naming what is missing or inconsistent
     */
    public static Transform fromJson(String json) {
        JsonObject o;
        try {
            o = JsonParser.parseString(json).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a JSON object (" + e.getMessage() + ")");
        }
        try {
            if (!o.has("format") || !FORMAT.equals(o.get("format").getAsString())) {
                throw new IllegalArgumentException("not an irfuse transform (\"format\" must be \"" + FORMAT + "\")");
            }
            JsonObject t = o.getAsJsonObject("target");
            JsonObject s = o.getAsJsonObject("source");
            JsonArray a = o.getAsJsonArray("affine");
            JsonArray r0 = a.get(0).getAsJsonArray();
            JsonArray r1 = a.get(1).getAsJsonArray();
            AffineTransform affine = new AffineTransform(r0.get(0).getAsDouble(), r0.get(1).getAsDouble(),
                    r0.get(2).getAsDouble(), r1.get(0).getAsDouble(), r1.get(1).getAsDouble(),
                    r1.get(2).getAsDouble());
            DisplacementField field = null;
            if (o.has("field") && !o.get("field").isJsonNull()) {
                JsonObject fo = o.getAsJsonObject("field");
                int gw = fo.get("width").getAsInt();
                int gh = fo.get("height").getAsInt();
                float[] dx = readFloats(fo.getAsJsonArray("dx"), gw * gh, "dx");
                float[] dy = readFloats(fo.getAsJsonArray("dy"), gw * gh, "dy");
                field = new DisplacementField(fo.get("stride").getAsInt(), gw, gh, dx, dy);
            }
            return new Transform(Model.parse(o.get("model").getAsString()), t.get("width").getAsInt(),
                    t.get("height").getAsInt(), s.get("width").getAsInt(), s.get("height").getAsInt(), affine,
                    field);
        } catch (NullPointerException | IllegalStateException | UnsupportedOperationException
                | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("malformed transform JSON (" + e + ")");
        }
    }

    private static JsonObject size(int w, int h) {
        JsonObject o = new JsonObject();
        o.addProperty("width", w);
        o.addProperty("height", h);
        return o;
    }

    private static JsonArray floats(float[] v) {
        JsonArray a = new JsonArray(v.length);
        for (float f : v) {
            a.add(f);
        }
        return a;
    }

    private static float[] readFloats(JsonArray a, int n, String name) {
        if (a == null || a.size() != n) {
            throw new IllegalArgumentException("field." + name + " must hold " + n + " values, has "
                    + (a == null ? 0 : a.size()));
        }
        float[] v = new float[n];
        int i = 0;
        for (JsonElement e : a) {
            v[i++] = e.getAsFloat();
        }
        return v;
    }
}
