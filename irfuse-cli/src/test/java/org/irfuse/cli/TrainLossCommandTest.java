package org.irfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.irfuse.core.io.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code irfuse train --loss}: a short warm start on real MSRS pairs with the SeAFusion terms logs each term and
 * stores the spec; --resume holds the run to it; a bad spec is one line naming --loss; a run from before the
 * option existed (no {@code loss} in its config.json) still resumes with the default.
 */
class TrainLossCommandTest {
    @TempDir
    Path tmp;

    private Path pairs() throws Exception {
        Optional<Path> msrs = SharedData.resolve("msrs");
        assumeTrue(msrs.isPresent(), SharedData.missingMessage("msrs"));
        if (Files.isDirectory(tmp.resolve("pairs"))) {
            return tmp.resolve("pairs");
        }
        for (String id : List.of("00001D", "00633D")) {
            for (String d : List.of("ir", "vi")) {
                Files.createDirectories(tmp.resolve("pairs").resolve(d));
                Files.copy(msrs.get().resolve(d).resolve(id + ".png"), tmp.resolve("pairs").resolve(d)
                        .resolve(id + ".png"));
            }
        }
        return tmp.resolve("pairs");
    }

    private String[] train(Path run, String... extra) throws Exception {
        List<String> a = new ArrayList<>(List.of("train", "--data", pairs().toString(), "--width", "nano",
                "--steps", "4", "--batch", "1", "--crop", "32:48", "--checkpoint-every", "2", "--log-every", "1",
                "--threads", "1", "--seed", "3", "--run-dir", run.toString()));
        a.addAll(List.of(extra));
        return a.toArray(new String[0]);
    }

    private static List<JsonObject> log(Path run) throws Exception {
        return Files.readAllLines(run.resolve("log.jsonl")).stream()
                .map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }

    private static JsonObject config(Path run) throws Exception {
        return JsonParser.parseString(Files.readString(run.resolve("config.json"))).getAsJsonObject();
    }

    @Test
    void aWarmStartWithTheSeafusionTermsLogsEachTermAndKeepsTheSpec() throws Exception {
        Path run = tmp.resolve("run");
        CliRun r = CliRun.of(train(run, "--loss", "saliency=1,intensity=1.0,texture=1"));
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("saliency=1,intensity=1,texture=1", config(run).get("loss").getAsString());
        List<JsonObject> rows = log(run);
        assertEquals(4, rows.size());
        for (JsonObject row : rows) {
            double sum = 0;
            for (String term : List.of("saliency", "intensity", "texture")) {
                double v = row.get("loss." + term).getAsDouble();
                assertTrue(v > 0 && Double.isFinite(v), term + " " + v);
                sum += v;
            }
            // All weights 1: the logged total is the sum of the logged terms (float32 arithmetic).
            assertEquals(sum, row.get("loss.fusion").getAsDouble(), 1e-5 * sum);
        }
        // The HTML report reads the extra keys as curves.
        CliRun report = CliRun.of("report", "run", "--run-dir", run.toString(), "-o",
                tmp.resolve("report.html").toString());
        assertEquals(0, report.exitCode(), report.err());
        assertTrue(Files.readString(tmp.resolve("report.html")).contains("loss.texture"));

        // --resume with another loss is refused, naming the setting.
        CliRun other = CliRun.of(train(run, "--resume", "--loss", "saliency=1"));
        assertEquals(2, other.exitCode());
        assertTrue(other.err().contains("cannot resume") && other.err().contains(
                "loss \"saliency=1,intensity=1,texture=1\" -> \"saliency=1\""), other.err());
    }

    @Test
    void theDefaultLogsNoTermsAndOldRunsWithoutTheSettingStillResume() throws Exception {
        Path run = tmp.resolve("old");
        CliRun r = CliRun.of(train(run));
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("saliency=1", config(run).get("loss").getAsString());
        assertFalse(log(run).get(0).has("loss.saliency"), "a single term is loss.fusion itself");
        // A run folder written before --loss existed: no "loss" in config.json. Its loss was the default.
        JsonObject cfg = config(run);
        cfg.remove("loss");
        Files.writeString(run.resolve("config.json"), cfg.toString());
        CliRun changed = CliRun.of(train(run, "--resume", "--loss", "saliency=1,texture=1"));
        assertEquals(2, changed.exitCode());
        assertTrue(changed.err().contains("loss null -> \"saliency=1,texture=1\""), changed.err());
        CliRun same = CliRun.of(train(run, "--resume"));
        assertEquals(0, same.exitCode(), same.err());
        assertEquals("saliency=1", config(run).get("loss").getAsString());
    }

    @Test
    void badSpecsAreOneLineErrorsBeforeAnyRunFolder() throws Exception {
        Path run = tmp.resolve("bad");
        CliRun unknown = CliRun.of(train(run, "--loss", "saliency=1,edge=1"));
        assertEquals(2, unknown.exitCode());
        assertEquals("irfuse: error: --loss: unknown term 'edge' (known: saliency, intensity, texture)",
                unknown.err().strip());
        CliRun negative = CliRun.of(train(run, "--loss", "texture=-2"));
        assertEquals(2, negative.exitCode());
        assertTrue(negative.err().contains("--loss: the weight of 'texture' must be 0 or a positive number"));
        CliRun empty = CliRun.of(train(run, "--loss", ""));
        assertEquals(2, empty.exitCode());
        assertTrue(empty.err().contains("--loss is empty"), empty.err());
        assertFalse(Files.exists(run), "nothing written for a refused run");
        // The bi-level stage takes the option too (its lower and upper f_D, f̃_D, F_D use it).
        CliRun bilevel = CliRun.of("train", "--stage", "bilevel", "--synthetic", "2", "--loss", "intensity=x",
                "--run-dir", run.toString());
        assertEquals(2, bilevel.exitCode());
        assertTrue(bilevel.err().contains("weight of 'intensity' is not a number"), bilevel.err());
    }
}
