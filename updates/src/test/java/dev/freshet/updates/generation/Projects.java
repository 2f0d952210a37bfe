package dev.freshet.updates.generation;

import java.nio.file.Files;
import java.nio.file.Path;

/** The project fixtures of several stacks, shared with {@code freshet bench generation} (bench/generation/projects). */
public final class Projects {
    private Projects() {
    }

    public static Path of(String name) {
        for (Path base : new Path[] {Path.of("../bench/generation/projects"), Path.of("bench/generation/projects")}) {
            if (Files.isDirectory(base.resolve(name))) {
                return base.resolve(name).toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("no project fixture " + name + " under bench/generation/projects");
    }
}
