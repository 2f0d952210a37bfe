package dev.freshet.updates.sources;

import java.nio.file.Path;
import java.util.Objects;

/** Rule files in a directory on this machine (an air-gapped copy, or rules being written). */
public record LocalDirectorySource(String name, Path dir, SourceSettings settings) implements RuleSource {
    public LocalDirectorySource {
        RuleSource.checkName(name);
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(settings, "settings");
    }

    @Override
    public LocalDirectorySource withSettings(SourceSettings newSettings) {
        return new LocalDirectorySource(name, dir, newSettings);
    }
}
