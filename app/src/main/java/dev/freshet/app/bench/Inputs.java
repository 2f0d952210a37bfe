package dev.freshet.app.bench;

import dev.freshet.app.UserError;
import dev.freshet.engine.parse.Language;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Benchmark inputs: the source files of supported languages under a directory. */
final class Inputs {
    private Inputs() {
    }

    static List<Path> sourceFiles(Path directory, int limit) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new UserError("--input must be a directory: " + directory);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).filter(p -> Language.forFile(p).isPresent()).sorted().limit(limit).toList();
        }
        if (files.isEmpty()) {
            throw new UserError("no source files of a supported language under " + directory);
        }
        return files;
    }
}
