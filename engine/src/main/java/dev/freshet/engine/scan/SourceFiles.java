package dev.freshet.engine.scan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.ignore.IgnoreNode;

/**
 * Finds the files to scan under the given paths the way git would see them: {@code .gitignore} files in the
 * tree (and above it, up to the enclosing work tree) and {@code .git/info/exclude} apply, {@code .git} is never
 * entered, symbolic links are not followed out of the scanned root, and oversized files are skipped with a
 * reason. A file named explicitly is always included. Binary files ({@link #isBinary}) are left out by what
 * reads the files' content (the scanner), which reads it anyway: the listing opens no file, most of which
 * (documentation, images, files of other languages) no rule reads.
 */
public final class SourceFiles {
    public static final long DEFAULT_MAX_FILE_BYTES = 2L * 1024 * 1024;
    /** Like git, a NUL byte in the first 8 KB marks a file as binary. */
    static final int BINARY_PROBE_BYTES = 8 * 1024;

    private final long maxFileBytes;

    public SourceFiles() {
        this(DEFAULT_MAX_FILE_BYTES);
    }

    public SourceFiles(long maxFileBytes) {
        if (maxFileBytes <= 0) {
            throw new IllegalArgumentException("maxFileBytes must be positive: " + maxFileBytes);
        }
        this.maxFileBytes = maxFileBytes;
    }

    /** The files to scan, sorted, and the files left out with the reason (gitignored files are not listed). */
    public record Selection(List<Path> files, List<Skipped> skipped) {
        public Selection {
            files = List.copyOf(files);
            skipped = List.copyOf(skipped);
        }
    }

    public record Skipped(Path file, Reason reason, String detail) {
    }

    public enum Reason {
        TOO_LARGE, SYMLINK_OUTSIDE_ROOT, UNREADABLE
    }

    /** Whether a file's content is binary: like git, a NUL byte in the first 8 KB. */
    public static boolean isBinary(byte[] content) {
        for (int i = 0, end = Math.min(content.length, BINARY_PROBE_BYTES); i < end; i++) {
            if (content[i] == 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param paths files and directories; paths in the result start with the given path they were found under
     * @throws NoSuchFileException if a given path does not exist
     */
    public Selection collect(List<Path> paths) throws IOException {
        // Keyed by real path so a file reached twice (overlapping roots, links inside a root) is listed once.
        Map<Path, Path> files = new LinkedHashMap<>();
        Map<Path, Skipped> skipped = new LinkedHashMap<>();
        List<Path> links = new ArrayList<>();
        for (Path path : paths) {
            if (!Files.exists(path)) {
                throw new NoSuchFileException(path.toString());
            }
            if (Files.isDirectory(path)) {
                new Walk(path, files, skipped, links).run();
            } else {
                files.putIfAbsent(path.toRealPath(), path);
            }
        }
        // Links inside a root come last so the file's own path wins when both are found.
        for (Path link : links) {
            files.putIfAbsent(link.toRealPath(), link);
        }
        return new Selection(
                files.values().stream().sorted().toList(),
                skipped.values().stream().sorted(Comparator.comparing(Skipped::file)).toList());
    }

    /** Why {@code file} should not be scanned, or null; {@code size} is the file's size in bytes. */
    private Skipped check(Path file, long size) {
        return size > maxFileBytes ? new Skipped(file, Reason.TOO_LARGE, size + " bytes > limit of " + maxFileBytes) : null;
    }

    /** One directory's ignore rules; patterns in it match paths relative to {@code dir}. */
    private record IgnoreFrame(Path dir, IgnoreNode rules) {
    }

    /** One walk of one root directory, keeping a stack of the .gitignore rules from the work tree down. */
    private final class Walk extends SimpleFileVisitor<Path> {
        private final Path given;
        private final Path root;
        private final Map<Path, Path> files;
        private final Map<Path, Skipped> skipped;
        private final List<Path> links;
        private final Deque<IgnoreFrame> frames = new ArrayDeque<>(); // innermost first
        private IgnoreFrame exclude; // .git/info/exclude: below every .gitignore in priority

        Walk(Path given, Map<Path, Path> files, Map<Path, Skipped> skipped, List<Path> links) throws IOException {
            this.given = given;
            this.root = given.toRealPath();
            this.files = files;
            this.skipped = skipped;
            this.links = links;
            Path workTree = workTree(root);
            if (workTree != null) {
                Path excludeFile = workTree.resolve(".git/info/exclude");
                if (Files.isRegularFile(excludeFile)) {
                    exclude = new IgnoreFrame(workTree, parse(excludeFile));
                }
                // .gitignore files between the work tree and the root apply as git would apply them.
                for (Path dir = root.getParent(); dir != null && dir.startsWith(workTree); dir = dir.getParent()) {
                    frames.addLast(new IgnoreFrame(dir, ignoreFileIn(dir)));
                }
            }
        }

        void run() throws IOException {
            Files.walkFileTree(root, this);
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
            if (dir.getFileName() != null && dir.getFileName().toString().equals(".git")) {
                return FileVisitResult.SKIP_SUBTREE;
            }
            // The root is walked even when ignored: naming a directory is asking for it.
            if (!dir.equals(root) && isIgnored(dir, true)) {
                return FileVisitResult.SKIP_SUBTREE;
            }
            frames.addFirst(new IgnoreFrame(dir, ignoreFileIn(dir)));
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) {
            frames.removeFirst();
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            if (file.getFileName().toString().equals(".git") || isIgnored(file, false)) {
                return FileVisitResult.CONTINUE; // a .git file points at a submodule's repository
            }
            Path shown = given.resolve(root.relativize(file));
            if (attrs.isSymbolicLink()) {
                Path target;
                try {
                    target = file.toRealPath();
                } catch (IOException e) {
                    skip(new Skipped(shown, Reason.UNREADABLE, "broken symbolic link"));
                    return FileVisitResult.CONTINUE;
                }
                if (!target.startsWith(root)) {
                    skip(new Skipped(shown, Reason.SYMLINK_OUTSIDE_ROOT, "links to " + target));
                } else if (Files.isRegularFile(target)) {
                    Skipped why = check(target, Files.size(target));
                    if (why == null) {
                        links.add(shown);
                    } else {
                        skip(new Skipped(shown, why.reason(), why.detail()));
                    }
                }
                // A link to a directory inside the root is not followed: the walk reaches that directory anyway.
                return FileVisitResult.CONTINUE;
            }
            if (attrs.isRegularFile()) {
                Skipped why = check(file, attrs.size());
                if (why == null) {
                    files.putIfAbsent(file, shown);
                } else {
                    skip(new Skipped(shown, why.reason(), why.detail()));
                }
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
            skip(new Skipped(given.resolve(root.relativize(file)), Reason.UNREADABLE, String.valueOf(e.getMessage())));
            return FileVisitResult.CONTINUE;
        }

        private void skip(Skipped why) {
            skipped.putIfAbsent(why.file(), why);
        }

        /** As git decides: the innermost .gitignore with a matching pattern wins, then .git/info/exclude. */
        private boolean isIgnored(Path path, boolean directory) {
            for (IgnoreFrame frame : frames) {
                Boolean ignored = matches(frame, path, directory);
                if (ignored != null) {
                    return ignored;
                }
            }
            return exclude != null && Boolean.TRUE.equals(matches(exclude, path, directory));
        }

        private static Boolean matches(IgnoreFrame frame, Path path, boolean directory) {
            if (frame.rules() == null) {
                return null;
            }
            String relative = frame.dir().relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
            return frame.rules().checkIgnored(relative, directory);
        }
    }

    /** The nearest directory at or above {@code dir} holding a {@code .git} directory or file, or null. */
    private static Path workTree(Path dir) {
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            if (Files.exists(candidate.resolve(".git"))) {
                return candidate;
            }
        }
        return null;
    }

    private static IgnoreNode ignoreFileIn(Path dir) throws IOException {
        Path file = dir.resolve(".gitignore");
        return Files.isRegularFile(file) ? parse(file) : null;
    }

    private static IgnoreNode parse(Path file) throws IOException {
        IgnoreNode node = new IgnoreNode();
        try (InputStream in = Files.newInputStream(file)) {
            node.parse(file.toString(), in);
        }
        return node;
    }
}
