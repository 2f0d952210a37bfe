package dev.freshet.app.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The directories the server may read when a caller names a path (projects, path scans). With
 * none configured, no path is accepted: a caller must not make the server read its own files.
 * Paths are compared after resolving links, so a link cannot lead out of a root.
 */
public record ReadablePaths(List<Path> roots) {
    public ReadablePaths {
        roots = roots.stream().map(ReadablePaths::real).toList();
    }

    public static final ReadablePaths NONE = new ReadablePaths(List.of());

    /** The real directory {@code given} names, if it lies under a root; otherwise a 4xx saying why. */
    public Path check(String given) {
        if (given == null || given.isBlank()) {
            throw ApiError.badRequest("field 'path' is required: a directory on the server");
        }
        if (roots.isEmpty()) {
            throw new ApiError(403, "this server reads no paths named by callers; start it with --read-root DIR");
        }
        Path path = Path.of(given);
        if (!path.isAbsolute()) {
            throw ApiError.badRequest("path '" + given + "' must be absolute");
        }
        if (!Files.isDirectory(path)) {
            throw ApiError.badRequest("path '" + given + "' is not a directory on the server");
        }
        Path real = real(path);
        if (roots.stream().noneMatch(real::startsWith)) {
            throw new ApiError(403, "path '" + given + "' is outside the directories this server may read");
        }
        return real;
    }

    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

}
