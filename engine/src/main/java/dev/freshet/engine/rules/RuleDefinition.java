package dev.freshet.engine.rules;

import dev.freshet.engine.deps.osv.AffectedPackage;
import dev.freshet.engine.parse.Language;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One rule read once from its YAML into types ({@link RuleReader}): what it says about itself, which
 * the governance of releases and updates decides on, and its {@link Body}, from which {@link RuleLoader}
 * compiles it. Nothing downstream looks at the YAML again.
 *
 * @param category   {@code metadata.category}, lower case, when the rule has one
 * @param minVersion {@code min-version}: the oldest engine the rule is written for, as written
 * @param maxVersion {@code max-version}: the newest engine the rule is written for, as written
 * @param line       the line of the rule's mapping in its document (1-based)
 * @param hash       SHA-256 of everything the rule's mapping says: equal hashes find the same in the same code
 * @param body       the rule's content, or why it cannot be run: a rule written for a newer engine
 *                   may use what this one cannot read, and is still told apart by its versions
 */
public record RuleDefinition(String id, Optional<String> category, Map<String, Object> metadata, Optional<String> minVersion,
                             Optional<String> maxVersion, int line, String hash, Body body) {
    public static final String SECURITY = "security";

    public RuleDefinition {
        metadata = metadata == null ? Map.of() : metadata;
    }

    /** Whether the rule finds security problems: updates to such rules may follow a faster policy. */
    public boolean isSecurity() {
        return category.filter(SECURITY::equals).isPresent();
    }

    public Optional<Severity> severity() {
        return body instanceof Readable readable ? Optional.of(readable.severity()) : Optional.empty();
    }

    /** The rules of a rule document that have an id; the others, and whole-file problems, are the reader's to report. */
    public static List<RuleDefinition> read(String yaml) {
        return RuleReader.read(Path.of("rules.yaml"), yaml).rules();
    }

    /** A rule's content, or the first thing that keeps it from being run. */
    public sealed interface Body {
    }

    /**
     * Everything the engine compiles a rule from.
     *
     * @param languages empty only for a dependency rule without patterns
     * @param fix       null when the rule offers no fix
     * @param dependsOn the package versions of a dependency rule; empty for a code rule
     */
    public record Readable(String message, Severity severity, List<Language> languages, Matching matching, PathFilter paths,
                           Autofix fix, List<AffectedPackage> dependsOn, Options options) implements Body {
        public Readable {
            languages = List.copyOf(languages);
            dependsOn = List.copyOf(dependsOn);
        }
    }

    /** The rule is malformed or needs what this engine does not run. */
    public record Unreadable(RuleProblem problem) implements Body {
    }

    /** How a rule finds code. */
    public sealed interface Matching {
    }

    /** {@code mode: search} (the default): the formula's matches are the findings. */
    public record Search(Operator formula) implements Matching {
    }

    /** {@code mode: taint}: findings are the sinks untrusted data reaches. */
    public record Taint(TaintSpec<Operator> spec) implements Matching {
    }

    /** A dependency rule about versions alone: it reads no code. */
    public record VersionsOnly() implements Matching {
    }

    /**
     * The rule options that change how its patterns compile.
     *
     * @param symbolicPropagation patterns match through variables defined once
     * @param ellipsisMaxSpan     lines a generic pattern's {@code ...} may span
     * @param unsupportedGeneric  a {@code generic_*} option this engine cannot honour; it matters
     *                            only if the rule has a generic pattern for it to change
     */
    public record Options(boolean symbolicPropagation, int ellipsisMaxSpan, Optional<Unsupported> unsupportedGeneric) {
    }

    /** A feature the engine does not run, and where the rule asks for it. */
    public record Unsupported(String feature, int line) {
    }
}
