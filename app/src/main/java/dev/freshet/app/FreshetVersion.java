package dev.freshet.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version Maven wrote into the jar. */
public final class FreshetVersion {
    private FreshetVersion() {
    }

    public static String current() {
        Properties properties = new Properties();
        try (InputStream in = FreshetVersion.class.getResourceAsStream("/freshet-version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the version from the application", e);
        }
        return properties.getProperty("version", "unknown");
    }
}
