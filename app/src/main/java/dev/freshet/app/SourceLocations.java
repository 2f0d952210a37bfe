package dev.freshet.app;

import dev.freshet.updates.sources.LocalDirectorySource;
import dev.freshet.updates.sources.RuleSource;
import dev.freshet.updates.sources.SignedRepositorySource;
import dev.freshet.updates.sources.SourceSettings;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** The source a command line names by {@code --dir} or {@code --signed URL --root FILE}, for rule and model sources alike. */
final class SourceLocations {
    private SourceLocations() {
    }

    /** A directory source when {@code dir} is given, else a signed repository at {@code signed} trusted from {@code root}. */
    static RuleSource directoryOrSigned(String name, Path dir, String signed, Path root, SourceSettings settings) throws MalformedURLException {
        if (dir != null) {
            if (!Files.isDirectory(dir)) {
                throw new UserError("not a directory: " + dir);
            }
            return new LocalDirectorySource(name, dir.toAbsolutePath().normalize(), settings);
        }
        if (root == null || !Files.isRegularFile(root)) {
            throw new UserError("a signed source needs --root FILE: the repository's root.json you trust");
        }
        return new SignedRepositorySource(name, URI.create(signed).toURL(), root.toAbsolutePath().normalize(), settings);
    }
}
