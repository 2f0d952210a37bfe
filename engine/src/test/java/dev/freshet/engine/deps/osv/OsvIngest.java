package dev.freshet.engine.deps.osv;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Parses every OSV record (JSON or YAML) under the directories given and prints records read,
 * records rejected (with the most common reasons) and the time taken. A measuring tool for real
 * advisory databases, not a unit test: the project's tests do not depend on them.
 */
public final class OsvIngest {
    private OsvIngest() {
    }

    public static void main(String[] args) throws Exception {
        for (String arg : args) {
            long started = System.nanoTime();
            int parsed = 0;
            int rejected = 0;
            Map<String, Integer> reasons = new TreeMap<>();
            try (Stream<Path> walk = Files.walk(Path.of(arg))) {
                for (Path file : walk.filter(Files::isRegularFile).filter(OsvIngest::isRecord).toList()) {
                    String name = file.getFileName().toString();
                    OsvParser.Result result = OsvParser.parse(Files.readString(file, StandardCharsets.UTF_8),
                            name.endsWith(".yaml") || name.endsWith(".yml"));
                    if (result instanceof OsvParser.Result.Rejected r) {
                        rejected++;
                        reasons.merge(r.reason().replaceAll("^[^:]*: ", ""), 1, Integer::sum);
                    } else {
                        parsed++;
                    }
                }
            }
            System.out.printf("%s: %d records, %d rejected, %.2f s%n", arg, parsed, rejected, (System.nanoTime() - started) / 1e9);
            reasons.forEach((reason, count) -> System.out.printf("    %5d  %s%n", count, reason));
        }
    }

    private static boolean isRecord(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".json") || name.endsWith(".yaml") || name.endsWith(".yml");
    }
}
