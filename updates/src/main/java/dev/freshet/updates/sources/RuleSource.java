package dev.freshet.updates.sources;

/**
 * Where rules come from: a local directory, a git repository, a signed HTTP repository or the synced advisories. A source
 * definition is configuration only; {@link SourceFetchers} turns it into a {@link RuleSourceFetcher}.
 */
public sealed interface RuleSource permits LocalDirectorySource, GitSource, SignedRepositorySource, AdvisorySource {
    /** Unique among configured sources; used in reports, logs and cache directory names. */
    String name();

    SourceSettings settings();

    /** The same source with other settings (enable, disable, re-prioritise). */
    RuleSource withSettings(SourceSettings settings);

    /** Names end up in file names and on the command line, so they stay plain. */
    static String checkName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("source name '" + name
                    + "' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return name;
    }
}
