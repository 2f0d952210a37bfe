package dev.freshet.engine.deps.cvss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Scores every CVSS vector found in the shared advisory samples (NVD API pages, GitHub advisories,
 * Trivy and vunnel fixtures, OSV records) and compares with the score published next to it.
 * Skipped where the shared data is absent; {@code -Dfreshet.shared=DIR} points elsewhere.
 */
class CvssAgreementTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern VECTOR = Pattern.compile("^(CVSS:\\d\\.\\d/)?AV:[A-Z]+/.*");

    /** A published pair: vector, the score given next to it, and where it was seen first. */
    private record Published(String vector, double score, Path file) {
    }

    /**
     * Published pairs whose score does not belong to the vector beside it, each checked by hand.
     * The test fails if one of these starts to agree (or disappears) as much as if a new one appears.
     */
    private static final Map<String, String> KNOWN_INCONSISTENT = Map.of(
            "CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:C/C:H/I:N/A:N 7.5",
            "Trivy's hand-made fixture for CVE-2022-38177 pairs an edited vector with the score of NVD's real one"
                    + " (AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H = 7.5); the v3.1 equations give 6.0 for this vector");

    private final Map<String, Published> pairs = new TreeMap<>();
    private final Map<String, Path> vectorsOnly = new TreeMap<>();
    private int files;
    private int unreadable;

    @Test
    void agreesWithEveryPublishedScore() throws IOException {
        Path root = Path.of(System.getProperty("freshet.shared", "/work/shared"), "data", "vuln");
        assumeTrue(Files.isDirectory(root), "shared advisory samples not present at " + root);
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) read(file);
        }

        Map<String, int[]> byVersion = new TreeMap<>(); // version -> {pairs, agreeing}
        Map<String, String> disagreements = new TreeMap<>();
        for (Map.Entry<String, Published> pair : pairs.entrySet()) {
            Published p = pair.getValue();
            String outcome;
            String version = "?";
            try {
                Cvss cvss = Cvss.parse(p.vector());
                version = version(cvss);
                // Publishers score a v4.0 vector as a whole, threat and environmental metrics included.
                double score = cvss instanceof CvssV4 v4 ? v4.score() : cvss.baseScore();
                outcome = score == Math.round(p.score() * 10) / 10.0 ? null : "scored " + score;
            } catch (CvssException e) {
                outcome = e.getMessage();
            }
            int[] counts = byVersion.computeIfAbsent(version, v -> new int[2]);
            counts[0]++;
            if (outcome == null) counts[1]++;
            else disagreements.put(pair.getKey(), p.vector() + " published " + p.score() + " in " + p.file() + ": " + outcome);
        }
        List<String> rejected = new ArrayList<>();
        for (Map.Entry<String, Path> v : vectorsOnly.entrySet()) {
            try {
                Cvss.parse(v.getKey());
            } catch (CvssException e) {
                rejected.add(v.getValue() + ": " + e.getMessage());
            }
        }

        System.out.printf("CVSS agreement: %d files with vectors read (%d not JSON/YAML), %d distinct (vector, score) pairs%n",
                files, unreadable, pairs.size());
        byVersion.forEach((version, c) -> System.out.printf("  %-4s %d of %d published scores reproduced%n",
                version, c[1], c[0]));
        System.out.printf("  %d further distinct vectors without a score: %d parse%n",
                vectorsOnly.size(), vectorsOnly.size() - rejected.size());
        disagreements.forEach((key, d) -> System.out.println(
                (KNOWN_INCONSISTENT.containsKey(key) ? "  KNOWN BAD DATA " : "  DISAGREES ") + d));
        rejected.forEach(r -> System.out.println("  REJECTED " + r));

        assertThat(pairs).hasSizeGreaterThan(50);
        assertThat(disagreements.keySet()).containsExactlyInAnyOrderElementsOf(KNOWN_INCONSISTENT.keySet());
        assertThat(rejected).isEmpty();
    }

    private static String version(Cvss cvss) {
        return switch (cvss) {
            case CvssV2 v -> "2.0";
            case CvssV3 v -> v.version();
            case CvssV4 v -> "4.0";
        };
    }

    private void read(Path file) throws IOException {
        String name = file.getFileName().toString();
        boolean json = name.endsWith(".json") || name.endsWith(".golden");
        if (!json && !name.endsWith(".yaml") && !name.endsWith(".yml")) return;
        Object tree;
        try {
            String text = Files.readString(file);
            if (!text.contains("AV:")) return; // no vector in it; spares parsing most of the corpus
            if (json) {
                tree = MAPPER.readValue(text, Object.class);
            } else {
                List<Object> documents = new ArrayList<>();
                new Load(LoadSettings.builder().build()).loadAllFromString(text).forEach(documents::add);
                tree = documents;
            }
        } catch (RuntimeException | IOException e) {
            unreadable++;
            return;
        }
        files++;
        walk(tree, file);
    }

    private void walk(Object node, Path file) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if (value instanceof String text && VECTOR.matcher(text).matches()) pair(map, key.toString(), text, file);
                else walk(value, file);
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> walk(item, file));
        }
    }

    /**
     * Finds the score published beside a vector: the numeric field whose name matches the vector
     * field's once "vector"/"vectorString" and "score"/"baseScore" are taken off (vectorString and
     * baseScore in NVD, V3Vector and V3Score in Trivy, cvssv3_vector and cvssv3_baseScore in vunnel).
     */
    private void pair(Map<?, ?> map, String vectorKey, String vector, Path file) {
        String stem = stem(vectorKey, "vectorstring", "vector");
        Double score = null;
        int candidates = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getValue() instanceof Number n && stem != null
                    && stem.equals(stem(e.getKey().toString(), "basescore", "score"))) {
                score = n.doubleValue();
                candidates++;
            }
        }
        if (candidates == 1) pairs.putIfAbsent(vector + " " + score, new Published(vector, score, file));
        else vectorsOnly.putIfAbsent(vector, file);
    }

    private static String stem(String key, String... suffixes) {
        String k = key.toLowerCase(Locale.ROOT).replace("_", "");
        for (String suffix : suffixes) {
            if (k.endsWith(suffix)) return k.substring(0, k.length() - suffix.length());
        }
        return null;
    }
}
