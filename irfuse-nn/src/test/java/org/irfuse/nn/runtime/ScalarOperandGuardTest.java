package org.irfuse.nn.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the scalar bug of docs/bilevel.md ("Known issues") from coming back: no main class may call a DJL
 * {@code NDArray} method taking a {@code java.lang.Number} ({@code mul(Number)}, {@code div}, {@code add},
 * {@code sub}, {@code maximum}, {@code minimum}, {@code pow}, the in-place forms, …) — the PyTorch engine builds
 * that scalar on a Java buffer and closes it while the autograd graph may still read it — nor {@code cbrt()}, which
 * does the same with 1/3 inside. Only {@link Scalars} may, because it copies the scalar into libtorch's memory.
 * {@code clip(Number, Number)} is allowed: PtNDArray passes its bounds to {@code torch::clamp} as values, no
 * tensor is made.
 *
 * <p>It reads the constant pools of the compiled classes (the methods a class calls are listed there), so it takes
 * milliseconds; the calling method is named with {@code javap} when a violation is found. It checks this
 * module's classes, and irfuse-cli's and irfuse-spark's when they have been compiled (in a full build they are
 * compiled after this module's tests run, so there they are checked from the previous build).
 */
class ScalarOperandGuardTest {
    /** Where DJL's NDArray methods are declared or implemented. */
    private static final Set<String> ARRAY_CLASSES = Set.of("ai/djl/ndarray/NDArray", "ai/djl/ndarray/NDArrays",
            "ai/djl/ndarray/NDArrayAdapter", "ai/djl/pytorch/engine/PtNDArray");
    private static final String ALLOWED_CALLER = "org/irfuse/nn/runtime/Scalars";

    /** A method reference of one class file: owner, name, descriptor. */
    record Ref(String owner, String name, String descriptor) {
        boolean forbidden() {
            if (!ARRAY_CLASSES.contains(owner)) {
                return false;
            }
            if (name.equals("cbrt")) {
                return true;
            }
            String params = descriptor.substring(1, descriptor.indexOf(')'));
            return params.contains("Ljava/lang/Number;") && !name.equals("clip");
        }

        @Override
        public String toString() {
            return owner.replace('/', '.') + "." + name + descriptor;
        }
    }

    /** The method references (Methodref, InterfaceMethodref) in a class file's constant pool. */
    static List<Ref> methodRefs(InputStream classFile) throws IOException {
        DataInputStream in = new DataInputStream(classFile);
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classNameIndex = new int[count];
        int[][] refs = new int[count][];
        int[][] nameAndType = new int[count][];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7 -> classNameIndex[i] = in.readUnsignedShort();
                case 8, 16, 19, 20 -> in.readUnsignedShort();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++; // 8-byte constants take two entries (JVMS 4.4.5)
                }
                case 9 -> in.skipBytes(4);
                case 10, 11 -> refs[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                case 12 -> nameAndType[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                case 15 -> in.skipBytes(3);
                case 17, 18 -> in.skipBytes(4);
                default -> throw new IOException("unknown constant pool tag " + tag + " at entry " + i);
            }
        }
        List<Ref> out = new ArrayList<>();
        for (int[] r : refs) {
            if (r != null) {
                int[] nt = nameAndType[r[1]];
                out.add(new Ref(utf8[classNameIndex[r[0]]], utf8[nt[0]], utf8[nt[1]]));
            }
        }
        return out;
    }

    /** The compiled main classes to check: this module's, and those of the modules after it when present. */
    private static List<Path> classRoots() throws URISyntaxException {
        Path nn = Path.of(Scalars.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Path> roots = new ArrayList<>(List.of(nn));
        Path project = nn.getParent().getParent().getParent();
        for (String module : List.of("irfuse-cli", "irfuse-spark")) {
            Path p = project.resolve(module).resolve("target/classes");
            if (Files.isDirectory(p)) {
                roots.add(p);
            }
        }
        return roots;
    }

    /** The methods of {@code classFile} whose code calls {@code ref}, from javap's disassembly. */
    private static String callers(Path classFile, Ref ref) {
        Optional<ToolProvider> javap = ToolProvider.findFirst("javap");
        if (javap.isEmpty()) {
            return "(javap unavailable: see the class's calls to " + ref.name() + ")";
        }
        StringWriter text = new StringWriter();
        javap.get().run(new PrintWriter(text), new PrintWriter(new StringWriter()), "-c", "-p",
                classFile.toString());
        Set<String> methods = new TreeSet<>();
        String current = "?";
        String call = ref.owner() + "." + ref.name() + ":" + ref.descriptor();
        for (String line : text.toString().split("\n")) {
            if (line.startsWith("  ") && !line.startsWith("   ") && line.contains("(")) {
                current = line.trim();
            } else if (line.contains(call)) {
                methods.add(current);
            }
        }
        return String.join("; ", methods);
    }

    @Test
    void onlyScalarsCallsNdArrayMethodsTakingANumber() throws Exception {
        List<String> violations = new ArrayList<>();
        int classes = 0;
        for (Path root : classRoots()) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(root)) {
                files = walk.filter(p -> p.toString().endsWith(".class")).sorted().toList();
            }
            for (Path f : files) {
                classes++;
                String name = root.relativize(f).toString().replace('\\', '/').replaceAll("\\.class$", "");
                if (name.equals(ALLOWED_CALLER)) {
                    continue;
                }
                List<Ref> refs;
                try (InputStream in = Files.newInputStream(f)) {
                    refs = methodRefs(in);
                }
                for (Ref r : refs) {
                    if (r.forbidden()) {
                        violations.add(name.replace('/', '.') + " calls " + r + " in " + callers(f, r));
                    }
                }
            }
        }
        assertTrue(classes > 100, "only " + classes + " class files found under " + classRoots());
        assertTrue(violations.isEmpty(), "NDArray arithmetic with a Java number outside runtime/Scalars (DJL puts "
                + "the scalar on Java memory and frees it while backward may still read it; use Scalars.mul(x, k) "
                + "& co.):\n  " + String.join("\n  ", violations));
    }

    /** The reader finds a forbidden call in a class known to make one (this test's own fixture below). */
    @Test
    void theReaderSeesACallToMulWithANumber() throws Exception {
        Path self = Path.of(Fixture.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(Fixture.class.getName().replace('.', '/') + ".class");
        List<Ref> refs;
        try (InputStream in = Files.newInputStream(self)) {
            refs = methodRefs(in);
        }
        List<Ref> bad = refs.stream().filter(Ref::forbidden).toList();
        assertTrue(bad.size() == 2 && bad.stream().anyMatch(r -> r.name().equals("mul"))
                && bad.stream().anyMatch(r -> r.name().equals("cbrt")), "found " + bad + " among " + refs);
        String where = callers(self, bad.get(0));
        assertTrue(where.contains("halfOf") || where.contains("cubeRoot"), where);
    }

    /** A class calling what the guard forbids (test code: not checked by the guard itself). */
    static final class Fixture {
        static ai.djl.ndarray.NDArray halfOf(ai.djl.ndarray.NDArray x) {
            return x.mul(0.5).clip(0, 1);
        }

        static ai.djl.ndarray.NDArray cubeRoot(ai.djl.ndarray.NDArray x) {
            return x.cbrt();
        }
    }
}
