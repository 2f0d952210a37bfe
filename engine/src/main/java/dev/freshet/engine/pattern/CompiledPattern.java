package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.Language;
import java.util.Set;

/**
 * A pattern ready to match.
 *
 * @param requiredWords identifiers every match contains, so a file lacking any of them cannot match
 * @param symbolicPropagation whether a variable defined once also stands for the expression it
 *                            was defined with (Semgrep's {@code symbolic_propagation} option)
 */
public record CompiledPattern(String source, Language language, PatternNode root, Set<String> requiredWords,
                              boolean symbolicPropagation) {
    public CompiledPattern(String source, Language language, PatternNode root, Set<String> requiredWords) {
        this(source, language, root, requiredWords, false);
    }
}
