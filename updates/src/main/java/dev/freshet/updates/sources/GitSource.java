package dev.freshet.updates.sources;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A git repository followed at the tip of one branch.
 *
 * @param url            any URL JGit fetches from ({@code https://}, {@code ssh://}, {@code file://})
 * @param paths          rule files are taken only under these repository paths (all when empty)
 * @param trustedAuthors author e-mail addresses whose commits are accepted (all when empty)
 */
public record GitSource(String name, String url, String branch, List<String> paths, Set<String> trustedAuthors,
                        SourceSettings settings) implements RuleSource {
    public GitSource {
        RuleSource.checkName(name);
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("source '" + name + "': url is required");
        }
        if (branch == null || branch.isBlank()) {
            throw new IllegalArgumentException("source '" + name + "': branch is required");
        }
        paths = paths.stream().map(p -> normalize(name, p)).distinct().sorted().toList();
        // E-mail addresses compare case-insensitively in practice.
        trustedAuthors = trustedAuthors.stream().map(a -> a.strip().toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        Objects.requireNonNull(settings, "settings");
    }

    /** {@code ./rules/python/} becomes {@code rules/python}; paths may not leave the repository. */
    private static String normalize(String name, String path) {
        String p = path.strip().replace('\\', '/');
        while (p.startsWith("./") || p.startsWith("/")) {
            p = p.substring(p.indexOf('/') + 1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty() || List.of(p.split("/")).contains("..")) {
            throw new IllegalArgumentException("source '" + name + "': path '" + path + "' must name a folder inside the repository");
        }
        return p;
    }

    /** Whether a repository path lies under one of {@link #paths()}. */
    public boolean includes(String repositoryPath) {
        return paths.isEmpty() || paths.stream().anyMatch(p -> repositoryPath.equals(p) || repositoryPath.startsWith(p + "/"));
    }

    public boolean trusts(String authorEmail) {
        return trustedAuthors.isEmpty() || trustedAuthors.contains(authorEmail.strip().toLowerCase(Locale.ROOT));
    }

    /** Never the URL's credentials. */
    @Override
    public String toString() {
        return "GitSource[" + name + ", " + SourceUrls.redact(url) + ", " + branch + "]";
    }

    @Override
    public GitSource withSettings(SourceSettings newSettings) {
        return new GitSource(name, url, branch, paths, trustedAuthors, newSettings);
    }
}
