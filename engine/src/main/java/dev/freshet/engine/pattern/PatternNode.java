package dev.freshet.engine.pattern;

import java.util.List;

/** A compiled code pattern: a syntax tree in which some nodes stand for "anything" or bind names. */
public sealed interface PatternNode {

    /** {@code $X}: any single node; equal nodes wherever the same name recurs. {@code $_} binds nothing. */
    record Metavariable(String name) implements PatternNode {
    }

    /**
     * {@code (String $X)} in Java, {@code ($X : string)} in Go and TypeScript: an expression whose
     * type, as the file declares it, is {@code type} (which may hold metavariables).
     */
    record TypedMetavariable(String name, String type) implements PatternNode {
    }

    /** {@code ...}: any sequence of siblings (zero or more), or any expression where one is expected. */
    record Ellipsis() implements PatternNode {
    }

    /** {@code $...ARGS}: any sequence of siblings, bound to a name. */
    record MetavariableEllipsis(String name) implements PatternNode {
    }

    /** {@code <... P ...>}: a node that contains a match of {@code inner} anywhere inside (or is one). */
    record Deep(PatternNode inner) implements PatternNode {
    }

    /**
     * A string literal: {@code "..."} (content null) matches any string, {@code "$X"} binds one,
     * {@code "=~/re/"} (or {@code "=~/re/i"}) matches strings whose content the regex finds a match in.
     */
    record StringLiteral(String content, String metavariable, dev.freshet.engine.regex.RuleRegex regex) implements PatternNode {
        boolean matches(String candidate) {
            if (regex != null) {
                return regex.find(candidate);
            }
            return content == null || content.equals(candidate);
        }
    }

    /**
     * A token that must appear as written (identifier, operator, keyword, number). A literal one
     * ({@code 0}, {@code true}) also matches a variable that holds it: Semgrep's constant propagation
     * compares a pattern's literals with a name's propagated value, and nothing else.
     */
    record Token(String text, boolean literal) implements PatternNode {
        Token(String text) {
            this(text, false);
        }
    }

    /** A node of the given kind whose children match {@code children} in order. */
    record Node(String kind, List<PatternNode> children) implements PatternNode {
    }

    /** Several statements in a row, anywhere in a block; the match spans the first to the last. */
    record Sequence(List<PatternNode> statements) implements PatternNode {
    }
}
