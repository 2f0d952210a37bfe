package dev.freshet.updates.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The directories a caller may name paths under ({@code --read-root}). A path is checked against them
 * before anything else is learnt about it, first as written (normalized), then with every link of its
 * existing part resolved, and the refusal is the same whether the path exists or not, so a caller
 * learns nothing about the disk outside the roots. With no roots, every path is allowed.
 */
public record ReadRoots(List<Path> roots) {
    public ReadRoots {
        roots = roots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    /** A path outside every root; the message is the same for every such path. */
    public static final class Outside extends IllegalArgumentException {
        Outside(Path given, List<Path> roots) {
            super("path '" + given + "' is outside the directories this server may read");
        }
    }

    public boolean isEmpty() {
        return roots.isEmpty();
    }

    /**
     * The real path {@code given} (absolute) names, when it lies under a root both as written and after
     * resolving links; for a path that does not exist, the real path of its existing part plus the rest.
     *
     * @throws Outside for every path outside the roots, existing or not
     */
    public Path check(Path given) {
        Path normalized = given.toAbsolutePath().normalize();
        Path real = real(normalized);
        if (!contains(normalized) || !contains(real)) {
            throw new Outside(given, roots);
        }
        return real;
    }

    /** Whether {@code path} (absolute, normalized) lies under a root, as configured or with the root's own links resolved. */
    public boolean contains(Path path) {
        return roots.isEmpty() || roots.stream().flatMap(root -> Stream.of(root, real(root))).anyMatch(path::startsWith);
    }

    /** The real path of the longest existing part of {@code path}, with the rest appended. */
    static Path real(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return path;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(path)).normalize();
        } catch (IOException e) { // a broken link: where it leads is unknown, so it stands for itself
            return path;
        }
    }
}
