package dev.freshet.engine.deps.trivy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.engine.deps.AdvisoryIndex;
import dev.freshet.engine.deps.DependencyFinding;
import dev.freshet.engine.deps.lockfile.Dependency;
import dev.freshet.engine.deps.lockfile.LockfileException;
import dev.freshet.engine.deps.lockfile.Lockfiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The CI ratchet against Trivy: scans each project of Trivy's end-to-end fixtures with
 * {@link Lockfiles#findAll} and an {@link AdvisoryIndex} of Trivy's test database, and compares the
 * (file, package, installed version, vulnerability) findings with Trivy's golden report. Every
 * golden listed in {@code conformance/trivy-agreement.txt} must keep agreeing exactly; the others
 * are printed with their differences. Skipped where the fixtures (../shared) are absent.
 */
class TrivyAgreementTest {
    private static final Path SHARED = Path.of(System.getProperty("freshet.shared", "../../shared"));
    private static final Path TESTDATA = SHARED.resolve("data/vuln/trivy/integration/testdata");
    /** Surefire runs in the engine module's directory. */
    private static final Path BASELINE = Path.of("../conformance/trivy-agreement.txt");

    /** Trivy's result types whose files Freshet reads. */
    private static final Set<String> SUPPORTED_TYPES = Set.of("bundler", "cargo", "composer", "gomod", "gradle", "npm",
            "pip", "pipenv", "pnpm", "poetry", "pom", "uv", "yarn");
    /** Goldens made with a scan option; how to apply it to our findings (a path filter on the lockfile). */
    private static final Map<String, Predicate<Path>> SKIPPED_FILES = Map.of(
            "gomod-skip", file -> file.startsWith("submod2")); // --skip-dirs / --skip-files submod2
    private static final Map<String, String> UNSUPPORTED = Map.of(
            "gomod-vex", "filters findings by an OpenVEX document; Freshet does not read VEX");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One golden compared; {@code typeOfFile} is Trivy's result type of each file it reports on. */
    record Outcome(String golden, Map<String, String> typeOfFile, Set<String> theirs, Set<String> ours, List<String> problems) {
        boolean agrees() {
            return theirs.equals(ours) && problems.isEmpty();
        }

        String typeOf(String finding) {
            return typeOfFile.getOrDefault(finding.substring(0, finding.indexOf(' ')), "other");
        }
    }

    @Test
    void goldensInTheBaselineStillAgreeWithTrivy() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(TESTDATA), "Trivy fixtures not found under " + SHARED.toAbsolutePath());
        AdvisoryIndex index = new AdvisoryIndex(TrivyDb.load(TESTDATA.resolve("fixtures/db")));
        List<Outcome> outcomes = new ArrayList<>();
        List<String> notCompared = new ArrayList<>();
        List<Path> goldens;
        try (Stream<Path> list = Files.list(TESTDATA)) {
            goldens = list.filter(f -> f.getFileName().toString().endsWith(".json.golden")).sorted().toList();
        }
        for (Path golden : goldens) {
            String name = golden.getFileName().toString().replace(".json.golden", "");
            JsonNode report = JSON.readTree(golden.toFile());
            if (!"repository".equals(report.path("ArtifactType").asText())) continue;
            Map<String, String> typeOfFile = new TreeMap<>();
            report.path("Results").forEach(r -> {
                if ("lang-pkgs".equals(r.path("Class").asText())) typeOfFile.put(r.path("Target").asText(), r.path("Type").asText());
            });
            Set<String> types = new TreeSet<>(typeOfFile.values());
            if (types.isEmpty()) continue; // a misconfiguration, secret or license golden: not about dependencies
            Path repo = repository(report.path("ArtifactName").asText());
            Set<String> unsupportedTypes = types.stream().filter(t -> !SUPPORTED_TYPES.contains(t)).collect(Collectors.toCollection(TreeSet::new));
            if (UNSUPPORTED.containsKey(name) || !unsupportedTypes.isEmpty() || !Files.isDirectory(repo)) {
                notCompared.add(name + " (" + (UNSUPPORTED.containsKey(name) ? UNSUPPORTED.get(name)
                        : !unsupportedTypes.isEmpty() ? "type " + String.join(", ", unsupportedTypes) : "project not in the fixtures") + ")");
                continue;
            }
            List<String> problems = new ArrayList<>();
            Set<String> ours = ourFindings(repo, index, SKIPPED_FILES.getOrDefault(name, f -> false), problems);
            outcomes.add(new Outcome(name, typeOfFile, trivyFindings(report), ours, problems));
        }

        print(outcomes, notCompared);
        Set<String> baseline = baseline();
        List<String> regressed = baseline.stream()
                .filter(g -> outcomes.stream().noneMatch(o -> o.golden.equals(g) && o.agrees())).toList();
        assertThat(regressed).as("goldens in %s that no longer agree with Trivy (see the differences printed above)", BASELINE)
                .isEmpty();
    }

    private static Path repository(String artifactName) {
        if (artifactName.startsWith("testdata/")) return TESTDATA.resolve(artifactName.substring("testdata/".length()));
        // A remote repository (test-repo's knqyf263/trivy-ci-test) is kept under its last path segment.
        return TESTDATA.resolve("fixtures/repo").resolve(artifactName.substring(artifactName.lastIndexOf('/') + 1));
    }

    private static Set<String> trivyFindings(JsonNode report) {
        Set<String> findings = new TreeSet<>();
        for (JsonNode result : report.path("Results")) {
            for (JsonNode v : result.path("Vulnerabilities")) {
                findings.add(finding(result.path("Target").asText(), name(result.path("Type").asText(), v.path("PkgName").asText()),
                        v.path("InstalledVersion").asText(), v.path("VulnerabilityID").asText()));
            }
        }
        return findings;
    }

    private static Set<String> ourFindings(Path repo, AdvisoryIndex index, Predicate<Path> skipped, List<String> problems) {
        List<Dependency> dependencies = Lockfiles.findAll(repo, (LockfileException e) -> problems.add(e.getMessage())).stream()
                .filter(d -> !skipped.test(repo.relativize(d.lockfile()))).toList();
        Set<String> findings = new TreeSet<>();
        for (DependencyFinding f : index.match(dependencies)) {
            Path file = repo.relativize(f.dependency().lockfile());
            // Trivy reports the modules that only go.sum pins against the go.mod next to it.
            if (file.getFileName().toString().equals("go.sum")) file = file.resolveSibling("go.mod");
            findings.add(finding(file.toString(), f.dependency().name(), f.dependency().version(), f.advisoryIds().get(0)));
        }
        return findings;
    }

    /** Python names as PEP 503 compares them (Freshet reports them normalised); others as written. */
    private static String name(String type, String name) {
        return Set.of("pip", "pipenv", "poetry", "uv").contains(type)
                ? name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-") : name;
    }

    private static String finding(String file, String pkg, String version, String id) {
        return file + " " + pkg + "@" + version + " " + id;
    }

    private static void print(List<Outcome> outcomes, List<String> notCompared) {
        Map<String, int[]> byType = new TreeMap<>(); // agreeing goldens, goldens, findings both, Trivy's, ours
        for (Outcome o : outcomes) {
            for (String type : new TreeSet<>(o.typeOfFile.values())) {
                int[] t = byType.computeIfAbsent(type, k -> new int[5]);
                t[0] += o.agrees() ? 1 : 0;
                t[1]++;
            }
            for (String f : o.theirs) {
                int[] t = byType.computeIfAbsent(o.typeOf(f), k -> new int[5]);
                t[2] += o.ours.contains(f) ? 1 : 0;
                t[3]++;
            }
            o.ours.forEach(f -> byType.computeIfAbsent(o.typeOf(f), k -> new int[5])[4]++);
            System.out.println("trivy " + o.golden + ": " + (o.agrees() ? "agrees (" + o.theirs.size() + " findings)" : "DIFFERS"));
            o.theirs.stream().filter(f -> !o.ours.contains(f)).forEach(f -> System.out.println("  only Trivy:   " + f));
            o.ours.stream().filter(f -> !o.theirs.contains(f)).forEach(f -> System.out.println("  only Freshet: " + f));
            o.problems.forEach(p -> System.out.println("  cannot parse: " + p));
        }
        System.out.println("trivy agreement: " + byType.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()[0] + "/" + e.getValue()[1] + " goldens (findings " + e.getValue()[2] + " shared, "
                        + e.getValue()[3] + " Trivy, " + e.getValue()[4] + " Freshet)")
                .collect(Collectors.joining("; ")));
        System.out.println("trivy agreement: " + outcomes.stream().filter(Outcome::agrees).count() + "/" + outcomes.size()
                + " goldens agree exactly; not compared: " + String.join("; ", notCompared));
    }

    private static Set<String> baseline() throws IOException {
        assertThat(BASELINE).as("the committed Trivy baseline").exists();
        return Files.readAllLines(BASELINE).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
