package dev.freshet.engine.rules;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;

/**
 * A rule's {@code paths: include/exclude} globs. As in Semgrep, a glob without a leading slash
 * matches at any depth, and a glob naming a directory covers everything under it.
 */
public final class PathFilter {
    public static final PathFilter ALL = new PathFilter(List.of(), List.of());

    private final List<String> include;
    private final List<String> exclude;
    private final List<PathMatcher> includeMatchers;
    private final List<PathMatcher> excludeMatchers;

    public PathFilter(List<String> include, List<String> exclude) {
        this.include = List.copyOf(include);
        this.exclude = List.copyOf(exclude);
        this.includeMatchers = include.stream().flatMap(PathFilter::matchers).toList();
        this.excludeMatchers = exclude.stream().flatMap(PathFilter::matchers).toList();
    }

    public List<String> include() {
        return include;
    }

    public List<String> exclude() {
        return exclude;
    }

    /** Whether every path passes: the rule has no {@code paths:}, as most rules. */
    public boolean acceptsAll() {
        return includeMatchers.isEmpty() && excludeMatchers.isEmpty();
    }

    public boolean accepts(Path relativePath) {
        if (acceptsAll()) {
            return true; // asked for every file a scan reads
        }
        Path path = Path.of(relativePath.toString().replace('\\', '/'));
        if (!includeMatchers.isEmpty() && includeMatchers.stream().noneMatch(m -> m.matches(path))) {
            return false;
        }
        return excludeMatchers.stream().noneMatch(m -> m.matches(path));
    }

    private static Stream<PathMatcher> matchers(String glob) {
        String g = glob.endsWith("/") ? glob.substring(0, glob.length() - 1) : glob;
        List<String> forms = g.startsWith("/")
                ? List.of(g.substring(1), g.substring(1) + "/**")
                : List.of(g, g + "/**", "**/" + g, "**/" + g + "/**");
        return forms.stream().map(f -> FileSystems.getDefault().getPathMatcher("glob:" + f));
    }
}
