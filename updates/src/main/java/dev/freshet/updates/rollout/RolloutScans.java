package dev.freshet.updates.rollout;

import dev.freshet.engine.knowledge.Knowledge;
import dev.freshet.engine.rules.Rule;
import dev.freshet.engine.scan.Finding;
import dev.freshet.engine.scan.ScanResult;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one scan with the knowledge its cohort gets from a snapshot taken once: the candidate for
 * buckets below its weight, stable otherwise, or what the caller asked for explicitly. In shadow
 * the candidate scans the same input afterwards, off the caller's path; its findings are stored
 * as figures and per-rule changes, never returned. Every scan's figures go to the store, where the
 * rollout's analysis reads every node's work.
 */
public final class RolloutScans implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutScans.class);

    private final RolloutEngine engine;
    private final ExecutorService shadows = Executors.newVirtualThreadPerTaskExecutor();

    /** A scan of one unit's input with the given rules. */
    @FunctionalInterface
    public interface Scan {
        ScanResult run(List<Rule> rules) throws Exception;

        /** The scan with its rules chosen. */
        @FunctionalInterface
        interface Call {
            ScanResult run() throws Exception;
        }
    }

    public RolloutScans(RolloutEngine engine) {
        this.engine = engine;
    }

    /** A served scan: its result and the release whose rules produced it. */
    public record Served(ScanResult result, Knowledge.Compiled release) {
    }

    /** A scan with the snapshot's active rules, outside any rollout. */
    public static Served stable(Knowledge snapshot, Scan scan) throws Exception {
        return new Served(scan.run(snapshot.rules()), new Knowledge.Compiled(snapshot.releaseId(), snapshot.rules()));
    }

    /** Scans the unit (tenant, project) with the rules its cohort gets from {@code snapshot}; returns only the served result. */
    public Served scan(Knowledge snapshot, String tenant, String project, Cohorts.Requested requested, Scan scan) throws Exception {
        Knowledge.TrackKnowledge track = snapshot.track(Knowledge.RULES).orElse(null);
        if (track == null || track.candidate() == null) {
            return stable(snapshot, scan);
        }
        Knowledge.TrackKnowledge.Choice choice = requested == Cohorts.Requested.OWN_BUCKET
                ? track.choose(Cohorts.bucket(tenant, project))
                : track.chooseExplicitly(requested == Cohorts.Requested.CANDIDATE);
        Knowledge.Candidate candidate = track.candidate();
        String unit = tenant + "/" + project;
        // A unit that chose its cohort is a test of the candidate, not a sample of it: not counted.
        boolean counted = requested == Cohorts.Requested.OWN_BUCKET;
        RolloutEngine.Arm arm = choice.byCandidate() ? RolloutEngine.Arm.CANDIDATE : RolloutEngine.Arm.STABLE;
        ScanResult served = timed(candidate, arm, unit, counted, () -> scan.run(choice.served().rules()));
        choice.shadow().ifPresent(shadow -> shadows.submit(() -> {
            try {
                ScanResult beside = timed(shadow, RolloutEngine.Arm.SHADOW, unit, true, () -> scan.run(shadow.release().rules()));
                engine.recordRuleChanges(shadow.rolloutId(), unit, changes(served, beside));
            } catch (Exception e) {
                LOG.warn("shadow scan of {} with candidate {} failed: {}", unit, shadow.release().releaseId(), e.toString());
            }
            return null;
        }));
        return new Served(served, choice.served());
    }

    private ScanResult timed(Knowledge.Candidate candidate, RolloutEngine.Arm arm, String unit, boolean counted, Scan.Call call)
            throws Exception {
        long start = System.nanoTime();
        try {
            ScanResult result = call.run();
            if (counted) {
                engine.recordScan(candidate.rolloutId(), candidate.step(), arm, unit, (System.nanoTime() - start) / 1_000_000,
                        false, result.linesScanned(), result.findings().size());
            }
            return result;
        } catch (Exception e) {
            if (counted) {
                engine.recordScan(candidate.rolloutId(), candidate.step(), arm, unit, (System.nanoTime() - start) / 1_000_000, true, 0, 0);
            }
            throw e;
        }
    }

    /**
     * Per rule, what the candidate did differently from stable on the same input: findings added and
     * removed (by file and position), matching time and errors on each side.
     */
    static Map<String, RolloutEngine.RuleEffect> changes(ScanResult stable, ScanResult candidate) {
        Set<String> before = stable.findings().stream().map(RolloutScans::key).collect(Collectors.toSet());
        Set<String> after = candidate.findings().stream().map(RolloutScans::key).collect(Collectors.toSet());
        Map<String, int[]> added = new HashMap<>();
        Map<String, int[]> removed = new HashMap<>();
        candidate.findings().stream().filter(f -> !before.contains(key(f))).forEach(f -> added.computeIfAbsent(f.ruleId(), r -> new int[1])[0]++);
        stable.findings().stream().filter(f -> !after.contains(key(f))).forEach(f -> removed.computeIfAbsent(f.ruleId(), r -> new int[1])[0]++);
        Map<String, Integer> stableErrors = ruleErrors(stable);
        Map<String, Integer> candidateErrors = ruleErrors(candidate);
        Set<String> rules = new HashSet<>(added.keySet());
        rules.addAll(removed.keySet());
        rules.addAll(stable.ruleNanos().keySet());
        rules.addAll(candidate.ruleNanos().keySet());
        rules.addAll(stableErrors.keySet());
        rules.addAll(candidateErrors.keySet());
        Map<String, RolloutEngine.RuleEffect> changes = new HashMap<>();
        for (String rule : rules) {
            changes.put(rule, new RolloutEngine.RuleEffect(added.getOrDefault(rule, new int[1])[0], removed.getOrDefault(rule, new int[1])[0],
                    stable.ruleNanos().getOrDefault(rule, 0L) / 1_000, candidate.ruleNanos().getOrDefault(rule, 0L) / 1_000,
                    stableErrors.getOrDefault(rule, 0), candidateErrors.getOrDefault(rule, 0)));
        }
        return changes;
    }

    private static Map<String, Integer> ruleErrors(ScanResult result) {
        Map<String, Integer> errors = new HashMap<>();
        result.problems().stream().filter(p -> p.ruleId() != null).forEach(p -> errors.merge(p.ruleId(), 1, Integer::sum));
        return errors;
    }

    private static String key(Finding f) {
        return f.ruleId() + "\u0000" + f.file() + "\u0000" + f.startLine() + "\u0000" + f.startColumn();
    }

    /** Waits for shadow scans under way (a test, a shutdown). */
    @Override
    public void close() {
        shadows.close();
    }
}
