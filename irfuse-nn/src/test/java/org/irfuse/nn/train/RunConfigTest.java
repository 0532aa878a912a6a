package org.irfuse.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings layered in one place: defaults, file, options; on resume the run's config.json instead of defaults. */
class RunConfigTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        Path f = dir.resolve("run.yaml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void theFileOverridesTheDefaultsAndTheOptionsOverrideTheFile() throws IOException {
        Path f = yaml("steps: 50\nupper-every: 3\nlower_lr: 0.02\n");
        Map<String, Object> options = Map.of("steps", 4);
        BilevelTrainer.Config c = RunConfig.layer(BilevelTrainer.Config.class, "bilevel", RunConfig.readFile(f), f,
                options, null);
        assertEquals(4, c.steps, "the option wins");
        assertEquals(3, c.upperEvery, "the file (kebab case) wins over the default");
        assertEquals(0.02, c.lowerLr, 0, "snake case too");
        assertEquals(new BilevelTrainer.Config().batch, c.batch, "defaults stay where neither says otherwise");
        assertEquals("bilevel", c.stage);
    }

    @Test
    void unknownSettingsAndOptionsOfAnotherStageAreRefusedByName() throws IOException {
        Path f = yaml("upper-evry: 3\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunConfig.layer(
                BilevelTrainer.Config.class, "bilevel", RunConfig.readFile(f), f, Map.of(), null));
        assertEquals(f + ": unknown setting 'upper-evry' for this stage", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RunConfig.layer(WarmupTrainer.Config.class,
                "warmup", new JsonObject(), null, Map.of("upperEvery", 3), null));
        assertTrue(e.getMessage().startsWith("option --upper-every does not apply to this stage"), e.getMessage());
        Path bad = yaml("steps: [1, 2\n");
        e = assertThrows(IllegalArgumentException.class, () -> RunConfig.readFile(bad));
        assertTrue(e.getMessage().startsWith(bad + ": not valid YAML"), e.getMessage());
    }

    /** A run folder whose config.json is that of a started run (nano, 7 steps, log every 10, seed 3). */
    private RunFolder startedRun() throws IOException {
        WarmupTrainer.Config started = new WarmupTrainer.Config();
        started.width = "nano";
        started.steps = 7;
        started.seed = 3;
        started.data = List.of("a", "b");
        RunFolder run = new RunFolder(dir.resolve("run"));
        Files.createDirectories(run.dir());
        run.writeConfig(started);
        return run;
    }

    @Test
    void resumeRestoresTheRunsSettingsWithoutRepeatingThem() throws IOException {
        RunFolder run = startedRun();
        assertEquals("warmup", RunConfig.stage(null, new JsonObject(), run, "bilevel"));
        WarmupTrainer.Config c = RunConfig.layer(WarmupTrainer.Config.class, "warmup", new JsonObject(), null,
                Map.of("logEvery", 1, "steps", 7), run);
        assertEquals("nano", c.width);
        assertEquals(7, c.steps, "the same value again is no conflict");
        assertEquals(3, c.seed);
        assertEquals(List.of("a", "b"), c.data);
        assertEquals(1, c.logEvery, "a setting that does not enter the parameters may change");
    }

    @Test
    void resumeRefusesEachConflictingOptionByName() throws IOException {
        RunFolder run = startedRun();
        Path f = yaml("batch: 8\n");
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("steps", 9);
        options.put("width", "lite");
        options.put("checkpointEvery", 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunConfig.layer(
                WarmupTrainer.Config.class, "warmup", RunConfig.readFile(f), f, options, run));
        assertTrue(e.getMessage().startsWith(run.dir() + ": cannot resume with other settings than the run's ("
                + f + ": batch 4 -> 8, --steps 7 -> 9, --width \"nano\" -> \"lite\"); leave them out"), e.getMessage());
        assertTrue(!e.getMessage().contains("checkpoint"), "checkpoint-every may change: " + e.getMessage());
    }

    @Test
    void settingsAnOlderVersionSavedAndThisOneDropsAreIgnoredOnResume() throws IOException {
        RunFolder run = startedRun();
        JsonObject old = com.google.gson.JsonParser.parseString(Files.readString(run.config())).getAsJsonObject();
        old.addProperty("taskChannels", 16);
        Files.writeString(run.config(), old.toString());
        WarmupTrainer.Config c = RunConfig.layer(WarmupTrainer.Config.class, "warmup", new JsonObject(), null,
                Map.of(), run);
        assertEquals(7, c.steps);
    }
}
