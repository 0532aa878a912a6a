package org.irfuse.nn.train;

/**
 * METHOD.md, Schedule 4: linear warm-up to the peak rate over the first 1000 of the release's steps, ×0.1 at 30k
 * and ×0.01 at 40k. Step counts scale with the run length: warm-up over the first 2 % of the steps, decays at
 * 60 % and 80 % (the release's 1k/30k/40k of a 50k-step run).
 */
public record LearningRateSchedule(double peak, long warmupSteps, long firstDecay, long secondDecay) {

    /** The release's schedule scaled to {@code totalSteps}. */
    public static LearningRateSchedule scaled(double peak, long totalSteps) {
        return new LearningRateSchedule(peak, Math.max(1, totalSteps / 50), Math.round(totalSteps * 0.6),
                Math.round(totalSteps * 0.8));
    }

    /** The rate at (1-based) {@code step}. */
    public double at(long step) {
        double base = step <= warmupSteps ? peak * step / warmupSteps : peak;
        if (step > secondDecay) {
            return base * 0.01;
        }
        if (step > firstDecay) {
            return base * 0.1;
        }
        return base;
    }
}
