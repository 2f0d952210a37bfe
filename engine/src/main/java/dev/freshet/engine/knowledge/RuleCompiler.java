package dev.freshet.engine.knowledge;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.freshet.engine.rules.Rule;
import dev.freshet.engine.rules.RuleLoader;
import dev.freshet.engine.rules.RuleProblem;
import dev.freshet.engine.rules.RuleSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds knowledge snapshots from released rule documents. Compiled rules are cached by the
 * SHA-256 of their text, so building the snapshot of a release whose rules were compiled before
 * (a rollback, or a release that changes a few rules) costs little more than assembling a list.
 */
public final class RuleCompiler {
    private final RuleLoader loader;
    private final Cache<String, List<Rule>> compiled;

    /** One released rule document: its content hash, where it came from and its YAML text. */
    public record RuleDocument(String sha256, String origin, String yaml) {
    }

    /** A snapshot and the documents that did not compile (they are left out of it). */
    public record Result(Knowledge knowledge, List<RuleProblem> problems) {
    }

    public RuleCompiler(RuleLoader loader, long maximumCachedDocuments) {
        this.loader = loader;
        this.compiled = Caffeine.newBuilder().maximumSize(maximumCachedDocuments).build();
    }

    public Result compile(String releaseId, List<RuleDocument> documents) {
        List<Rule> rules = new ArrayList<>();
        List<RuleProblem> problems = new ArrayList<>();
        List<List<Rule>> perDocument = documents.parallelStream().map(document -> compiled.get(document.sha256(), sha -> {
            RuleSet set = loader.parse(Path.of(document.origin()), document.yaml());
            synchronized (problems) {
                problems.addAll(set.problems());
            }
            return set.rules();
        })).toList();
        perDocument.forEach(rules::addAll);
        return new Result(new Knowledge(releaseId, rules), problems);
    }
}
