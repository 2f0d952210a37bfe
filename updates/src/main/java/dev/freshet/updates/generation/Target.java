package dev.freshet.updates.generation;

import dev.freshet.engine.parse.Language;
import java.util.List;
import java.util.Locale;

/**
 * One rule to make: a weakness in code of one framework, where untrusted data comes from
 * {@code sources} and must not reach {@code sinks} (the calls of the libraries the project uses)
 * unless it passed one of {@code sanitizers}. The offline generator builds the rule from exactly
 * these; a language model is given them as hints.
 *
 * @param ruleId     the id the rule must have
 * @param library    the library whose calls are the sinks ("built-in" for the language's own)
 * @param extension  file extension of the examples
 * @param vulnerable an example the rule must match
 * @param safe       the same code done safely, which the rule must not match
 * @param within     where a source is one (a pattern-inside), or "" when a source is one anywhere
 * @param cves       the CVEs the rule answers, which its metadata must list (empty for a tenant's custom rule)
 */
public record Target(String ruleId, Weakness weakness, String framework, String library, Language language, String extension,
                     List<String> sources, String within, List<String> sinks, List<String> sanitizers, String vulnerable,
                     String safe, List<String> cves) {
    public Target {
        sources = List.copyOf(sources);
        sinks = List.copyOf(sinks);
        sanitizers = List.copyOf(sanitizers);
        cves = List.copyOf(cves);
    }

    /** The target's key within a tenant's library: one rule per framework and weakness. */
    public String key() {
        return framework.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + "-" + weakness.slug();
    }

    public Target withRuleId(String id) {
        return new Target(id, weakness, framework, library, language, extension, sources, within, sinks, sanitizers, vulnerable, safe,
                cves);
    }

    /** This target for a rule that answers {@code ids}. */
    public Target answering(List<String> ids) {
        return new Target(ruleId, weakness, framework, library, language, extension, sources, within, sinks, sanitizers, vulnerable, safe,
                ids);
    }
}
