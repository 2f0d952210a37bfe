package dev.freshet.engine.deps.lockfile;

import dev.freshet.engine.deps.version.Ecosystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads the packages that lockfiles pin. Supported, by file name: package-lock.json,
 * npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml, *requirements*.txt, poetry.lock, Pipfile.lock,
 * uv.lock, go.mod (with go.sum before Go 1.17), Cargo.lock, Gemfile.lock (gems.locked), composer.lock,
 * gradle.lockfile, and Maven's pom.xml (direct dependencies; see {@link MavenPom}).
 */
public final class Lockfiles {
    /** Directories {@link #findAll} never enters. */
    public static final Set<String> SKIPPED_DIRECTORIES = Set.of("node_modules", ".git", "vendor");

    private interface Parser {
        void parse(Found out, String text) throws LockfileException;
    }

    private Lockfiles() {
    }

    public static boolean isLockfile(Path file) {
        return parser(file) != null;
    }

    private static Parser parser(Path file) {
        Path fileName = file.getFileName();
        if (fileName == null) return null;
        String name = fileName.toString();
        return switch (name) {
            case "package-lock.json", "npm-shrinkwrap.json" -> JsonLockfiles::npm;
            case "yarn.lock" -> TextLockfiles::yarn;
            case "pnpm-lock.yaml" -> PnpmLockfile::parse;
            case "poetry.lock", "uv.lock" -> (out, text) -> TextLockfiles.tomlPackages(out, text, Ecosystem.PYPI);
            case "Pipfile.lock" -> JsonLockfiles::pipfile;
            case "go.mod" -> TextLockfiles::goMod;
            case "Cargo.lock" -> (out, text) -> TextLockfiles.tomlPackages(out, text, Ecosystem.CRATES_IO);
            case "Gemfile.lock", "gems.locked" -> TextLockfiles::gemfile;
            case "composer.lock" -> JsonLockfiles::composer;
            case "gradle.lockfile" -> TextLockfiles::gradle;
            case "pom.xml" -> MavenPom::parse;
            default -> name.endsWith(".txt") && name.contains("requirements") ? TextLockfiles::requirements : null;
        };
    }

    /**
     * The distinct (ecosystem, name, version) packages {@code file} pins, in file order.
     *
     * @throws LockfileException if the file is not a known lockfile, cannot be read, or is malformed
     */
    public static List<Dependency> parse(Path file) throws LockfileException {
        Parser parser = parser(file);
        if (parser == null) throw new LockfileException(file, "not a lockfile Freshet knows by name");
        String text;
        try {
            text = Files.readString(file);
        } catch (CharacterCodingException e) {
            throw new LockfileException(file, "not UTF-8 text", e);
        } catch (IOException e) {
            throw new LockfileException(file, "cannot read: " + e, e);
        }
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        Found out = new Found(file);
        try {
            parser.parse(out, text);
        } catch (RuntimeException | StackOverflowError e) { // a parser bug or absurd nesting must not escape as a crash
            throw new LockfileException(file, "malformed: " + e, e);
        }
        return out.list();
    }

    /** {@link #findAll(Path, Consumer)} ignoring lockfiles that cannot be parsed. */
    public static List<Dependency> findAll(Path dirOrFile) {
        return findAll(dirOrFile, problem -> { });
    }

    /**
     * Every dependency of every lockfile at or under {@code dirOrFile} (sorted by path, not entering
     * {@link #SKIPPED_DIRECTORIES} or following links); files that fail to parse go to {@code problems}.
     *
     * @throws UncheckedIOException if {@code dirOrFile} cannot be walked at all
     */
    public static List<Dependency> findAll(Path dirOrFile, Consumer<LockfileException> problems) {
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(dirOrFile, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    boolean skip = !dir.equals(dirOrFile) && SKIPPED_DIRECTORIES.contains(dir.getFileName().toString());
                    return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && isLockfile(file)) files.add(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    if (file.equals(dirOrFile)) throw new UncheckedIOException(e);
                    problems.accept(new LockfileException(file, "cannot read: " + e, e));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.sort(null);
        List<Dependency> all = new ArrayList<>();
        for (Path file : files) {
            try {
                all.addAll(parse(file));
            } catch (LockfileException e) {
                problems.accept(e);
            }
        }
        return all;
    }
}
