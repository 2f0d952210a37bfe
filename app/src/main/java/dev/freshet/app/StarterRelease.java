package dev.freshet.app;

import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.rollout.ActivationService;
import dev.freshet.updates.rollout.Updater;
import dev.freshet.updates.sources.LocalDirectorySource;
import dev.freshet.updates.sources.SourceRegistry;
import dev.freshet.updates.sources.SourceSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first start of a service with nothing configured: the starter rules shipped in the jar
 * ({@value #RESOURCE}) are copied under the data directory, added as the local source
 * {@value #SOURCE}, validated and activated as the first release. No network is needed.
 */
final class StarterRelease {
    static final String SOURCE = "freshet-starter";
    static final String RESOURCE = "/starter-rules";
    private static final Logger LOG = LoggerFactory.getLogger(StarterRelease.class);

    private StarterRelease() {
    }

    /** Releases the starter rules if no release is active and no source is configured; returns the release id if it did. */
    static Optional<String> ensure(Path dataDir, SourceRegistry registry, ReleaseStore releases, ActivationService activations,
                                   Updater updater) {
        if (releases.active().isPresent() || !registry.list().isEmpty()) {
            return Optional.empty();
        }
        Path dir = dataDir.resolve("starter-rules");
        copyShippedRules(dir);
        registry.add(new LocalDirectorySource(SOURCE, dir.toAbsolutePath().normalize(), SourceSettings.defaults()));
        Updater.CheckResult result = updater.check(Trigger.AUTOMATIC);
        Optional<String> release = result.release().map(r -> r.id());
        if (release.isEmpty()) {
            LOG.warn("the starter rules gave no release: {}", result.sources());
            return Optional.empty();
        }
        if (result.activation().isEmpty()) {
            // The update policy may hold updates for a window; the very first rules have nothing to replace.
            activations.activate(release.get(), Trigger.AUTOMATIC, "starter rules on first start");
        }
        LOG.info("first start: starter rules released and active as {}", ReleaseStore.shortId(release.get()));
        return release;
    }

    /** Copies the shipped rules (from the jar, or from the classes folder in a build) to {@code target}. */
    static void copyShippedRules(Path target) {
        URL marker = StarterRelease.class.getResource(RESOURCE + "/README.md");
        if (marker == null) {
            throw new IllegalStateException("the starter rules are missing from the application (" + RESOURCE + ")");
        }
        try {
            URI uri = marker.toURI();
            if (uri.getScheme().equals("jar")) {
                try (FileSystem jar = jarFileSystem(uri)) {
                    copyTree(jar.getPath(RESOURCE), target);
                }
            } else {
                copyTree(Path.of(uri).getParent(), target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the starter rules to " + target, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FileSystem jarFileSystem(URI uri) throws IOException {
        try {
            return FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
            throw new IOException("the application jar is already open as a file system", e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Path destination = to.resolve(from.relativize(file).toString());
                Files.createDirectories(destination.getParent());
                Files.copy(file, destination, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
