package dev.freshet.updates.learning;

import dev.freshet.engine.models.ModelArtifact;
import dev.freshet.engine.models.TrafficFormat;
import dev.freshet.engine.models.TrafficReader;
import dev.freshet.engine.models.TrafficRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads new traffic from a file since its cursor. A cursor remembers the offset read up to and a
 * digest of the file's first bytes: a file now shorter than the offset was truncated, one whose
 * first bytes changed was rotated (a new file under the old name); both are read from the start.
 */
public final class TrafficFiles {
    private static final int HEAD_BYTES = 256;

    private TrafficFiles() {
    }

    /** Where reading a file stopped. */
    public record Cursor(long offset, String head) {
    }

    /** What one read gave; {@code restarted} says why the cursor was not used, or is empty. */
    public record Batch(List<TrafficRecord> records, long malformed, List<String> problems, Cursor cursor, String restarted) {
    }

    /** Reads at most {@code maxRecords} records of {@code file} after {@code cursor} (null: from the start). */
    public static Batch read(Path file, TrafficFormat format, Cursor cursor, int maxRecords) throws IOException {
        long size = Files.size(file);
        long start = 0;
        String restarted = "";
        if (cursor != null) {
            if (size < cursor.offset()) {
                restarted = "truncated (now " + size + " bytes, was read to " + cursor.offset() + ")";
            } else if (!head(file, cursor.offset()).equals(cursor.head())) {
                restarted = "rotated (its first bytes changed)";
            } else {
                start = cursor.offset();
            }
        }
        List<TrafficRecord> records = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        long malformed = 0;
        long end = start;
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(start);
            TrafficReader reader = new TrafficReader(in, format, start);
            TrafficReader.Item item;
            while (records.size() < maxRecords && (item = reader.next()) != null) {
                end = item.endOffset();
                switch (item) {
                    case TrafficReader.Read read -> records.add(read.record());
                    case TrafficReader.Malformed bad -> {
                        malformed++;
                        if (problems.size() < 5) {
                            problems.add(file + " at byte " + bad.startOffset() + ": " + bad.reason());
                        }
                    }
                }
            }
        }
        return new Batch(records, malformed, problems, new Cursor(end, head(file, end)), restarted);
    }

    private static String head(Path file, long upTo) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) Math.min(HEAD_BYTES, upTo));
            return ModelArtifact.digest(bytes);
        }
    }
}
