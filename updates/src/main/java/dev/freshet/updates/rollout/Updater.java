package dev.freshet.updates.rollout;

import dev.freshet.engine.rules.RuleDefinition;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.gate.GateReport;
import dev.freshet.updates.gate.GateResult;
import dev.freshet.updates.gate.SnapshotWithPolicy;
import dev.freshet.updates.gate.ValidationGate;
import dev.freshet.updates.policy.UpdatePolicy;
import dev.freshet.updates.release.Activation;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseDiff;
import dev.freshet.updates.release.ReleaseException;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.sources.Channels;
import dev.freshet.updates.sources.FetchResult;
import dev.freshet.updates.sources.RuleSource;
import dev.freshet.updates.sources.SourceException;
import dev.freshet.updates.sources.SourceFetchers;
import dev.freshet.updates.sources.SourceFile;
import dev.freshet.updates.sources.SourceRegistry;
import dev.freshet.updates.sources.SourceSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One update check, the same for every trigger: ask each enabled source for news; when any has
 * some, validate the complete candidate rule set, store it as an immutable release, and activate
 * it if the policy allows now (otherwise it waits as pending). After an activation the
 * post-activation check runs; when it fails, the previous release comes back automatically.
 */
public final class Updater {
    private static final Logger LOG = LoggerFactory.getLogger(Updater.class);

    private final SourceRegistry registry;
    private final SourceFetchers fetchers;
    private final ValidationGate gate;
    private final ReleaseStore releases;
    private final ActivationService activations;
    private final UpdatePolicy policy;
    private final PostActivationCheck postActivationCheck;
    private final PendingUpdates pending;
    private final Clock clock;

    /** Tries the newly active release in earnest; a problem (scan errors, too slow) means roll back. */
    @FunctionalInterface
    public interface PostActivationCheck {
        Optional<String> problem(Release release);
    }

    public enum SourceStatus { UNCHANGED, CHANGED, FAILED }

    public record SourceOutcome(String source, SourceStatus status, String revision, String error) {
    }

    /**
     * What the check did: per source, and the release it built and what became of it.
     *
     * @param notReleased why the check built no release although it had news, when it did not
     */
    public record CheckResult(List<SourceOutcome> sources, Optional<Release> release, Optional<UpdatePolicy.Decision> decision,
                              Optional<Activation> activation, Optional<Activation> automaticRollback, Optional<String> notReleased) {
        CheckResult(List<SourceOutcome> sources) {
            this(sources, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }

        CheckResult(List<SourceOutcome> sources, Release release, Optional<UpdatePolicy.Decision> decision) {
            this(sources, Optional.of(release), decision, Optional.empty(), Optional.empty(), Optional.empty());
        }

        public boolean changed() {
            return release.isPresent();
        }
    }

    public Updater(SourceRegistry registry, SourceFetchers fetchers, ValidationGate gate, ReleaseStore releases,
                   ActivationService activations, UpdatePolicy policy, PostActivationCheck postActivationCheck,
                   PendingUpdates pending, Clock clock) {
        this.activations = activations;
        this.pending = pending;
        this.registry = registry;
        this.fetchers = fetchers;
        this.gate = gate;
        this.releases = releases;
        this.policy = policy;
        this.postActivationCheck = postActivationCheck;
        this.clock = clock;
    }

    /** The one activation path every release of this updater's store takes. */
    public ActivationService activations() {
        return activations;
    }

    /** The validation gate every update passes; contributions and rule patches pass the same one. */
    public ValidationGate gate() {
        return gate;
    }

    public CheckResult check(Trigger trigger) {
        return check(trigger, name -> true, PlanOverride.POLICY);
    }

    /** Checks every enabled source; a release it makes follows {@code override} instead of the policy's rollout plan. */
    public CheckResult check(Trigger trigger, PlanOverride override) {
        return check(trigger, name -> true, override);
    }

    public CheckResult check(Trigger trigger, Predicate<String> due) {
        return check(trigger, due, PlanOverride.POLICY);
    }

    /**
     * Checks the sources {@code due} selects (a scheduled check asks only the source whose time
     * came); the other enabled sources count as unchanged and are read only if a release is built.
     */
    public CheckResult check(Trigger trigger, Predicate<String> due, PlanOverride override) {
        List<SourceRegistry.Entry> entries = registry.list().stream().filter(e -> e.source().settings().enabled()).toList();
        Map<String, Fetched> fetched = fetchAll(entries.stream().filter(e -> due.test(e.source().name())).toList(), true);
        for (SourceRegistry.Entry entry : entries) {
            fetched.computeIfAbsent(entry.source().name(), name -> new Fetched(
                    new SourceOutcome(name, SourceStatus.UNCHANGED, entry.lastRevision().orElse(null), null), null));
        }
        List<SourceOutcome> outcomes = entries.stream().filter(e -> due.test(e.source().name()))
                .map(e -> fetched.get(e.source().name()).outcome()).toList();
        boolean anyChanged = outcomes.stream().anyMatch(o -> o.status() == SourceStatus.CHANGED);
        if (!anyChanged && (releases.active().isPresent() || entries.isEmpty())) {
            record(outcomes);
            return new CheckResult(outcomes);
        }
        // A release holds every source's rules, so sources that did not change are read in full too.
        List<SourceRegistry.Entry> unchanged = entries.stream()
                .filter(e -> fetched.get(e.source().name()).outcome().status() == SourceStatus.UNCHANGED).toList();
        fetched.putAll(fetchAll(unchanged, false));
        List<SnapshotWithPolicy> snapshots = new ArrayList<>();
        Optional<Release> active = releases.active();
        for (SourceRegistry.Entry entry : entries) {
            Fetched f = fetched.get(entry.source().name());
            Optional<SourceSnapshot> previous = previousSnapshot(active, entry.source());
            if (f.snapshot() == null) {
                // A failing source keeps the rules it had in the active release: stale but valid.
                previous.ifPresent(p -> snapshots.add(SnapshotWithPolicy.of(p, entry.source().settings())));
                continue;
            }
            snapshots.add(SnapshotWithPolicy.of(Channels.select(f.snapshot(), entry.source().settings().channel()),
                    entry.source().settings()).withFallback(previous));
        }
        GateResult gated;
        try {
            gated = gate.validate(snapshots);
        } catch (IOException e) {
            throw new UncheckedIOException("validation gate failed", e);
        }
        outcomes = refused(outcomes, gated.report().failedSources());
        gated.report().failedSources().forEach(f -> activations.events().append(clock.instant(), EventType.SOURCE_REFUSED, null,
                Map.of("source", f.source(), "reason", f.reason(), "kept_rules", f.keptRules())));
        if (gated.accepted().isEmpty() && active.isEmpty()) {
            // Nothing is better than an empty rule set that looks like a working one.
            String why = "the candidate has no rules (" + gated.report().verdicts().size() + " rejected or skipped, "
                    + gated.report().failedSources().size() + " source(s) refused); nothing was released";
            LOG.warn("update check: {}", why);
            record(outcomes);
            activations.events().append(clock.instant(), EventType.EMPTY_CANDIDATE_REFUSED, null, Map.of("reason", why,
                    "sources", outcomes.stream().map(SourceOutcome::source).toList()));
            return new CheckResult(outcomes, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(why));
        }
        Release release = releases.create(gated.accepted(), gated.report());
        record(outcomes);
        if (active.map(Release::id).filter(release.id()::equals).isPresent()) {
            return new CheckResult(outcomes, release, Optional.empty());
        }
        boolean security = touchesSecurityRules(release);
        UpdatePolicy.Decision decision = automaticRollbacksInARow() >= policy.rollback().maxRollbackAttempts()
                ? UpdatePolicy.Decision.WAIT_FOR_APPROVAL : policy.decide(clock.instant(), security);
        if (decision != UpdatePolicy.Decision.APPLY) {
            LOG.info("release {} waits: {}", ReleaseStore.shortId(release.id()), decision);
            outcomes.stream().filter(o -> o.status() == SourceStatus.CHANGED).forEach(o ->
                    pending.record(o.source(), o.revision(), release.id(), security, decision.name()));
            return new CheckResult(outcomes, release, Optional.of(decision));
        }
        if (policy.testing().preUpdateTests()) {
            Optional<String> problem = timedCheck(release);
            if (problem.isPresent()) {
                String why = "pre-update tests failed: " + problem.get();
                LOG.warn("release {} not activated: {}", ReleaseStore.shortId(release.id()), why);
                activations.events().append(clock.instant(), EventType.PRE_UPDATE_TESTS_FAILED, release.id(), Map.of("reason", why));
                return new CheckResult(outcomes, Optional.of(release), Optional.of(decision), Optional.empty(), Optional.empty(),
                        Optional.of(why));
            }
        }
        String reason = "update check: " + summary(release.diff());
        Optional<RolloutPlan> plan = override.apply(policy.rolloutPlan());
        if (plan.isPresent() && active.isPresent()) {
            // The policy rolls updates out: the release goes live only when its rollout is promoted.
            Optional<Rollout> rollout;
            try {
                rollout = activations.rollouts().start(release.id(), plan, reason);
            } catch (ReleaseException e) {
                LOG.info("release {} stored, not rolled out: {}", ReleaseStore.shortId(release.id()), e.getMessage());
                return new CheckResult(outcomes, release, Optional.of(decision));
            }
            LOG.info("release {} rolling out: {}", ReleaseStore.shortId(release.id()), rollout.map(Rollout::stepName).orElse("live at once"));
            if (rollout.isPresent()) {
                return new CheckResult(outcomes, release, Optional.of(decision));
            }
        }
        Activation activation = activations.activate(release.id(), trigger, reason);
        return new CheckResult(outcomes, Optional.of(release), Optional.of(decision), Optional.of(activation),
                checkAfterActivation(release, activation), Optional.empty());
    }

    /**
     * Activates the newest release held for a maintenance window when the policy allows it now
     * (the scheduler asks at every tick, so it goes live as the window opens). Releases waiting
     * for a person's approval stay waiting.
     */
    public Optional<Activation> activateHeld(Trigger trigger) {
        List<PendingUpdates.Pending> held = pending.pending().stream()
                .filter(p -> UpdatePolicy.Decision.WAIT_FOR_WINDOW.name().equals(p.reason())).toList();
        if (held.isEmpty()) {
            return Optional.empty();
        }
        boolean security = held.stream().anyMatch(PendingUpdates.Pending::security);
        if (policy.decide(clock.instant(), security) != UpdatePolicy.Decision.APPLY) {
            return Optional.empty();
        }
        PendingUpdates.Pending newest = held.get(held.size() - 1);
        Release release = releases.find(newest.releaseId()).orElseThrow(() ->
                new IllegalStateException("pending release " + newest.releaseId() + " is not in the store"));
        Activation activation = activations.activate(release.id(), trigger, "held for the maintenance window since "
                + newest.detectedAt() + ": " + summary(release.diff()));
        checkAfterActivation(release, activation);
        return Optional.of(activation);
    }

    /**
     * Runs the post-activation check when the policy validates after updates and rolls back
     * automatically; the rollback if it failed within the rollback timeout (later, the release has
     * served long enough that a person decides).
     */
    private Optional<Activation> checkAfterActivation(Release release, Activation activation) {
        if (!policy.rollback().automatic() || !policy.testing().postUpdateValidation()) {
            return Optional.empty();
        }
        Optional<String> problem = timedCheck(release);
        if (problem.isEmpty()) {
            return Optional.empty();
        }
        if (clock.instant().isAfter(activation.at().plus(policy.rollback().rollbackTimeout()))) {
            LOG.warn("release {} failed its post-activation check ({}) after the rollback timeout of {} min; left live for a person",
                    ReleaseStore.shortId(release.id()), problem.get(), policy.rollback().rollbackTimeoutMinutes());
            return Optional.empty();
        }
        LOG.warn("release {} failed its post-activation check ({}); rolling back", ReleaseStore.shortId(release.id()), problem.get());
        return Optional.of(activations.rollback(Optional.empty(), Trigger.AUTOMATIC, "post-activation check failed: " + problem.get()));
    }

    /** The check on the reference corpus, given at most the policy's test timeout: longer is a problem too. */
    private Optional<String> timedCheck(Release release) {
        Duration limit = policy.testing().testTimeout();
        // Not an executor closed with try-with-resources: closing would wait for a check that overran.
        FutureTask<Optional<String>> running = new FutureTask<>(() -> postActivationCheck.problem(release));
        Thread.ofVirtual().name("check-" + ReleaseStore.shortId(release.id())).start(running);
        try {
            return running.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            running.cancel(true);
            return Optional.of("the check did not finish within " + policy.testing().testTimeoutMinutes() + " min");
        } catch (ExecutionException e) {
            throw new IllegalStateException("the check of release " + release.id() + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Automatic rollbacks since a person last activated or rolled back a release. */
    private int automaticRollbacksInARow() {
        List<Activation> history = releases.history();
        int count = 0;
        for (int i = history.size() - 1; i >= 0 && history.get(i).trigger() != Trigger.USER; i--) {
            if (history.get(i).kind() == Activation.Kind.ROLLBACK && history.get(i).trigger() == Trigger.AUTOMATIC) {
                count++;
            }
        }
        return count;
    }

    private void record(List<SourceOutcome> outcomes) {
        outcomes.forEach(o -> registry.recordCheck(o.source(), Optional.ofNullable(o.revision()), Optional.ofNullable(o.error())));
    }

    /** The outcomes with the sources the gate refused as failed, their error said and their new revision not taken. */
    private static List<SourceOutcome> refused(List<SourceOutcome> outcomes, List<GateReport.SourceFailure> failures) {
        Map<String, GateReport.SourceFailure> bySource = failures.stream()
                .collect(Collectors.toMap(GateReport.SourceFailure::source, f -> f, (a, b) -> a));
        return outcomes.stream().map(o -> bySource.containsKey(o.source())
                ? new SourceOutcome(o.source(), SourceStatus.FAILED, null, "refused by the gate: " + bySource.get(o.source()).reason()
                        + " (kept its " + bySource.get(o.source()).keptRules() + " rule(s) from the active release)")
                : o).toList();
    }

    private record Fetched(SourceOutcome outcome, SourceSnapshot snapshot) {
    }

    /** Fetches sources side by side: checks are mostly waiting on the network or the disk. */
    private Map<String, Fetched> fetchAll(List<SourceRegistry.Entry> entries, boolean fromKnownRevision) {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Fetched>> futures = entries.stream().map(e -> pool.submit(() -> fetch(e, fromKnownRevision))).toList();
            Map<String, Fetched> out = new LinkedHashMap<>();
            for (int i = 0; i < entries.size(); i++) {
                try {
                    out.put(entries.get(i).source().name(), futures.get(i).get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("checking source " + entries.get(i).source().name() + " failed", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            return out;
        }
    }

    private Fetched fetch(SourceRegistry.Entry entry, boolean fromKnownRevision) {
        String name = entry.source().name();
        try {
            FetchResult result = fetchers.fetcherFor(entry.source()).fetch(fromKnownRevision ? entry.lastRevision() : Optional.empty());
            return switch (result) {
                case FetchResult.Unchanged u -> new Fetched(new SourceOutcome(name, SourceStatus.UNCHANGED, u.revision(), null), null);
                case FetchResult.Changed c -> new Fetched(new SourceOutcome(name,
                        fromKnownRevision ? SourceStatus.CHANGED : SourceStatus.UNCHANGED, c.revision(), null), c.snapshot());
            };
        } catch (SourceException e) {
            LOG.warn("source {} could not be checked: {}", name, e.getMessage());
            return new Fetched(new SourceOutcome(name, SourceStatus.FAILED, null, e.getMessage()), null);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            // Not a problem the source's data is known to cause: a bug, or hostile data beyond the limits.
            LOG.error("source {} could not be checked: internal error", name, e);
            return new Fetched(new SourceOutcome(name, SourceStatus.FAILED, null, "internal error: " + e), null);
        }
    }

    /** The rules a source contributed to the active release, as a snapshot to re-validate. */
    private static Optional<SourceSnapshot> previousSnapshot(Optional<Release> active, RuleSource source) {
        return active.map(release -> new SourceSnapshot(source.name(), "active:" + release.id(),
                release.rules().stream().filter(r -> r.source().equals(source.name()))
                        .map(r -> new SourceFile(r.path(), r.yaml().getBytes(StandardCharsets.UTF_8))).toList()))
                .filter(s -> !s.files().isEmpty());
    }

    /** Security updates may follow a faster policy: any added or changed rule of category security. */
    private static boolean touchesSecurityRules(Release release) {
        Set<String> touched = Stream.concat(release.diff().added().stream(), release.diff().changed().stream())
                .map(ReleaseDiff.RuleRef::ruleId).collect(Collectors.toSet());
        return release.rules().stream().filter(r -> touched.contains(r.id()))
                .flatMap(r -> RuleDefinition.read(r.yaml()).stream())
                .anyMatch(RuleDefinition::isSecurity);
    }

    static String summary(ReleaseDiff diff) {
        return diff.added().size() + " added, " + diff.removed().size() + " removed, " + diff.changed().size() + " changed";
    }

    /** The plan a release made live by a person is rolled out by: the policy's, as {@code override} changes it. */
    public Optional<RolloutPlan> rolloutPlan(PlanOverride override) {
        return override.apply(policy.rolloutPlan());
    }
}
