package dev.freshet.engine.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.engine.parse.TreeSitterParser;
import dev.freshet.engine.pattern.PatternCompiler;
import dev.freshet.engine.report.ReportFormat;
import dev.freshet.engine.report.RuleInfo;
import dev.freshet.engine.rules.Rule;
import dev.freshet.engine.rules.RuleLoader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rule that matches more often than a scan may report: the scan stops at its limit and every report says so. */
class FindingLimitTest {
    private static final TreeSitterParser PARSER = new TreeSitterParser();
    private final Scanner scanner = new Scanner(PARSER, new Scanner.Options(Duration.ofSeconds(30), 2, true));

    @TempDir
    Path tmp;

    private List<Rule> evalRule() {
        List<Rule> rules = new RuleLoader(new PatternCompiler(PARSER)).parse(Path.of("eval.yaml"), """
                rules:
                  - id: python-eval
                    message: eval of $X
                    severity: WARNING
                    languages: [python]
                    pattern: eval($X)
                """).rules();
        assertThat(rules).hasSize(1);
        return rules;
    }

    /** Four files of 300 eval calls each. */
    private List<Path> files() throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            files.add(Files.writeString(tmp.resolve("f" + i + ".py"), "def run(x):\n" + "    eval(x)\n".repeat(300)));
        }
        return files;
    }

    @Test
    void aScanKeepsAtMostItsLimitOfFindingsAndSaysItWasTruncated() throws Exception {
        ScanResult result = scanner.scan(evalRule(), files(), tmp, n -> { }, 250);

        assertThat(result.findings()).hasSize(250);
        assertThat(result.truncated()).isTrue();
        assertThat(result.problems()).filteredOn(p -> p.kind() == ScanProblem.Kind.TRUNCATED).singleElement()
                .satisfies(p -> assertThat(p.message()).startsWith("truncated after 250 findings"));
        for (ReportFormat format : ReportFormat.values()) {
            StringWriter out = new StringWriter();
            format.writer("test").write(result, List.of(RuleInfo.of(evalRule().getFirst())), tmp, out);
            assertThat(out.toString()).as(format.id()).contains("truncated after 250 findings");
        }
    }

    @Test
    void aScanUnderItsLimitIsComplete() throws Exception {
        ScanResult result = scanner.scan(evalRule(), files(), tmp, n -> { }, 1200);
        assertThat(result.findings()).hasSize(1200);
        assertThat(result.truncated()).isFalse();
        assertThatThrownBy(() -> scanner.scan(evalRule(), files(), tmp, n -> { }, 0))
                .hasMessage("the limit of findings must be at least 1: 0");
    }
}
