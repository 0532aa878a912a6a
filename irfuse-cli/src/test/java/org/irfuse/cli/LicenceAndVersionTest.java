package org.irfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.irfuse.core.Version;
import org.junit.jupiter.api.Test;

/** The licence files exist and cover every dependency; {@code --version} names the Maven version. */
class LicenceAndVersionTest {
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();

    @Test
    void versionOptionPrintsTheBuildVersion() {
        CliRun r = CliRun.of("--version");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("irfuse " + Version.get(), r.out().strip());
        assertTrue(Version.get().matches("\\d+\\.\\d+\\.\\d+.*"), Version.get());
    }

    @Test
    void licenceIsApacheAndNoticeNamesEveryManagedDependency() throws Exception {
        String licence = Files.readString(REPO.resolve("LICENSE"));
        assertTrue(licence.contains("Apache License") && licence.contains("Version 2.0, January 2004"));
        String notice = Files.readString(REPO.resolve("NOTICE"));
        // Every artifact the parent pom manages (except our own modules and the JUnit BOM) is listed with a licence.
        String pom = Files.readString(REPO.resolve("pom.xml"));
        Matcher m = Pattern.compile("<artifactId>([^<$]+)</artifactId>").matcher(
                pom.substring(pom.indexOf("<dependencyManagement>"), pom.indexOf("</dependencyManagement>")));
        int n = 0;
        while (m.find()) {
            String a = m.group(1);
            if (a.startsWith("irfuse-") || a.equals("junit-bom")) {
                continue;
            }
            assertTrue(notice.contains(a), "NOTICE does not list " + a);
            n++;
        }
        assertTrue(n >= 8, "dependencies found in the pom: " + n);
        assertTrue(notice.contains("pytorch-native-cpu") && notice.contains("BSD-3-Clause"));
        assertTrue(notice.contains("YOLOv5") && notice.contains("GPL-3.0") && notice.contains("NOT shipped"));
    }
}
