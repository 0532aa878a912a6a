package org.irfuse.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.runtime.Compute;
import picocli.CommandLine.Option;

/**
 * Options that several commands take, declared once so each has one name, one description and one default
 * everywhere (issue 12: one meaning per option name). Commands include them with {@code @Mixin}.
 */
public final class SharedOptions {
    /** {@code --ir-dir}: the infrared half of folder mode (inside argument groups, where mixins cannot go). */
    public static final String IR_DIR = "folder of infrared images";
    /** {@code --vis-dir}: the visible half, paired with the infrared images by file name. */
    public static final String VIS_DIR = "folder of visible images, paired with the infrared ones by file name";

    private SharedOptions() {
    }

    /** {@code --threads N}: the CPU threads of the tensor runtime and of the image pipelines. */
    public static final class Threads {
        @Option(names = "--threads", paramLabel = "N", description = "CPU threads (default: all cores)")
        public Integer threads;

        /** The given count, or every core when {@code --threads} is absent. */
        public int count() {
            return threads != null ? threads : Runtime.getRuntime().availableProcessors();
        }
    }

    /** {@code --device auto|cpu|gpu}: where the networks run. */
    public static final class Device {
        @Option(names = "--device", paramLabel = "auto|cpu|gpu", defaultValue = "auto",
                description = "where the networks run: auto (a GPU when libtorch has one), cpu or gpu")
        public String device;
    }

    /** {@code --model default|DIR}: the fusion model of the commands that fuse (FusionModel.load reads both). */
    public static final class Model {
        @Option(names = "--model", paramLabel = "default|DIR", defaultValue = "default",
                description = "the fusion model: a saved model folder, or default (the model shipped in the jar)")
        public Path model;

        public FusionModel load(Compute compute) throws IOException {
            return FusionModel.load(model, compute);
        }
    }

    /** {@code --overwrite}: replace what is already at the output location instead of refusing. */
    public static final class Overwrite {
        @Option(names = "--overwrite",
                description = "replace existing output files instead of refusing to touch them")
        public boolean overwrite;
    }
}
