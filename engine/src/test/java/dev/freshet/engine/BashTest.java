package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Bash as Semgrep's Bash_to_generic reads it: commands are their words, pipelines nest to the left. */
class BashTest extends EngineTestSupport {

    /** A pipeline pattern matches the start of a longer pipeline, as (a | b) | c holds a | b. */
    @Test
    void aPipelinePatternMatchesTheStartOfALongerOne() {
        String script = """
                curl -s https://example.com | bash -x | tee log
                curl -s https://example.com | tee log | bash
                """;
        assertThat(lines(scan(pattern("bash", "curl ... | ... bash ..."), "s.sh", script))).containsExactly(1);
    }

    /** Assignments written before a command set its environment: they are not assignment statements. */
    @Test
    void environmentPrefixesAreNoAssignments() {
        assertThat(lines(scan(pattern("bash", "IFS=..."), "s.sh", "IFS=,\nIFS=, read -a values\n"))).containsExactly(1);
    }

    /** A one-word pattern is that word wherever it is written, not only a command made of it. */
    @Test
    void aOneWordPatternIsTheWord() {
        assertThat(lines(scan(pattern("bash", "$(ls ...)"), "s.sh", "for f in $(ls dir); do echo $f; done\nls dir\n")))
                .containsExactly(1);
    }

    /** Taint flows through shell variables: x=$(source) then a sink reading ${x}. */
    @Test
    void taintFlowsThroughVariables() {
        String rule = rule("bash", """
                mode: taint
                pattern-sources:
                  - pattern: $(curl ...)
                pattern-sinks:
                  - pattern: eval ...
                """);
        assertThat(lines(scan(rule, "s.sh", """
                x=$(curl -L https://example.com)
                eval ${x}
                y=safe
                eval ${y}
                """))).containsExactly(2);
    }
}
