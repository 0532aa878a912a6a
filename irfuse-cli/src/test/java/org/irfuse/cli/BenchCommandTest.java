package org.irfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code irfuse bench}'s probes print the figures docs/benchmarks.md quotes, with the arithmetic stated. */
class BenchCommandTest {
    @Test
    void copyOnlyReportsTheBytesOfTheLargestConcatenation() {
        CliRun r = CliRun.of("bench", "--copy-only", "--size", "160x120", "--repeats", "3", "--threads", "1",
                "--precision", "fp32");
        assertEquals(0, r.exitCode(), r.err());
        Matcher m = Pattern.compile("concat 96\\+16->112 precision=fp32 threads=1 size=160x120 median_ms=([0-9.]+) "
                + "gb_moved=([0-9.]+) gb_per_s=([0-9.]+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        // 112 channels × 160 × 120 pixels × 4 bytes, read once and written once: 17,203,200 bytes.
        assertEquals("0.017", m.group(2));
        double ms = Double.parseDouble(m.group(1));
        double rate = Double.parseDouble(m.group(3));
        // The median is printed to the microsecond: the rate agrees with it to that rounding.
        double bytes = 2.0 * 112 * 160 * 120 * 4;
        double slack = bytes / 1e9 / ((ms - 0.0005) / 1000) - bytes / 1e9 / (ms / 1000);
        assertEquals(bytes / 1e9 / (ms / 1000), rate, slack + 0.051, "rate = bytes / median (printed to 0.1 GB/s)");
    }

    @Test
    void theTwoProbesExcludeEachOther() {
        CliRun r = CliRun.of("bench", "--copy-only", "--conv-only", "--size", "16x16", "--repeats", "1");
        assertEquals(2, r.exitCode(), r.out());
        assertTrue(r.err().contains("--conv-only, --copy-only are mutually exclusive"), r.err());
    }
}
