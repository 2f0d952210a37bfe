package dev.freshet.engine.rules;

import dev.freshet.engine.deps.osv.AffectedPackage;
import dev.freshet.engine.parse.Language;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A rule ready to run. Patterns are compiled once per file language the rule covers, since the
 * same pattern text parses differently in, say, TypeScript and TSX.
 *
 * @param origin    the file the rule came from; {@code line} is where its definition starts
 * @param dependsOn for a dependency rule, the package versions it is about (Semgrep's
 *                  {@code r2c-internal-project-depends-on}); its patterns, if any, then tell whether
 *                  the project reaches the vulnerable code. Empty for a code rule.
 * @param autofix   how findings of the rule can be fixed, or null when the rule offers no fix
 * @param definitionHash SHA-256 of the rule's whole definition (patterns, message, severity, metadata,
 *                  fix, options): equal hashes find the same in the same content; null when unknown
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
        int line,
        List<AffectedPackage> dependsOn,
        Autofix autofix,
        String definitionHash) {

    public Rule {
        dependsOn = List.copyOf(dependsOn);
    }

    /** A rule without a fix. */
    public Rule(String id, String message, Severity severity, List<Language> languages, Map<Language, Formula> formulas,
                Map<Language, Prefilter> prefilters, Map<String, Object> metadata, PathFilter paths, Path origin, int line,
                List<AffectedPackage> dependsOn) {
        this(id, message, severity, languages, formulas, prefilters, metadata, paths, origin, line, dependsOn, null, null);
    }

    public boolean isDependencyRule() {
        return !dependsOn.isEmpty();
    }

    public boolean appliesTo(Language fileLanguage) {
        return formulas.containsKey(fileLanguage);
    }

    /** Whether the rule reads this file: a generic or regex rule reads any file, others those of their languages. */
    public boolean appliesToFile(Path file) {
        return Language.TEXT.stream().anyMatch(formulas::containsKey)
                || Language.forFile(file).map(this::appliesTo).orElse(false);
    }
}
