package dev.freshet.updates.projects;

import java.nio.file.Path;
import java.time.Instant;

/** A project Freshet watches: after every activation its dependencies are matched again. */
public record Project(String name, Path path, Instant addedAt, Instant lastScanAt, String stack) {
}
