package org.irfuse.core.segmentation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The classes of a segmentation dataset: their names and, when the dataset defines one, the RGB colour each class
 * is drawn with in colour-coded label and prediction PNGs (../shared/data/README.md).
 *
 * <p>{@link #MSRS}: MSRS/MFNet, 9 classes 0 unlabelled, 1 car, 2 person, 3 bike, 4 curve, 5 car_stop, 6 guardrail,
 * 7 color_cone, 8 bump, with the MFNet palette. {@link #FMB}: 15 classes, names only (no palette is given for FMB,
 * so FMB predictions must be class-index PNGs).
 */
public final class ClassPalette {
    /** MSRS/MFNet: 9 classes and the MFNet palette used by every paper's colour-coded predictions. */
    public static final ClassPalette MSRS = new ClassPalette("msrs",
            List.of("unlabelled", "car", "person", "bike", "curve", "car_stop", "guardrail", "color_cone", "bump"),
            new int[] {rgb(0, 0, 0), rgb(64, 0, 128), rgb(64, 64, 0), rgb(0, 128, 192), rgb(0, 0, 192),
                rgb(128, 128, 0), rgb(64, 64, 128), rgb(192, 128, 128), rgb(192, 64, 0)});

    /** FMB: 15 classes, 800×600 images; no palette (class-index PNGs only). */
    public static final ClassPalette FMB = new ClassPalette("fmb",
            List.of("unlabelled", "Road", "Sidewalk", "Building", "Traffic Lamp", "Traffic Sign", "Vegetation",
                    "Sky", "Person", "Car", "Truck", "Bus", "Motorcycle", "Bicycle", "Pole"),
            null);

    private final String name;
    private final List<String> classNames;
    private final int[] colours;
    private final Map<Integer, Integer> indexOfColour;

    /**
     * @param colours packed {@code 0xRRGGBB} per class, or {@code null} when the dataset has no palette
     */
    public ClassPalette(String name, List<String> classNames, int[] colours) {
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("a class list needs at least one class");
        }
        if (colours != null && colours.length != classNames.size()) {
            throw new IllegalArgumentException(classNames.size() + " class names but " + colours.length
                    + " palette colours");
        }
        this.name = name;
        this.classNames = List.copyOf(classNames);
        this.colours = colours == null ? null : colours.clone();
        this.indexOfColour = new HashMap<>();
        if (colours != null) {
            for (int i = 0; i < colours.length; i++) {
                Integer previous = indexOfColour.put(colours[i] & 0xffffff, i);
                if (previous != null) {
                    throw new IllegalArgumentException("palette colour " + colourString(colours[i])
                            + " is used by classes " + previous + " and " + i);
                }
            }
        }
    }

    /** {@code n} classes named {@code class0..class(n-1)}, without a palette. */
    public static ClassPalette numbered(int n) {
        if (n < 1 || n > 65536) {
            throw new IllegalArgumentException("number of classes must be 1..65536, got " + n);
        }
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add("class" + i);
        }
        return new ClassPalette(Integer.toString(n), names, null);
    }

    /** {@code msrs} (also {@code mfnet}), {@code fmb}, or a number of classes (the {@code --classes} option). */
    public static ClassPalette forName(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "msrs", "mfnet":
                return MSRS;
            case "fmb":
                return FMB;
            default:
                try {
                    return numbered(Integer.parseInt(s));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("unknown class set '" + spec
                            + "': use msrs, fmb or a number of classes");
                }
        }
    }

    public String name() {
        return name;
    }

    public int size() {
        return classNames.size();
    }

    public List<String> classNames() {
        return classNames;
    }

    public String className(int index) {
        return classNames.get(index);
    }

    public boolean hasColours() {
        return colours != null;
    }

    /** Packed {@code 0xRRGGBB} colour of a class. */
    public int colour(int index) {
        if (colours == null) {
            throw new IllegalStateException("class set '" + name + "' has no palette");
        }
        return colours[index];
    }

    /** All colours, packed {@code 0xRRGGBB} (for {@code ImageWriter.writeIndexedPng}). */
    public int[] colours() {
        if (colours == null) {
            throw new IllegalStateException("class set '" + name + "' has no palette");
        }
        return colours.clone();
    }

    /** The class drawn with this colour, or -1 when no class uses it. */
    public int indexOf(int r, int g, int b) {
        Integer i = indexOfColour.get(rgb(r, g, b));
        return i == null ? -1 : i;
    }

    public static int rgb(int r, int g, int b) {
        return (r & 0xff) << 16 | (g & 0xff) << 8 | (b & 0xff);
    }

    public static String colourString(int packed) {
        return "(" + (packed >> 16 & 0xff) + "," + (packed >> 8 & 0xff) + "," + (packed & 0xff) + ")";
    }

    @Override
    public String toString() {
        return name + " " + classNames + (colours == null ? "" : " palette " + Arrays.toString(
                Arrays.stream(colours).mapToObj(ClassPalette::colourString).toArray()));
    }
}
