package dev.freshet.app;

import dev.freshet.updates.sources.Channel;
import dev.freshet.updates.sources.GitSource;
import dev.freshet.updates.sources.LocalDirectorySource;
import dev.freshet.updates.sources.RuleSource;
import dev.freshet.updates.sources.SignedRepositorySource;
import dev.freshet.updates.sources.SourceRegistry;
import dev.freshet.updates.sources.SourceSettings;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Sources declared in {@code freshet.toml} are brought into the store before a command uses
 * sources: new ones are added and changed settings updated, so the file stays the authority for
 * what it declares while sources added on the command line live beside them.
 */
final class ConfiguredSources {
    private ConfiguredSources() {
    }

    static void sync(Settings settings, SourceRegistry registry) {
        for (Settings.SourceEntry entry : settings.sources()) {
            RuleSource source = toSource(entry);
            var existing = registry.find(source.name());
            if (existing.isEmpty()) {
                registry.add(source);
            } else if (!existing.get().source().equals(source)) {
                registry.remove(source.name());
                registry.add(source);
            }
        }
    }

    static RuleSource toSource(Settings.SourceEntry e) {
        try {
            if (e.name() == null || e.kind() == null || e.location() == null) {
                throw new IllegalArgumentException("every [[sources]] entry needs name, kind and location");
            }
            SourceSettings settings = new SourceSettings(
                    e.channel() == null ? Channel.STABLE : Channel.parse(e.channel()),
                    e.schedule() == null ? SourceSettings.HOURLY : e.schedule(),
                    e.priority() == null ? 0 : e.priority(),
                    e.enabled() == null || e.enabled(),
                    e.testsRequired() != null && e.testsRequired());
            return switch (e.kind()) {
                case "local", "dir", "directory" -> new LocalDirectorySource(e.name(), Path.of(e.location()).toAbsolutePath().normalize(), settings);
                case "git" -> new GitSource(e.name(), e.location(), e.branch() == null ? "main" : e.branch(),
                        e.paths() == null ? List.of() : e.paths(),
                        e.trustedAuthors() == null ? Set.of() : Set.copyOf(e.trustedAuthors()), settings);
                case "signed" -> {
                    if (e.trustedRoot() == null) {
                        throw new IllegalArgumentException("signed source '" + e.name() + "' needs trusted_root (the root.json you trust)");
                    }
                    yield new SignedRepositorySource(e.name(), URI.create(e.location()).toURL(),
                            Path.of(e.trustedRoot()).toAbsolutePath().normalize(), settings);
                }
                default -> throw new IllegalArgumentException("source '" + e.name() + "': unknown kind '" + e.kind()
                        + "' (use local, git or signed)");
            };
        } catch (IllegalArgumentException | MalformedURLException ex) {
            throw new UserError("freshet.toml: " + ex.getMessage());
        }
    }
}
