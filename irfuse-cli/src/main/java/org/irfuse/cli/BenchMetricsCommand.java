package org.irfuse.cli;

import java.util.concurrent.Callable;
import org.irfuse.core.metrics.MetricsBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code irfuse bench-metrics [profile]}: metric time per 640×480 triple (docs/benchmarks.md). */
@Command(name = "bench-metrics", mixinStandardHelpOptions = true,
        description = "Time all metrics of a profile on one 640x480 triple (1 thread) and on 50 (2 threads), "
                + "using the MSRS pairs of ../shared/data.")
public final class BenchMetricsCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", defaultValue = "cddfuse", description = "profile (default: cddfuse)")
    String profile;

    @Override
    public Integer call() throws Exception {
        MetricsBenchmark.main(new String[] {profile});
        return 0;
    }
}
