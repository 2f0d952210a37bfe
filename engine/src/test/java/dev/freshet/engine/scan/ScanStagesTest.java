package dev.freshet.engine.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.parse.TreeSitterParser;
import dev.freshet.engine.pattern.PatternCompiler;
import dev.freshet.engine.rules.Rule;
import dev.freshet.engine.rules.RuleLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scan says where its time went: only the stages a file went through are counted. */
class ScanStagesTest {
    private static final TreeSitterParser PARSER = new TreeSitterParser();

    @TempDir
    Path tmp;

    private final List<Rule> rules = new RuleLoader(new PatternCompiler(PARSER)).parse(Path.of("eval.yaml"), """
            rules:
              - id: python-eval
                message: eval of $X
                severity: WARNING
                languages: [python]
                pattern: eval($X)
            """).rules();

    private ScanResult scan(int threads, Path... files) {
        return new Scanner(PARSER, new Scanner.Options(Duration.ofSeconds(30), threads, true)).scan(rules, List.of(files), tmp, n -> { });
    }

    @Test
    void aFileTheRuleMayMatchIsReadPrefilteredParsedAndMatched() throws Exception {
        Path file = Files.writeString(tmp.resolve("a.py"), "def run(x):\n    eval(x)\n");

        StageNanos stages = scan(1, file).stages();

        assertThat(stages.read()).isPositive();
        assertThat(stages.prefilter()).isPositive();
        assertThat(stages.parse()).isPositive();
        assertThat(stages.match()).isPositive();
        assertThat(stages.total()).isEqualTo(stages.read() + stages.prefilter() + stages.parse() + stages.match());
    }

    @Test
    void aFileWithoutTheRulesWordsIsNeitherParsedNorMatched() throws Exception {
        Path file = Files.writeString(tmp.resolve("b.py"), "def run(x):\n    print(x)\n");

        StageNanos stages = scan(1, file).stages();

        assertThat(stages.read()).isPositive();
        assertThat(stages.parse()).isZero();
        assertThat(stages.match()).isZero();
    }

    @Test
    void stagesAddUpOverFilesAndThreadsAndFindingsDoNotDependOnTheThreadCount() throws Exception {
        Path[] files = new Path[8];
        for (int i = 0; i < files.length; i++) {
            files[i] = Files.writeString(tmp.resolve("f" + i + ".py"), "def run(x):\n" + "    eval(x)\n".repeat(i + 1));
        }

        ScanResult one = scan(1, files);
        ScanResult two = scan(2, files);

        assertThat(two.findings()).isEqualTo(one.findings()).hasSize(36);
        assertThat(two.stages().parse()).isPositive();
        assertThat(two.stages().total()).isGreaterThan(two.stages().parse());
    }
}
