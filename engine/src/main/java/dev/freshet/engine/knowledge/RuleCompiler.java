package dev.freshet.engine.knowledge;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.freshet.engine.rules.Rule;
import dev.freshet.engine.rules.RuleLoader;
import dev.freshet.engine.rules.RuleProblem;
import dev.freshet.engine.rules.RuleReader;
import dev.freshet.engine.rules.RuleSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Builds knowledge snapshots from released rule documents. Each document's whole compilation
 * (its rules and its problems) is cached by the SHA-256 of its text, so building the snapshot of
 * a release whose rules were compiled before (a rollback, or a release that changes a few rules)
 * costs little more than assembling a list, and reports the same problems every time.
 */
public final class RuleCompiler {
    private final RuleLoader loader;
    private final Cache<String, RuleSet> compiled;
    private final LongAdder documentsCompiled = new LongAdder();

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
        List<RuleSet> perDocument = documents.parallelStream().map(this::compile).toList();
        List<Rule> rules = new ArrayList<>();
        List<RuleProblem> problems = new ArrayList<>();
        for (RuleSet set : perDocument) {
            rules.addAll(set.rules());
            problems.addAll(set.problems());
        }
        return new Result(new Knowledge(releaseId, rules), problems);
    }

    /**
     * One document's rules and problems, compiled on the calling thread unless compiled before: the
     * validation gate compiles each candidate here, so the release it accepts is not compiled again.
     */
    public RuleSet compile(RuleDocument document) {
        return compiled.get(document.sha256(), sha -> {
            documentsCompiled.increment();
            return loader.parse(Path.of(document.origin()), document.yaml());
        });
    }

    /** The same for a document whose text the caller has already read into rule definitions. */
    public RuleSet compile(RuleDocument document, RuleReader.RuleFile read) {
        return compiled.get(document.sha256(), sha -> {
            documentsCompiled.increment();
            return loader.compile(Path.of(document.origin()), read);
        });
    }

    /** How many documents this compiler has compiled (cache misses), for tests and benchmarks. */
    public long documentsCompiled() {
        return documentsCompiled.sum();
    }
}
