package dev.freshet.app.server;

import dev.freshet.updates.jobs.ReadRoots;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * The directories the server may read when a caller names a path (projects, path scans). With
 * none configured, no path is accepted: a caller must not make the server read its own files.
 * The roots are checked before anything else is looked at, as written and after resolving links,
 * and every path outside them gets the same 403, whether it exists or not (see {@link ReadRoots}).
 */
public record ReadablePaths(List<Path> roots) {
    public ReadablePaths {
        roots = List.copyOf(roots);
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
        Path path;
        try {
            path = Path.of(given);
        } catch (InvalidPathException e) {
            throw ApiError.badRequest("path '" + given.replace("\0", "\\0") + "' is not a valid path: " + e.getReason());
        }
        if (!path.isAbsolute()) {
            throw ApiError.badRequest("path '" + given + "' must be absolute");
        }
        Path real;
        try {
            real = new ReadRoots(roots).check(path);
        } catch (ReadRoots.Outside e) {
            throw new ApiError(403, e.getMessage());
        }
        if (!Files.isDirectory(real)) {
            throw ApiError.badRequest("path '" + given + "' is not a directory on the server");
        }
        return real;
    }
}
