package dev.freshet.engine.deps.lockfile;

import java.nio.file.Path;

/** A lockfile that cannot be read or does not have the shape its name promises. */
public final class LockfileException extends Exception {
    private final Path file;

    public LockfileException(Path file, String problem) {
        this(file, problem, null);
    }

    public LockfileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
