package dev.freshet.engine.deps;

import dev.freshet.engine.deps.osv.OsvParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** OSV records read from a directory tree of JSON and YAML files. */
public final class Advisories {
    private static final long MAX_RECORD_BYTES = 4L * 1024 * 1024;

    /** The records read (aliases merged), and each file that could not be used with the reason. */
    public record Loaded(List<Advisory> records, List<String> rejected) {
    }

    private Advisories() {
    }

    /**
     * The advisories with every group that shares an id (directly or through a chain of aliases)
     * merged into one record, so a vulnerability that OSV, GitHub and NVD each describe is one
     * finding with all its ids. Order follows the first member of each group.
     */
    public static List<Advisory> merged(List<Advisory> advisories) {
        Map<String, Integer> groupOfId = new HashMap<>();
        int[] parent = new int[advisories.size()];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
            for (String id : advisories.get(i).ids()) {
                Integer other = groupOfId.putIfAbsent(id, i);
                if (other != null) {
                    parent[root(parent, i)] = root(parent, other);
                }
            }
        }
        Map<Integer, Advisory> byGroup = new LinkedHashMap<>();
        for (int i = 0; i < parent.length; i++) {
            byGroup.merge(root(parent, i), advisories.get(i), Advisory::mergedWith);
        }
        return List.copyOf(byGroup.values());
    }

    private static int root(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    public static Loaded load(Path directory) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).filter(Advisories::isRecordFile).sorted().toList();
        }
        List<OsvParser.Result> results = files.parallelStream().map(Advisories::read).toList();
        List<Advisory> records = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        for (OsvParser.Result result : results) {
            switch (result) {
                case OsvParser.Result.Parsed parsed -> records.add(parsed.record());
                case OsvParser.Result.Rejected r -> rejected.add(r.reason());
            }
        }
        return new Loaded(merged(records), rejected);
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
