package dev.freshet.updates.sources;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads a local directory: the files of a {@link FileSelection}. Its revision is a hash of their paths and contents,
 * so it changes exactly when they do (not when timestamps or unrelated files change).
 */
final class LocalDirectoryFetcher implements RuleSourceFetcher {

    private final LocalDirectorySource source;
    private final FileSelection selection;

    LocalDirectoryFetcher(LocalDirectorySource source, FileSelection selection) {
        this.source = source;
        this.selection = selection;
    }

    @Override
    public FetchResult fetch(Optional<String> knownRevision) throws SourceException {
        Path root = source.dir();
        if (!Files.isDirectory(root)) {
            throw new SourceException(source.name(), "directory " + root + " does not exist or is not a directory");
        }
        try {
            Map<String, Path> candidates = list(root);
            List<SourceFile> files = new ArrayList<>();
            long total = 0;
            for (String path : selection.select().apply(candidates.keySet())) {
                Path file = candidates.get(path);
                long size = Files.size(file);
                total = RuleFiles.admit(source.name(), selection, path, size, total, "point it at a smaller directory");
                files.add(new SourceFile(path, Files.readAllBytes(file)));
            }
            String revision = RuleFiles.contentRevision(files);
            return knownRevision.filter(revision::equals).isPresent()
                    ? new FetchResult.Unchanged(revision)
                    : new FetchResult.Changed(new SourceSnapshot(source.name(), revision, List.copyOf(files)));
        } catch (IOException e) {
            throw new SourceException(source.name(), "cannot read " + root + ": " + e, e);
        }
    }

    /** Regular files by '/'-separated relative path; hidden folders and symbolic links are not followed. */
    private static Map<String, Path> list(Path root) throws IOException {
        Map<String, Path> files = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return !dir.equals(root) && dir.getFileName().toString().startsWith(".")
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    files.put(root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/"), file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return files;
    }
}
