package org.irfuse.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The irfuse version, written into {@code version.properties} by the Maven build (resource filtering), so that
 * {@code --version}, every model card and every report name the build that made them. A jar's manifest would lose
 * it when shaded or run from {@code target/classes}; a filtered resource is there in every case.
 */
public final class Version {
    private static final String VERSION = read();

    private Version() {
    }

    /** The project version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties missing from irfuse-core (broken build)");
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "").trim();
            if (v.isEmpty() || v.startsWith("${")) {
                throw new IllegalStateException("version.properties was not filtered by Maven (broken build)");
            }
            return v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
