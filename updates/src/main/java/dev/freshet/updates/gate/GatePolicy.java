package dev.freshet.updates.gate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What the validation gate demands of a rule.
 *
 * @param engineVersion      rules with a higher {@code min-version} (or a lower {@code max-version}) are skipped
 * @param referenceCorpus    source files every rule is timed on; no time check without it
 * @param timeBudgetPerRule  CPU time one rule may take over the whole reference corpus (CPU rather than wall
 *                           time, so rules checked side by side do not slow each other's measurement)
 * @param cleanCorpus        source files known to hold nothing to report; no noise check without it
 * @param noiseLimit         findings a rule may report on the clean corpus
 * @param threads            rules checked at once
 */
public record GatePolicy(String engineVersion, Optional<Path> referenceCorpus, Duration timeBudgetPerRule,
                         Optional<Path> cleanCorpus, int noiseLimit, int threads) {
    public GatePolicy {
        if (engineVersion == null || Version.parse(engineVersion).isEmpty()) {
            throw new IllegalArgumentException("engine version '" + engineVersion + "' is not a dotted version such as 1.2.0");
        }
        Objects.requireNonNull(referenceCorpus, "referenceCorpus");
        Objects.requireNonNull(cleanCorpus, "cleanCorpus");
        if (timeBudgetPerRule.isNegative() || timeBudgetPerRule.isZero()) {
            throw new IllegalArgumentException("the time budget per rule must be positive");
        }
        if (noiseLimit < 0 || threads < 1) {
            throw new IllegalArgumentException("noise limit must be >= 0 and threads >= 1");
        }
    }

    /** No corpora, 2 s per rule, one thread per core. */
    public static GatePolicy defaults(String engineVersion) {
        return new GatePolicy(engineVersion, Optional.empty(), Duration.ofSeconds(2), Optional.empty(), 0,
                Runtime.getRuntime().availableProcessors());
    }

    public GatePolicy withReferenceCorpus(Path dir, Duration budget) {
        return new GatePolicy(engineVersion, Optional.of(dir), budget, cleanCorpus, noiseLimit, threads);
    }

    public GatePolicy withCleanCorpus(Path dir, int limit) {
        return new GatePolicy(engineVersion, referenceCorpus, timeBudgetPerRule, Optional.of(dir), limit, threads);
    }

    public GatePolicy withThreads(int count) {
        return new GatePolicy(engineVersion, referenceCorpus, timeBudgetPerRule, cleanCorpus, noiseLimit, count);
    }
}
