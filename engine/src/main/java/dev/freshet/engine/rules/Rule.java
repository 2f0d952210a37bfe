package dev.freshet.engine.rules;

import dev.freshet.engine.parse.Language;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A rule ready to run. Patterns are compiled once per file language the rule covers, since the
 * same pattern text parses differently in, say, TypeScript and TSX.
 *
 * @param origin the file the rule came from; {@code line} is where its definition starts
 */
public record Rule(
        String id,
        String message,
        Severity severity,
        List<Language> languages,
        Map<Language, Formula> formulas,
        Map<Language, Prefilter> prefilters,
        Map<String, Object> metadata,
        PathFilter paths,
        Path origin,
        int line) {

    public boolean appliesTo(Language fileLanguage) {
        return formulas.containsKey(fileLanguage);
    }
}
