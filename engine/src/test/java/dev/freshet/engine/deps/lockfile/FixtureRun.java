package dev.freshet.engine.deps.lockfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Not a unit test: parses osv-scanner's lockfile fixtures (which live outside the project; pass their
 * directory as argument), each copied under the file name its format needs, and prints the failures.
 * Fixtures named {@code not-*} are meant to fail and are counted apart. A second argument lists successes.
 */
public final class FixtureRun {
    private static final Map<String, String> NAMES = Map.ofEntries(Map.entry("npm", "package-lock.json"),
            Map.entry("yarn", "yarn.lock"), Map.entry("pnpm", "pnpm-lock.yaml"), Map.entry("cargo", "Cargo.lock"),
            Map.entry("bundler", "Gemfile.lock"), Map.entry("go", "go.mod"), Map.entry("pip", "requirements.txt"),
            Map.entry("poetry", "poetry.lock"), Map.entry("pipenv", "Pipfile.lock"),
            Map.entry("composer", "composer.lock"), Map.entry("gradle", "gradle.lockfile"),
            Map.entry("maven", "pom.xml"));

    public static void main(String[] args) throws IOException {
        Path tmp = Files.createTempDirectory("fixtures");
        for (var format : NAMES.entrySet()) {
            List<Path> files;
            try (Stream<Path> s = Files.list(Path.of(args[0], format.getKey()))) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
            int ok = 0, negatives = 0, negativesRejected = 0;
            for (Path f : files) {
                Path copy = Files.copy(f, tmp.resolve(format.getValue()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                boolean negative = f.getFileName().toString().startsWith("not-");
                negatives += negative ? 1 : 0;
                try {
                    List<Dependency> deps = Lockfiles.parse(copy);
                    if (!negative) ok++;
                    if (negative || args.length > 1) System.out.println((negative ? "ACCEPTED " : "ok ") + deps.size() + " " + f);
                } catch (LockfileException e) {
                    if (negative) negativesRejected++;
                    else System.out.println("FAIL " + f + ": " + e.getMessage());
                }
            }
            System.out.printf("%-8s %d/%d parsed, %d/%d not-* rejected%n", format.getKey(), ok, files.size() - negatives,
                    negativesRejected, negatives);
        }
    }
}
