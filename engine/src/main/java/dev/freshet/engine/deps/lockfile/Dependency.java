package dev.freshet.engine.deps.lockfile;

import dev.freshet.engine.deps.version.Ecosystem;
import java.nio.file.Path;

/**
 * One resolved package a project depends on, as a lockfile pins it.
 *
 * @param line the 1-based line of the lockfile where the package is pinned (0 when unknown)
 */
public record Dependency(Ecosystem ecosystem, String name, String version, Path lockfile, int line) {
}
