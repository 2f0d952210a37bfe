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

    /** Backticks and $(...) are one command substitution: either spelling matches both, its ellipsis included. */
    @Test
    void backticksAndDollarParenthesesAreOneSubstitution() {
        String script = "a=`whoami -u`\nb=$(whoami -g)\nc=$(id)\n";
        assertThat(lines(scan(pattern("bash", "`whoami ...`"), "s.sh", script))).containsExactly(1, 2);
        assertThat(lines(scan(pattern("bash", "$(whoami ...)"), "s.sh", script))).containsExactly(1, 2);
    }

    /** A command substitution inside a double-quoted string is code: the pattern's own ellipsis there matches arguments. */
    @Test
    void aSubstitutionInAStringHoldsCommands() {
        String script = """
                sh -c "$(wget -q -O - https://example.com)"
                sh -c "wget -q -O - https://example.com"
                sh -c "$(cat local.sh)"
                """;
        assertThat(lines(scan(pattern("bash", "sh -c \"$(wget ...)\""), "s.sh", script))).containsExactly(1);
    }

    /** <... w ...> matches any word or expansion holding w, however deep: an assignment's value, a command's argument. */
    @Test
    void deepEllipsisAroundAWord() {
        String rule = pattern("bash", """
                $V=<... wget ...>
                ...
                source <... $V ...>
                """);
        String script = """
                f=$(wget -q https://example.com/x.sh)
                echo fetched
                source "${f}"
                g=$(cat x.sh)
                source "$g"
                """;
        assertThat(lines(scan(rule, "s.sh", script))).containsExactly(1);
    }

    /** A command's name is a word like the others: a command run from a tainted variable's value has a tainted output. */
    @Test
    void taintFlowsThroughACommandNamedByAVariable() {
        String rule = rule("bash", """
                mode: taint
                pattern-sources:
                  - pattern: $(wget ...)
                pattern-sinks:
                  - pattern: source ...
                """);
        assertThat(lines(scan(rule, "s.sh", """
                x=$(wget -q https://example.com)
                y=$( ${x} | tr -d 1 )
                source ${y}
                z=$( cat local | tr -d 1 )
                source ${z}
                """))).containsExactly(3);
    }
}
