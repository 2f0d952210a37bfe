package dev.freshet.engine.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.parse.TreeSitterParser;
import dev.freshet.engine.pattern.PatternCompiler;
import dev.freshet.engine.rules.RuleLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleCompilerTest {
    private static final String RULE = """
            rules:
              - id: no-eval
                message: eval
                severity: ERROR
                languages: [python]
                pattern: eval(...)
            """;

    private final RuleCompiler compiler = new RuleCompiler(new RuleLoader(new PatternCompiler(new TreeSitterParser())), 100);

    @Test
    void compiledRulesAreReusedByContentHash() {
        var first = compiler.compile("r1", List.of(new RuleCompiler.RuleDocument("abc", "src/no-eval.yaml", RULE)));
        var second = compiler.compile("r2", List.of(new RuleCompiler.RuleDocument("abc", "src/no-eval.yaml", RULE)));
        assertThat(first.knowledge().rules()).hasSize(1);
        assertThat(second.knowledge().releaseId()).isEqualTo("r2");
        assertThat(second.knowledge().rules().get(0)).isSameAs(first.knowledge().rules().get(0));
    }

    @Test
    void brokenDocumentsAreReportedAndLeftOut() {
        var result = compiler.compile("r1", List.of(
                new RuleCompiler.RuleDocument("ok", "a.yaml", RULE),
                new RuleCompiler.RuleDocument("bad", "b.yaml", "rules:\n  - id: broken\n")));
        assertThat(result.knowledge().rules()).extracting(r -> r.id()).containsExactly("no-eval");
        assertThat(result.problems()).singleElement().satisfies(p -> assertThat(p.ruleId()).isEqualTo("broken"));
    }

    @Test
    void aBrokenDocumentReportsItsProblemsOnEveryCompileButIsCompiledOnce() {
        List<RuleCompiler.RuleDocument> documents = List.of(new RuleCompiler.RuleDocument("bad", "b.yaml", "rules:\n  - id: broken\n"));
        var first = compiler.compile("r1", documents);
        var second = compiler.compile("r2", documents);
        assertThat(second.problems()).isEqualTo(first.problems()).hasSize(1);
        assertThat(compiler.documentsCompiled()).isEqualTo(1);
    }

    @Test
    void swappingReplacesTheWholeSnapshotAndReturnsTheOldOne() {
        KnowledgeHolder holder = new KnowledgeHolder(Knowledge.EMPTY);
        Knowledge next = compiler.compile("r1", List.of(new RuleCompiler.RuleDocument("abc", "a.yaml", RULE))).knowledge();
        Knowledge taken = holder.current();
        assertThat(holder.swap(next)).isSameAs(Knowledge.EMPTY);
        assertThat(taken.rules()).isEmpty();
        assertThat(holder.current().releaseId()).isEqualTo("r1");
    }
}
