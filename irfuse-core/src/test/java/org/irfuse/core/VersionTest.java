package org.irfuse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class VersionTest {
    @Test
    void versionIsTheOneInThePom() throws Exception {
        // Surefire runs in the module folder; the parent pom's <version> is what the filtered resource must say.
        String pom = Files.readString(Path.of("..", "pom.xml"));
        Matcher m = Pattern.compile("<artifactId>irfuse-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(pom);
        if (!m.find()) {
            throw new AssertionError("no version in the parent pom");
        }
        assertEquals(m.group(1), Version.get());
    }
}
