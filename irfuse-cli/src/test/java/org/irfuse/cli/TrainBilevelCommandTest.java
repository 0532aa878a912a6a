package org.irfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainBilevelCommandTest {
    static int run(StringWriter err, String... args) {
        CommandLines.set(args);
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void bilevelFromAYamlConfigWithCommandLineOverrides(@TempDir Path dir) throws Exception {
        java.util.Optional<Path> mfnet = org.irfuse.core.io.SharedData.model("mfnet_mfnet9.npz");
        org.junit.jupiter.api.Assumptions.assumeTrue(mfnet.isPresent(),
                org.irfuse.core.io.SharedData.missingModelMessage("mfnet_mfnet9.npz"));
        Path yaml = dir.resolve("run.yaml");
        Files.writeString(yaml, String.join("\n", "stage: bilevel", "width: nano",
                "segmenter-weights: " + mfnet.get(),
                "synthetic: 4", "steps: 50", "upper-every: 2", "batch: 1", "upper-batch: 1", "min-crop: 24",
                "max-crop: 24", "aggregation: mgda", "lower-lr: 0.01", "lr: 0.001", "upper-clip: 1.0", ""));
        Path runDir = dir.resolve("run");
        StringWriter err = new StringWriter();
        int exit = run(err, "train", "--config", yaml.toString(), "--steps", "4", "--threads", "1", "-o",
                runDir.toString());
        assertEquals(0, exit, err.toString());
        JsonObject cfg = JsonParser.parseString(Files.readString(runDir.resolve("config.json"))).getAsJsonObject();
        assertEquals(4, cfg.get("steps").getAsInt(), "the command line overrides the file");
        assertEquals("mgda", cfg.get("aggregation").getAsString(), "the file overrides the defaults");
        assertEquals(2, cfg.get("upperEvery").getAsInt());
        assertEquals(0.2, cfg.get("upperShare").getAsDouble(), 0, "defaults stay where neither says otherwise");
        List<String> log = Files.readAllLines(runDir.resolve("log.jsonl"));
        assertEquals(2, log.size(), "log-every 10: only the upper steps 2 and 4 are logged");
        JsonObject upper = JsonParser.parseString(log.get(1)).getAsJsonObject();
        assertEquals(4, upper.get("step").getAsInt());
        assertEquals("bilevel", upper.get("stage").getAsString());
        assertTrue(upper.has("weight.D") && upper.has("r.T") && upper.has("gradnorm.agg"));
        assertTrue(Files.isRegularFile(runDir.resolve("model").resolve("model-card.json")));
        assertTrue(Files.readString(runDir.resolve("model").resolve("model-card.json")).contains("\"bilevel\""));
        // The precision is part of the run (fp32 by default, stored resolved): resuming in another is refused by
        // name before anything is touched.
        assertEquals("fp32", cfg.get("precision").getAsString());
        StringWriter refused = new StringWriter();
        assertEquals(Errors.USER_ERROR, run(refused, "train", "--resume", "--precision", "bf16", "--threads", "1",
                "-o", runDir.toString()));
        assertTrue(refused.toString().contains("--precision \"fp32\" -> \"bf16\""), refused.toString());
        assertEquals(log, Files.readAllLines(runDir.resolve("log.jsonl")), "the refused resume changed the log");
    }

    @Test
    void unknownSettingsAndUnlabelledDataAreRefusedClearly(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("run.yaml");
        Files.writeString(yaml, "stage: bilevel\nupper-evry: 3\n");
        StringWriter err = new StringWriter();
        assertEquals(Errors.USER_ERROR, run(err, "train", "--config", yaml.toString(), "-o",
                dir.resolve("r").toString()));
        assertTrue(err.toString().contains("upper-evry"), err.toString());
        StringWriter err2 = new StringWriter();
        assertEquals(Errors.USER_ERROR, run(err2, "train", "--stage", "bilevel", "--data", dir.toString(), "-o",
                dir.resolve("r2").toString()));
        assertTrue(err2.toString().contains("--msrs-weak"), err2.toString());
        // The task networks are pretrained: without their weights the run is refused, naming the option.
        StringWriter err3 = new StringWriter();
        assertEquals(Errors.USER_ERROR, run(err3, "train", "--stage", "bilevel", "--synthetic", "4", "-o",
                dir.resolve("r3").toString()));
        assertTrue(err3.toString().contains("--segmenter-weights"), err3.toString());
        StringWriter err4 = new StringWriter();
        assertEquals(Errors.USER_ERROR, run(err4, "train", "--stage", "bilevel", "--synthetic", "4", "--task",
                "detection", "-o", dir.resolve("r4").toString()));
        assertTrue(err4.toString().contains("--detector-weights"), err4.toString());
        assertTrue(!Files.exists(dir.resolve("r3")) && !Files.exists(dir.resolve("r4")), "nothing written");
    }
}
