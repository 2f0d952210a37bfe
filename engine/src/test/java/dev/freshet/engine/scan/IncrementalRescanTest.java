package dev.freshet.engine.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.parse.Language;
import dev.freshet.engine.parse.SourceParser;
import dev.freshet.engine.parse.SyntaxTree;
import dev.freshet.engine.parse.TreeSitterParser;
import dev.freshet.engine.pattern.PatternCompiler;
import dev.freshet.engine.rules.Rule;
import dev.freshet.engine.rules.RuleLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rescan with a finding cache reports exactly what a full scan reports, while it parses only the
 * files a changed or added rule, or a changed content, makes it read.
 */
class IncrementalRescanTest {
    private static final TreeSitterParser TREE_SITTER = new TreeSitterParser();
    private static final Scanner.Options OPTIONS = new Scanner.Options(Duration.ofSeconds(30), 2, true);

    /** Counts parses, so the test sees which files a rescan really read again. */
    private static final class CountingParser implements SourceParser {
        final AtomicInteger parses = new AtomicInteger();

        @Override
        public SyntaxTree parse(Language language, String source) {
            parses.incrementAndGet();
            return TREE_SITTER.parse(language, source);
        }
    }

    @TempDir
    Path tmp;
    private final CountingParser counting = new CountingParser();
    private final Scanner cached = new Scanner(counting, OPTIONS, new FindingCache(16 << 20));
    private final Scanner full = new Scanner(TREE_SITTER, OPTIONS);
    private List<Path> files;

    private static List<Rule> rules(String evalMessage, boolean withExec) {
        String exec = withExec ? """
                  - id: python-exec
                    message: exec of $X
                    severity: ERROR
                    languages: [python]
                    pattern: exec($X)
                """ : "";
        List<Rule> rules = new RuleLoader(new PatternCompiler(TREE_SITTER)).parse(Path.of("rules.yaml"), """
                rules:
                  - id: python-eval
                    message: %s
                    severity: WARNING
                    languages: [python]
                    pattern: eval($X)
                  - id: python-pickle
                    message: pickle.loads
                    severity: WARNING
                    languages: [python]
                    pattern: pickle.loads(...)
                %s""".formatted(evalMessage, exec)).rules();
        assertThat(rules).hasSize(withExec ? 3 : 2);
        return rules;
    }

    @BeforeEach
    void writeFiles() throws Exception {
        files = List.of(
                Files.writeString(tmp.resolve("a.py"), "import pickle\ndef run(x):\n    eval(x)\n    exec(x)\n    pickle.loads(x)\n"),
                Files.writeString(tmp.resolve("b.py"), "def other(y):\n    eval(y + 1)\n    exec(y)\n"),
                Files.writeString(tmp.resolve("c.py"), "eval(z)\nclass ))) @@ (((:\n"),
                Files.writeString(tmp.resolve("d.py"), "print('nothing to see')\n"));
    }

    private ScanResult rescan(List<Rule> rules) {
        return cached.scan(rules, files, tmp, n -> { });
    }

    private void assertSameAsFullScan(ScanResult rescanned, List<Rule> rules) {
        ScanResult reference = full.scan(rules, files, tmp, n -> { });
        assertThat(rescanned.findings()).isNotEmpty().containsExactlyElementsOf(reference.findings());
        assertThat(rescanned.problems()).containsExactlyInAnyOrderElementsOf(reference.problems());
    }

    @Test
    void unchangedRulesOnUnchangedFilesAreNotRunAgain() {
        List<Rule> rules = rules("eval of $X", false);
        assertSameAsFullScan(rescan(rules), rules);
        int firstParses = counting.parses.get();
        assertThat(firstParses).isEqualTo(3); // d.py holds no word any rule needs

        ScanResult again = rescan(rules);

        assertThat(counting.parses.get()).isEqualTo(firstParses);
        assertSameAsFullScan(again, rules);
        assertThat(again.problems()).anyMatch(p -> p.kind() == ScanProblem.Kind.PARTIAL_PARSE
                && p.file().endsWith("c.py")); // remembered, though c.py was not parsed again
    }

    @Test
    void aChangedOrAddedRuleRunsOnEveryFileAndARemovedOneDropsItsFindings() {
        rescan(rules("eval of $X", false));

        List<Rule> changed = rules("eval() runs $X as code", true);
        ScanResult afterChange = rescan(changed);
        assertSameAsFullScan(afterChange, changed);
        assertThat(afterChange.findings()).anyMatch(f -> f.message().equals("eval() runs x as code"))
                .anyMatch(f -> f.ruleId().equals("python-exec"));

        List<Rule> removed = changed.stream().filter(r -> !r.id().equals("python-exec")).toList();
        ScanResult afterRemoval = rescan(removed);
        assertSameAsFullScan(afterRemoval, removed);
        assertThat(afterRemoval.findings()).noneMatch(f -> f.ruleId().equals("python-exec"));
    }

    @Test
    void aChangedFileIsScannedAgainWithEveryRule() throws Exception {
        List<Rule> rules = rules("eval of $X", false);
        rescan(rules);
        int before = counting.parses.get();

        Files.writeString(files.get(1), "def other(y):\n    eval(y + 2)\n    eval(y + 3)\n");
        ScanResult afterEdit = rescan(rules);

        assertThat(counting.parses.get()).isEqualTo(before + 1);
        assertSameAsFullScan(afterEdit, rules);
        assertThat(afterEdit.findings()).filteredOn(f -> f.file().endsWith("b.py")).hasSize(2);
    }

    @Test
    void filesOfTheSameContentShareCachedFindingsUnderTheirOwnPaths() throws Exception {
        List<Rule> rules = rules("eval of $X", false);
        rescan(rules);
        Path copy = Files.copy(files.get(0), tmp.resolve("copy.py"));
        files = List.of(files.get(0), copy);
        int before = counting.parses.get();

        ScanResult result = rescan(rules);

        assertThat(counting.parses.get()).isEqualTo(before);
        assertThat(result.findings()).filteredOn(f -> f.file().equals(copy)).hasSize(2);
        assertSameAsFullScan(result, rules);
    }
}
