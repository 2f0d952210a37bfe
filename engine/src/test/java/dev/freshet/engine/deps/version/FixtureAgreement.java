package dev.freshet.engine.deps.version;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Not a unit test: measures agreement with osv-scanner's comparison fixtures (lines such as
 * {@code 1.0.0.dev1 < 1.0.0}), which live outside the project. Run with the fixtures directory as
 * argument; {@code --show N} prints up to N disagreements per ecosystem.
 */
public final class FixtureAgreement {

    private static final Map<Ecosystem, List<String>> FILES = Map.of(
            Ecosystem.NPM, List.of("semver-versions.txt"),
            Ecosystem.CRATES_IO, List.of("semver-versions.txt"),
            Ecosystem.GO, List.of("semver-versions.txt"),
            Ecosystem.PYPI, List.of("pypi-versions.txt", "pypi-versions-generated.txt"),
            Ecosystem.MAVEN, List.of("maven-versions.txt", "maven-versions-generated.txt"),
            Ecosystem.RUBYGEMS, List.of("rubygems-versions.txt", "rubygems-versions-generated.txt"),
            Ecosystem.PACKAGIST, List.of("packagist-versions.txt", "packagist-versions-generated.txt"));

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/data/vuln/osv-scanner/v1/internal/semantic/fixtures");
        int show = args.length > 2 && args[1].equals("--show") ? Integer.parseInt(args[2]) : 0;
        for (Ecosystem eco : Ecosystem.values()) {
            int total = 0, held = 0;
            List<String> misses = new ArrayList<>();
            for (String file : FILES.get(eco)) {
                for (String line : Files.readAllLines(dir.resolve(file))) {
                    String[] f = line.strip().split(" ");
                    if (line.isBlank() || line.startsWith("//") || f.length != 3) continue;
                    total++;
                    String outcome;
                    try {
                        int c = eco.compare(f[0], f[2]);
                        String op = c < 0 ? "<" : c > 0 ? ">" : "=";
                        outcome = op.equals(f[1]) ? null : "got " + op;
                    } catch (IllegalArgumentException e) {
                        outcome = e.getMessage();
                    }
                    if (outcome == null) held++;
                    else if (misses.size() < show) misses.add(file + ": " + line + "   (" + outcome + ")");
                }
            }
            System.out.printf("%-10s %d of %d comparisons hold%n", eco.osvName(), held, total);
            misses.forEach(m -> System.out.println("    " + m));
        }
    }
}
