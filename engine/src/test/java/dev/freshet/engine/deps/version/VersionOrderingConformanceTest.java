package dev.freshet.engine.deps.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The CI ratchet against osv-scanner's version-ordering fixtures
 * ({@code data/vuln/osv-scanner/v1/internal/semantic/fixtures} under the shared data, lines such as
 * {@code 1.0.0.dev1 < 1.0.0}). Read the way osv-scanner's compare test reads them: blank lines and
 * lines starting {@code "# "} or {@code "// "} are skipped, every other line is exactly
 * {@code A OP B} with single spaces, and it must hold both ways round (A OP B and B reversed-OP A).
 * Prints agreement per ecosystem, then fails on any line that does not hold unless
 * {@code conformance/version-ordering-known-failures.txt} lists it with a reason, and on any listed
 * line that now holds or is gone (so the list only shrinks). Skipped where the shared data is
 * absent; {@code -Dfreshet.shared=DIR} points elsewhere.
 */
class VersionOrderingConformanceTest {

    private static final Path FIXTURES = Path.of(System.getProperty("freshet.shared", "/work/shared"),
            "data/vuln/osv-scanner/v1/internal/semantic/fixtures");
    /** Surefire runs in the engine module's directory. */
    private static final Path BASELINE = Path.of("../conformance/version-ordering-known-failures.txt");

    /** The files osv-scanner's compare test runs per ecosystem; npm, crates.io and Go share the SemVer file. */
    private static final Map<Ecosystem, List<String>> FILES = new LinkedHashMap<>();

    static {
        FILES.put(Ecosystem.NPM, List.of("semver-versions.txt"));
        FILES.put(Ecosystem.CRATES_IO, List.of("semver-versions.txt"));
        FILES.put(Ecosystem.GO, List.of("semver-versions.txt"));
        FILES.put(Ecosystem.PYPI, List.of("pypi-versions.txt", "pypi-versions-generated.txt"));
        FILES.put(Ecosystem.MAVEN, List.of("maven-versions.txt", "maven-versions-generated.txt"));
        FILES.put(Ecosystem.RUBYGEMS, List.of("rubygems-versions.txt", "rubygems-versions-generated.txt"));
        FILES.put(Ecosystem.PACKAGIST, List.of("packagist-versions.txt", "packagist-versions-generated.txt"));
    }

    @Test
    void everyFixtureLineHoldsOrIsAKnownFailure() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(FIXTURES), "osv-scanner fixtures not found under " + FIXTURES.toAbsolutePath());
        Map<String, String> known = knownFailures(Files.readAllLines(BASELINE));

        Map<String, String> failing = new TreeMap<>(); // "ecosystem file line" -> what we answered
        for (Map.Entry<Ecosystem, List<String>> entry : FILES.entrySet()) {
            Ecosystem eco = entry.getKey();
            int total = 0, held = 0;
            for (String file : entry.getValue()) {
                List<String> lines = Files.readAllLines(FIXTURES.resolve(file));
                for (int n = 0; n < lines.size(); n++) {
                    String line = lines.get(n);
                    if (line.isEmpty() || line.startsWith("# ") || line.startsWith("// ")) continue;
                    String[] f = line.split(" ", -1);
                    assertThat(f).as("%s line %d is not 'A OP B': '%s'", file, n + 1, line).hasSize(3);
                    total++;
                    String outcome = outcome(eco, f[0], f[1], f[2]);
                    if (outcome == null) held++;
                    else failing.put(key(eco, file, line), outcome);
                }
            }
            System.out.printf("version ordering vs osv-scanner fixtures: %-10s %5d of %5d lines hold%n", eco.osvName(), held, total);
        }

        List<String> unexpected = new ArrayList<>();
        failing.forEach((line, outcome) -> {
            if (!known.containsKey(line)) unexpected.add(line + "   (" + outcome + ")");
        });
        TreeSet<String> stale = new TreeSet<>(known.keySet());
        stale.removeAll(failing.keySet());
        failing.keySet().stream().filter(known::containsKey)
                .forEach(line -> System.out.println("    known failure: " + line + "   (" + failing.get(line) + ")"));
        assertThat(unexpected).as("fixture lines that do not hold and are not in " + BASELINE).isEmpty();
        assertThat(stale).as("lines in " + BASELINE + " that now hold (or are gone): remove them").isEmpty();
    }

    /** Null when {@code a op b} holds both ways round; otherwise what the scheme answered. */
    static String outcome(Ecosystem eco, String a, String op, String b) {
        int expected = switch (op) {
            case "<" -> -1;
            case "=" -> 0;
            case ">" -> 1;
            default -> throw new IllegalArgumentException("unknown comparator '" + op + "' in '" + a + " " + op + " " + b + "'");
        };
        try {
            int forward = eco.compare(a, b), backward = eco.compare(b, a);
            if (forward == expected && backward == -expected) return null;
            return "got " + symbol(forward) + ", reversed " + symbol(backward);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static String symbol(int c) {
        return c < 0 ? "<" : c > 0 ? ">" : "=";
    }

    private static String key(Ecosystem eco, String file, String line) {
        return eco.osvName() + " " + file + " " + line;
    }

    /** Entries are {@code ECOSYSTEM FILE A OP B -- reason}; '#' starts a comment line. */
    static Map<String, String> knownFailures(List<String> lines) {
        Map<String, String> known = new TreeMap<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int dashes = line.indexOf(" -- ");
            String entry = dashes < 0 ? line : line.substring(0, dashes).strip();
            String reason = dashes < 0 ? "" : line.substring(dashes + 4).strip();
            assertThat(entry.split(" ")).as("baseline entry '%s' is not 'ECOSYSTEM FILE A OP B -- reason'", raw).hasSize(5);
            assertThat(reason).as("baseline entry '%s' gives no reason", raw).isNotEmpty();
            known.put(entry, reason);
        }
        return known;
    }
}
