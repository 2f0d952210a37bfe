package dev.freshet.engine.deps;

import dev.freshet.engine.deps.osv.OsvParser;
import dev.freshet.engine.deps.osv.OsvRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** OSV records read from a directory tree of JSON and YAML files. */
public final class Advisories {
    private static final long MAX_RECORD_BYTES = 4L * 1024 * 1024;

    /** The records read, and each file that could not be used with the reason. */
    public record Loaded(List<OsvRecord> records, List<String> rejected) {
    }

    private Advisories() {
    }

    public static Loaded load(Path directory) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).filter(Advisories::isRecordFile).sorted().toList();
        }
        List<OsvParser.Result> results = files.parallelStream().map(Advisories::read).toList();
        List<OsvRecord> records = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        for (OsvParser.Result result : results) {
            switch (result) {
                case OsvParser.Result.Parsed parsed -> records.add(parsed.record());
                case OsvParser.Result.Rejected r -> rejected.add(r.reason());
            }
        }
        return new Loaded(records, rejected);
    }

    /** One file's record, or why not; the reason names the file. */
    private static OsvParser.Result read(Path file) {
        try {
            if (Files.size(file) > MAX_RECORD_BYTES) {
                return new OsvParser.Result.Rejected(file + ": larger than " + MAX_RECORD_BYTES / (1024 * 1024) + " MiB");
            }
            String name = file.getFileName().toString();
            OsvParser.Result result = OsvParser.parse(Files.readString(file, StandardCharsets.UTF_8),
                    name.endsWith(".yaml") || name.endsWith(".yml"));
            return result instanceof OsvParser.Result.Rejected r ? new OsvParser.Result.Rejected(file + ": " + r.reason()) : result;
        } catch (IOException e) {
            return new OsvParser.Result.Rejected(file + ": cannot read: " + e.getMessage());
        }
    }

    private static boolean isRecordFile(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".json") || name.endsWith(".yaml") || name.endsWith(".yml");
    }
}
