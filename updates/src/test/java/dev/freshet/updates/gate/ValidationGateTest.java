package dev.freshet.updates.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.freshet.updates.gate.Verdict.Outcome;
import dev.freshet.updates.sources.SourceFile;
import dev.freshet.updates.sources.SourceSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidationGateTest {
    private static final GatePolicy POLICY = GatePolicy.defaults("1.50.0").withThreads(2);

    @TempDir
    Path dir;

    private static String rule(String id, String extra) {
        return """
                rules:
                  - id: %s
                    message: eval is dangerous
                    severity: ERROR
                    languages: [python]
                    pattern: eval(...)
                %s""".formatted(id, extra.indent(4));
    }

    private static final String EVAL_TEST = "# ruleid: no-eval\neval(x)\n# ok: no-eval\nprint(x)\n";

    private static SnapshotWithPolicy snapshot(String source, int priority, boolean testsRequired, String... pathsAndContents) {
        List<SourceFile> files = new ArrayList<>();
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            files.add(new SourceFile(pathsAndContents[i], pathsAndContents[i + 1].getBytes(StandardCharsets.UTF_8)));
        }
        return new SnapshotWithPolicy(new SourceSnapshot(source, "rev-1", files), priority, testsRequired);
    }

    private static GateResult validate(GatePolicy policy, SnapshotWithPolicy... inputs) throws IOException {
        return new ValidationGate(policy).validate(List.of(inputs));
    }

    private static Verdict only(GateResult result) {
        assertThat(result.report().verdicts()).hasSize(1);
        return result.report().verdicts().get(0);
    }

    @Test
    void acceptsAGoodRuleAsItsOwnDocumentWithItsHash() throws Exception {
        GateResult result = validate(POLICY, snapshot("main", 0, true, "py/eval.yaml", rule("no-eval", ""), "py/eval.py", EVAL_TEST));

        Verdict verdict = only(result);
        assertThat(verdict.outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(verdict.reason()).isEqualTo("own tests passed (1 file)");
        assertThat(result.accepted()).singleElement().satisfies(rule -> {
            assertThat(rule.id()).isEqualTo("no-eval");
            assertThat(rule.source()).isEqualTo("main");
            assertThat(rule.path()).isEqualTo("py/eval.yaml");
            assertThat(rule.yaml()).startsWith("rules:\n- id: no-eval\n").contains("pattern: eval(...)");
            assertThat(rule.sha256()).isEqualTo(sha256(rule.yaml()));
        });
    }

    @Test
    void splitsRuleFilesIntoOneDocumentPerRuleKeepingMultiLinePatternsReadable() throws Exception {
        String file = """
                rules:
                  - id: first
                    message: m
                    severity: INFO
                    languages: [python]
                    patterns:
                      - pattern: |
                          a = 1
                          b = 2
                  - id: second
                    message: m
                    severity: INFO
                    languages: [python]
                    pattern: b(...)
                    metadata: {cwe: [1, 2], confidence: HIGH}
                """;
        GateResult result = validate(POLICY, snapshot("main", 0, false, "r.yml", file));

        assertThat(result.accepted()).extracting(AcceptedRule::id).containsExactly("first", "second");
        assertThat(result.accepted().get(0).yaml()).contains("- pattern: |\n").doesNotContain("second");
        assertThat(result.accepted().get(1).yaml()).isEqualTo("""
                rules:
                - id: second
                  message: m
                  severity: INFO
                  languages:
                  - python
                  pattern: b(...)
                  metadata:
                    cwe:
                    - 1
                    - 2
                    confidence: HIGH
                """);
    }

    @Test
    void rejectsInvalidRulesWithTheLoadersReasonAndBrokenFilesAsAWhole() throws Exception {
        String noMessage = """
                rules:
                  - id: no-message
                    severity: ERROR
                    languages: [python]
                    pattern: eval(...)
                """;
        GateResult result = validate(POLICY, snapshot("main", 0, false, "a.yaml", noMessage, "b.yaml", "rules: [\n", "c.yaml", "x: 1\n"));

        assertThat(result.accepted()).isEmpty();
        assertThat(result.report().verdicts()).extracting(Verdict::ruleId, Verdict::path, Verdict::outcome).containsExactly(
                tuple("no-message", "a.yaml", Outcome.REJECTED), tuple("(file)", "b.yaml", Outcome.REJECTED),
                tuple("(file)", "c.yaml", Outcome.REJECTED));
        assertThat(result.report().verdicts()).extracting(Verdict::reason).satisfiesExactly(
                r -> assertThat(r).isEqualTo("missing 'message'"),
                r -> assertThat(r).startsWith("not valid YAML (line 2): "),
                r -> assertThat(r).isEqualTo("expected a top-level 'rules:' list"));
        assertThat(result.report().verdicts()).extracting(Verdict::line).as("the lines the loader knows").containsExactly(2, 2, 1);

        String commented = "# header\n\n" + noMessage.replace("severity: ERROR", "severity: SEVERE\n    message: m");
        assertThat(only(validate(POLICY, snapshot("main", 0, false, "d.yaml", commented))).line())
                .as("counted in the file as written, comments included").isEqualTo(5);
    }

    @Test
    void aSourceOverTheReadersLimitsIsRefusedAsAWholeAndTheOthersAreValidated() throws Exception {
        String deep = "rules: " + "[".repeat(200_000) + "]".repeat(200_000) + "\n";
        SnapshotWithPolicy hostile = snapshot("hostile", 0, false, "a.yaml", rule("kept", ""), "deep.yaml", deep)
                .withFallback(Optional.of(new SourceSnapshot("hostile", "active:x",
                        List.of(new SourceFile("a.yaml", rule("kept", "").getBytes(StandardCharsets.UTF_8))))));

        GateResult result = validate(POLICY, snapshot("good", 0, false, "b.yaml", rule("good", "")), hostile);

        assertThat(result.accepted()).extracting(AcceptedRule::id, AcceptedRule::source)
                .containsExactly(tuple("good", "good"), tuple("kept", "hostile"));
        assertThat(result.report().failedSources()).containsExactly(
                new GateReport.SourceFailure("hostile", "deep.yaml:1: collections nested deeper than 100 levels", 1));
    }

    @Test
    void aPatternOverTheSizeLimitIsRejectedWithoutCompilingIt() throws Exception {
        String huge = "a" + " + a".repeat(110_000);
        String file = """
                rules:
                  - id: huge
                    message: m
                    severity: ERROR
                    languages: [python]
                    pattern: %s
                """.formatted(huge);

        Verdict verdict = only(validate(POLICY, snapshot("main", 0, false, "huge.yaml", file)));

        assertThat(verdict.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(verdict.reason()).startsWith("a pattern of 440001 characters, over the limit of");
        assertThat(verdict.line()).as("the line in huge.yaml as the source has it").isEqualTo(6);
    }

    @Test
    void rejectsUnsupportedRulesNamingTheFeature() throws Exception {
        String join = rule("joined", "mode: join").replace("    pattern: eval(...)\n", "");
        String conditional = rule("conditional", "").replace("pattern: eval(...)", "pattern-regex: 'eval(?(1)a|b)'");
        GateResult result = validate(POLICY, snapshot("main", 0, false, "a.yaml", join, "b.yaml", conditional));

        assertThat(result.report().verdicts()).extracting(Verdict::outcome, Verdict::reason).containsExactly(
                tuple(Outcome.REJECTED, "unsupported: join mode"),
                tuple(Outcome.REJECTED, "unsupported: PCRE conditional group (?(1)a|b)"));
    }

    @Test
    void rejectsARuleThatFailsItsOwnTests() throws Exception {
        String wrongLine = "# ruleid: no-eval\nprint(x)\neval(x)\n";
        Verdict verdict = only(validate(POLICY, snapshot("main", 0, false, "eval.yaml", rule("no-eval", ""), "eval.py", wrongLine)));

        assertThat(verdict.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(verdict.reason()).isEqualTo("own tests failed: eval.py: expected lines [2], reported [3]; missed [2]; unexpected [3]");
    }

    @Test
    void aMissingTestFileRejectsOnlyWhenTheSourceRequiresTests() throws Exception {
        // A test file in another language does not count.
        SnapshotWithPolicy strict = snapshot("strict", 0, true, "eval.yaml", rule("no-eval", ""), "eval.js", "eval(1)\n");
        SnapshotWithPolicy lenient = snapshot("lenient", 0, false, "eval.yaml", rule("no-eval", ""), "eval.js", "eval(1)\n");

        assertThat(only(validate(POLICY, strict))).extracting(Verdict::outcome, Verdict::reason).containsExactly(Outcome.REJECTED,
                "no test file for its languages beside eval.yaml (source 'strict' requires tests)");
        assertThat(only(validate(POLICY, lenient))).extracting(Verdict::outcome, Verdict::reason)
                .containsExactly(Outcome.ACCEPTED, "no tests");
    }

    @Test
    void skipsRulesThatNeedANewerEngine() throws Exception {
        GateResult result = validate(POLICY, snapshot("main", 0, false,
                "a.yaml", rule("future", "min-version: 1.100.0"),
                "b.yaml", rule("current", "min-version: 1.9.3"),
                "c.yaml", rule("retired", "max-version: 1.2.0"),
                "d.yaml", rule("garbled", "min-version: soon")));

        assertThat(result.report().verdicts()).extracting(Verdict::ruleId, Verdict::outcome, Verdict::reason).containsExactly(
                tuple("future", Outcome.SKIPPED, "needs engine >= 1.100.0"),
                tuple("current", Outcome.ACCEPTED, "no tests"),
                tuple("retired", Outcome.SKIPPED, "needs engine <= 1.2.0"),
                tuple("garbled", Outcome.REJECTED, "min-version 'soon' is not a dotted version such as 1.2.0"));
        assertThat(result.accepted()).extracting(AcceptedRule::id).containsExactly("current");
    }

    @Test
    void aRuleForANewerEngineIsSkippedEvenWhenThisEngineCannotReadItsPatterns() throws Exception {
        GateResult result = validate(POLICY, snapshot("main", 0, false,
                "a.yaml", rule("future-syntax", "min-version: 1.100.0\nmatch: {anywhere: eval(...)}").replace("    pattern: eval(...)\n", ""),
                "b.yaml", rule("current-syntax", "match: {anywhere: eval(...)}").replace("    pattern: eval(...)\n", "")));

        assertThat(result.report().verdicts()).extracting(Verdict::ruleId, Verdict::outcome, Verdict::reason).containsExactly(
                tuple("future-syntax", Outcome.SKIPPED, "needs engine >= 1.100.0"),
                tuple("current-syntax", Outcome.REJECTED, "unsupported: match: anywhere"));
    }

    @Test
    void duplicateIdsKeepTheHigherPrioritySourcesRule() throws Exception {
        SnapshotWithPolicy community = snapshot("community", 1, false, "x.yaml", rule("no-eval", ""));
        SnapshotWithPolicy company = snapshot("company", 10, false, "y.yaml", rule("no-eval", "metadata: {tuned: true}"));

        for (List<SnapshotWithPolicy> order : List.of(List.of(community, company), List.of(company, community))) {
            GateResult result = new ValidationGate(POLICY).validate(order);
            assertThat(result.accepted()).singleElement().satisfies(rule -> {
                assertThat(rule.source()).isEqualTo("company");
                assertThat(rule.yaml()).contains("tuned: true");
            });
            assertThat(result.report().verdicts()).filteredOn(v -> v.source().equals("community")).singleElement()
                    .extracting(Verdict::outcome, Verdict::reason)
                    .containsExactly(Outcome.SKIPPED, "duplicate of no-eval from company (higher priority)");
        }

        // A rejected rule does not shadow a good one with the same id.
        SnapshotWithPolicy broken = snapshot("company", 10, false, "y.yaml", rule("no-eval", "").replace("ERROR", "LOUD"));
        GateResult result = validate(POLICY, community, broken);
        assertThat(result.accepted()).extracting(AcceptedRule::source).containsExactly("community");
    }

    @Test
    void rejectsARuleOverItsTimeBudgetOnTheReferenceCorpus() throws Exception {
        Path corpus = Files.createDirectories(dir.resolve("reference"));
        Files.writeString(corpus.resolve("app.py"), "def f(x):\n    return eval(x)\n".repeat(50));

        Verdict slow = only(validate(POLICY.withReferenceCorpus(corpus, Duration.ofNanos(1)),
                snapshot("main", 0, false, "a.yaml", rule("no-eval", ""))));
        assertThat(slow.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(slow.reason()).matches("too slow: \\d+(\\.\\d+)? ms on the reference corpus \\(1 file; budget 0\\.000 ms\\)");

        Verdict fast = only(validate(POLICY.withReferenceCorpus(corpus, Duration.ofSeconds(30)),
                snapshot("main", 0, false, "a.yaml", rule("no-eval", ""))));
        assertThat(fast.outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(fast.reason()).matches("no tests; \\d+(\\.\\d+)? ms on the reference corpus");
    }

    @Test
    void genericRulesAreTestedOnTheirTemplatesAndCountedOnEveryTextFile() throws Exception {
        String generic = """
                rules:
                  - id: unescaped
                    message: unescaped output
                    severity: WARNING
                    languages: [generic]
                    pattern: "{{ ... | safe }}"
                """;
        Verdict tested = only(validate(POLICY, snapshot("main", 0, true, "t/unescaped.yaml", generic,
                "t/unescaped.html", "<!-- ruleid: unescaped -->\n<p>{{ x | safe }}</p>\n{# ok: unescaped #}\n<p>{{ x }}</p>\n")));
        assertThat(tested.outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(tested.reason()).isEqualTo("own tests passed (1 file)");

        Path clean = Files.createDirectories(dir.resolve("templates"));
        Files.writeString(clean.resolve("a.html"), "{{ a | safe }}\n{{ b | safe }}\n");
        Files.writeString(clean.resolve("b.jinja2"), "{{ c | safe }}\n");
        Files.writeString(clean.resolve("c.py"), "x = '{{ d | safe }}'\n");
        Files.write(clean.resolve("d.bin"), "\0{{ e | safe }}\n".getBytes(StandardCharsets.UTF_8)); // binary: not in the corpus
        assertThat(only(validate(POLICY.withCleanCorpus(clean, 3), snapshot("main", 0, false, "a.yaml", generic))))
                .extracting(Verdict::outcome, Verdict::reason)
                .containsExactly(Outcome.REJECTED, "too noisy: 4 findings on the clean corpus (3 files; limit 3)");
    }

    @Test
    void rejectsARuleOverTheNoiseLimitOnTheCleanCorpus() throws Exception {
        Path clean = Files.createDirectories(dir.resolve("clean"));
        Files.writeString(clean.resolve("a.py"), "eval(a)\neval(b)\n");
        Files.writeString(clean.resolve("b.py"), "eval(c)\n");
        Files.writeString(clean.resolve("c.js"), "eval(d)\n");
        SnapshotWithPolicy input = snapshot("main", 0, false, "a.yaml", rule("no-eval", ""));

        assertThat(only(validate(POLICY.withCleanCorpus(clean, 2), input))).extracting(Verdict::outcome, Verdict::reason)
                .containsExactly(Outcome.REJECTED, "too noisy: 3 findings on the clean corpus (3 files; limit 2)");
        assertThat(only(validate(POLICY.withCleanCorpus(clean, 3), input))).extracting(Verdict::outcome, Verdict::reason)
                .containsExactly(Outcome.ACCEPTED, "no tests; 3 findings on the clean corpus");
    }

    @Test
    void resultsAreTheSameWhateverTheParallelism() throws Exception {
        List<String> files = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            files.add("r" + i + ".yaml");
            files.add(i % 5 == 0 ? rule("bad-" + i, "").replace("ERROR", "NOPE") : rule("rule-" + i, i % 3 == 0 ? "min-version: 9.0.0" : ""));
            files.add("r" + i + ".py");
            files.add(i % 4 == 0 ? "eval(1)\n" : "# ruleid: rule-" + i + "\neval(1)\n");
        }
        SnapshotWithPolicy input = snapshot("main", 0, false, files.toArray(String[]::new));

        GateResult sequential = validate(POLICY.withThreads(1), input);
        GateResult parallel = validate(POLICY.withThreads(4), input);

        assertThat(parallel).isEqualTo(sequential);
        Map<Outcome, Long> outcomes = new LinkedHashMap<>();
        sequential.report().verdicts().forEach(v -> outcomes.merge(v.outcome(), 1L, Long::sum));
        assertThat(outcomes).containsExactlyInAnyOrderEntriesOf(Map.of(Outcome.ACCEPTED, 10L, Outcome.REJECTED, 8L, Outcome.SKIPPED, 6L));
        assertThat(sequential.report().verdicts()).extracting(Verdict::path).isSorted();
    }

    @Test
    void comparesVersionsNumerically() {
        assertThat(Version.parse("1.10.0").orElseThrow()).isGreaterThan(Version.parse("1.9").orElseThrow());
        assertThat(Version.parse("v2.0").orElseThrow()).isEqualTo(Version.parse("2.0.0-rc1").orElseThrow());
        assertThat(Version.parse("latest")).isEmpty();
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
