package dev.freshet.updates.generation;

import dev.freshet.engine.hash.Sha256;
import dev.freshet.engine.knowledge.RuleCompiler;
import dev.freshet.engine.rules.Rule;
import dev.freshet.engine.rules.RuleDefinition;
import dev.freshet.engine.rules.RuleSet;
import dev.freshet.engine.scan.Finding;
import dev.freshet.engine.scan.ScanResult;
import dev.freshet.engine.scan.Scanner;
import dev.freshet.updates.gate.GateResult;
import dev.freshet.updates.gate.SnapshotWithPolicy;
import dev.freshet.updates.gate.ValidationGate;
import dev.freshet.updates.gate.Verdict;
import dev.freshet.updates.sources.SourceFile;
import dev.freshet.updates.sources.SourceSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Runs a draft with Freshet's own engine: the rule must compile with the shared compiler, carry the
 * id asked for, report the vulnerable example, report nothing on the safe one, and pass the
 * validation gate (its own tests, which are the annotated vulnerable example, and the gate's time
 * and noise budgets). The first problem found is the verdict, worded to be fed back to a generator.
 */
public final class RuleValidator {
    /** Where validated custom rules come from, as releases name their rules' sources. */
    public static final String SOURCE = "custom";

    private final RuleCompiler compiler;
    private final Scanner scanner;
    private final ValidationGate gate;

    public RuleValidator(RuleCompiler compiler, Scanner scanner, ValidationGate gate) {
        this.compiler = compiler;
        this.scanner = scanner;
        this.gate = gate;
    }

    /** A draft's verdict. */
    public sealed interface Result {
        /** @param tests the rule's test files: the annotated vulnerable example and the safe example, by file name */
        record Valid(Map<String, String> tests, Verdict verdict) implements Result {
        }

        record Invalid(String problem) implements Result {
        }
    }

    public Result validate(Target target, Draft draft) throws IOException {
        RuleSet compiled = compiler.compile(new RuleCompiler.RuleDocument(Sha256.hex(draft.yaml()), SOURCE + "/" + target.ruleId() + ".yaml",
                draft.yaml()));
        if (!compiled.problems().isEmpty()) {
            return new Result.Invalid("the rule does not compile: " + compiled.problems().getFirst().reason());
        }
        List<String> ids = compiled.rules().stream().map(Rule::id).toList();
        if (!ids.equals(List.of(target.ruleId()))) {
            return new Result.Invalid("the file must hold exactly one rule with id " + target.ruleId() + ", not " + ids);
        }
        if (RuleDefinition.read(draft.yaml()).stream().noneMatch(d -> d.category().filter(RuleDefinition.SECURITY::equals).isPresent())) {
            return new Result.Invalid("the rule's metadata must say category: security");
        }
        if (!target.cves().isEmpty() && RuleDefinition.read(draft.yaml()).stream().noneMatch(d -> d.metadata().get("cve") instanceof List<?> listed
                && listed.stream().map(String::valueOf).toList().containsAll(target.cves()))) {
            return new Result.Invalid("the rule's metadata must list cve: " + target.cves());
        }
        Rule rule = compiled.rules().getFirst();
        Path dir = Files.createTempDirectory("freshet-generated-");
        try {
            String base = target.key();
            Path vulnerable = Files.writeString(dir.resolve(base + "." + target.extension()), draft.vulnerable());
            Path safe = Files.writeString(dir.resolve(base + ".safe." + target.extension()), draft.safe());
            if (!rule.appliesToFile(vulnerable)) {
                return new Result.Invalid("the rule's languages do not cover ." + target.extension() + " files (" + target.language().id() + ")");
            }
            ScanResult onVulnerable = scanner.scan(List.of(rule), List.of(vulnerable), dir, n -> { });
            if (!onVulnerable.problems().isEmpty()) {
                return new Result.Invalid("the vulnerable example could not be scanned: " + onVulnerable.problems().getFirst().message());
            }
            if (onVulnerable.findings().isEmpty()) {
                return new Result.Invalid("the rule does not match the vulnerable example");
            }
            List<Finding> onSafe = scanner.scan(List.of(rule), List.of(safe), dir, n -> { }).findings();
            if (!onSafe.isEmpty()) {
                return new Result.Invalid("the rule also matches the safe example, at line " + onSafe.getFirst().startLine()
                        + ": " + onSafe.getFirst().code().strip());
            }
            String annotated = annotated(draft.vulnerable(), onVulnerable.findings(), target);
            GateResult gated = gate.validate(List.of(new SnapshotWithPolicy(new SourceSnapshot(SOURCE, "generated", List.of(
                    new SourceFile(base + ".yaml", draft.yaml().getBytes(StandardCharsets.UTF_8)),
                    new SourceFile(base + "." + target.extension(), annotated.getBytes(StandardCharsets.UTF_8)))), 0, true, Optional.empty())));
            Verdict verdict = gated.report().verdicts().getFirst();
            if (verdict.outcome() != Verdict.Outcome.ACCEPTED) {
                return new Result.Invalid("the validation gate refused the rule: " + verdict.reason());
            }
            return new Result.Valid(Map.of(base + "." + target.extension(), annotated, base + ".safe." + target.extension(), draft.safe()),
                    verdict);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** A validated rule with its test files (the annotated vulnerable example and the safe one, by file name). */
    public record Tested(String ruleId, String yaml, Map<String, String> tests) {
    }

    /**
     * Runs rules made before through the gate together, each beside its annotated vulnerable
     * example (the safe example has no annotation, so it is not a test of its own): what a release
     * of them records as its gate report.
     */
    public GateResult gate(List<Tested> rules) throws IOException {
        List<SourceFile> files = new ArrayList<>();
        for (Tested rule : rules) {
            Map.Entry<String, String> vulnerable = rule.tests().entrySet().stream().filter(t -> !t.getKey().contains(".safe."))
                    .findFirst().orElse(null);
            if (vulnerable == null) {
                continue; // no test of its own: the gate would refuse it anyway
            }
            String stem = vulnerable.getKey().substring(0, vulnerable.getKey().lastIndexOf('.'));
            files.add(new SourceFile(stem + ".yaml", rule.yaml().getBytes(StandardCharsets.UTF_8)));
            files.add(new SourceFile(vulnerable.getKey(), vulnerable.getValue().getBytes(StandardCharsets.UTF_8)));
        }
        return gate.validate(List.of(new SnapshotWithPolicy(new SourceSnapshot(SOURCE, "library", files), 0, true, Optional.empty())));
    }

    /** The vulnerable example with a {@code ruleid:} comment above each line the rule reports: the rule's own test. */
    static String annotated(String example, List<Finding> findings, Target target) {
        String comment = target.language().lineComment() == null ? "#" : target.language().lineComment();
        TreeSet<Integer> lines = new TreeSet<>(findings.stream().map(Finding::startLine).toList());
        List<String> out = new ArrayList<>();
        String[] source = example.split("\n", -1);
        for (int i = 0; i < source.length; i++) {
            if (lines.contains(i + 1)) {
                String indent = source[i].substring(0, source[i].length() - source[i].stripLeading().length());
                out.add(indent + comment + " ruleid: " + target.ruleId());
            }
            out.add(source[i]);
        }
        return String.join("\n", out);
    }
}
