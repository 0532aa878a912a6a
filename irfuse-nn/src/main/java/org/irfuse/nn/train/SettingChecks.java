package org.irfuse.nn.train;

/**
 * The one place training settings are range-checked: every trainer's {@code Config.validate()} uses it, whether
 * the value came from an option, a config file or code, so {@code --steps 0}, {@code --batch 0}, {@code --lr -1}
 * or {@code --checkpoint-every 0} are refused with the option's name before a run folder is touched (they saved a
 * random model or ended in a division by zero). Messages name the option as the CLI spells it.
 */
public final class SettingChecks {
    private SettingChecks() {
    }

    public static void atLeast(String option, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException("--" + option + " must be at least " + min + ", got " + value);
        }
    }

    /** A finite value above zero (learning rates). */
    public static void positive(String option, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("--" + option + " must be a positive number, got " + value);
        }
    }

    /** A finite value at or above zero (weight decay, clipping where 0 means off). */
    public static void notNegative(String option, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("--" + option + " must be 0 or positive, got " + value);
        }
    }

    /**
     * A training precision as the user wrote it: fp32, bf16 or auto (resolved before a run starts and stored
     * resolved, so a resumed run keeps the precision it started with on any machine).
     */
    public static void precision(String precision) {
        if (!"fp32".equals(precision) && !"bf16".equals(precision) && !"auto".equals(precision)) {
            throw new IllegalArgumentException("--precision must be fp32, bf16 or auto, got '" + precision + "'");
        }
    }

    public static void crop(int min, int max) {
        if (min < 8 || max < min) {
            throw new IllegalArgumentException("--crop must be MIN:MAX with 8 <= MIN <= MAX, got " + min + ":"
                    + max);
        }
    }

    /** Steps, batch and the three intervals every trainer has. */
    public static void schedule(long steps, int batch, int checkpointEvery, int logEvery, int sampleEvery) {
        atLeast("steps", steps, 1);
        atLeast("batch", batch, 1);
        atLeast("checkpoint-every", checkpointEvery, 1);
        atLeast("log-every", logEvery, 1);
        atLeast("sample-every", sampleEvery, 1);
    }
}
