package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.Language;
import java.util.Set;

/**
 * A pattern ready to match.
 *
 * @param requiredWords identifiers every match contains, so a file lacking any of them cannot match
 */
public record CompiledPattern(String source, Language language, PatternNode root, Set<String> requiredWords) {
}
