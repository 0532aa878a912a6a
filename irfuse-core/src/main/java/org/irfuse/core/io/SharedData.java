package org.irfuse.core.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Locates the shared real-data folder ({@code ../shared/data} beside the project: RoadScene, TNO, VIFB, MSRS,
 * M3FD, LLVIP and the reference metric tables). It is never copied into the project; tests, benchmarks and
 * experiments find it here and skip with a message when it is absent.
 *
 * <p>Lookup order: system property {@code irfuse.shared}, environment {@code IRFUSE_SHARED}, then
 * {@code ../shared} from the working directory and its parents (tests run inside a module folder).
 */
public final class SharedData {
    private SharedData() {
    }

    /** The {@code shared/data} folder, if present. */
    public static Optional<Path> data() {
        return folder("data");
    }

    /**
     * The {@code shared/models} folder (pretrained YOLOv5n and MFNet weights as .npz, golden outputs), if present;
     * found the same way as {@link #data()}.
     */
    public static Optional<Path> models() {
        return folder("models");
    }

    /** A file of the shared models folder, if present (e.g. {@code "yolov5n_coco.npz"}). */
    public static Optional<Path> model(String relative) {
        return models().map(d -> d.resolve(relative)).filter(Files::exists);
    }

    /** The message tests print when they skip for lack of the shared models. */
    public static String missingModelMessage(String relative) {
        return "skipped: ../shared/models/" + relative + " is absent (pretrained weights are never in the "
                + "repository; set -Dirfuse.shared=/path/to/shared to point at the folder holding models/)";
    }

    private static Optional<Path> folder(String name) {
        for (String candidate : new String[] {System.getProperty("irfuse.shared"), System.getenv("IRFUSE_SHARED")}) {
            if (candidate != null && !candidate.isBlank()) {
                Path p = Path.of(candidate).resolve(name);
                if (Files.isDirectory(p)) {
                    return Optional.of(p.toAbsolutePath().normalize());
                }
            }
        }
        Path dir = Path.of("").toAbsolutePath();
        for (int up = 0; up < 3 && dir != null; up++, dir = dir.getParent()) {
            Path p = dir.resolveSibling("shared").resolve(name);
            if (Files.isDirectory(p)) {
                return Optional.of(p.normalize());
            }
        }
        return Optional.empty();
    }

    /** A sub-folder or file of the shared data, if present (e.g. {@code "tno/ir"}). */
    public static Optional<Path> resolve(String relative) {
        return data().map(d -> d.resolve(relative)).filter(Files::exists);
    }

    /** The message tests print when they skip for lack of the shared data. */
    public static String missingMessage(String relative) {
        return "skipped: ../shared/data/" + relative + " is absent (the shared real-data folder is not beside "
                + "this checkout; set -Dirfuse.shared=/path/to/shared to point at it)";
    }
}
