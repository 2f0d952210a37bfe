package dev.freshet.engine.deps.lockfile;

import dev.freshet.engine.deps.version.Ecosystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Collects one file's dependencies, keeping the first of identical (ecosystem, name, version). */
final class Found {
    private final Path file;
    private final Map<List<Object>, Dependency> byKey = new LinkedHashMap<>();

    Found(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    void add(Ecosystem ecosystem, String name, String version, int line) {
        add(file, ecosystem, name, version, line);
    }

    /** A dependency that a companion of this file pins, such as go.mod's go.sum. */
    void add(Path pinnedIn, Ecosystem ecosystem, String name, String version, int line) {
        if (name == null || name.isBlank() || version == null || version.isBlank()) return;
        if (ecosystem == Ecosystem.PYPI) name = pep503(name);
        byKey.putIfAbsent(List.of(ecosystem, name, version), new Dependency(ecosystem, name, version, pinnedIn, line));
    }

    List<Dependency> list() {
        return new ArrayList<>(byKey.values());
    }

    LockfileException error(String problem) {
        return new LockfileException(file, problem);
    }

    LockfileException error(int line, String problem) {
        return new LockfileException(file, "line " + line + ": " + problem);
    }

    /** PEP 503 normalised project name: lower case, runs of {@code -_.} become one {@code -}. */
    static String pep503(String name) {
        return name.replaceAll("[-_.]+", "-").toLowerCase(Locale.ROOT);
    }
}
