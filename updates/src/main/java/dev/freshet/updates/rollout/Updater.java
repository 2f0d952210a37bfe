package dev.freshet.updates.rollout;

import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.gate.GateResult;
import dev.freshet.updates.gate.SnapshotWithPolicy;
import dev.freshet.updates.gate.ValidationGate;
import dev.freshet.updates.policy.UpdatePolicy;
import dev.freshet.updates.release.Activation;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseDiff;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.sources.Channels;
import dev.freshet.updates.sources.FetchResult;
import dev.freshet.updates.sources.RuleSource;
import dev.freshet.updates.sources.SourceException;
import dev.freshet.updates.sources.SourceFetchers;
import dev.freshet.updates.sources.SourceRegistry;
import dev.freshet.updates.sources.SourceSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
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

    /** What the check did: per source, and the release it built and what became of it. */
    public record CheckResult(List<SourceOutcome> sources, Optional<Release> release, Optional<UpdatePolicy.Decision> decision,
                              Optional<Activation> activation, Optional<Activation> automaticRollback) {
        public boolean changed() {
            return release.isPresent();
        }
    }

    public Updater(SourceRegistry registry, SourceFetchers fetchers, ValidationGate gate, ReleaseStore releases,
                   UpdatePolicy policy, PostActivationCheck postActivationCheck, PendingUpdates pending, Clock clock) {
        this.pending = pending;
        this.registry = registry;
        this.fetchers = fetchers;
        this.gate = gate;
        this.releases = releases;
        this.policy = policy;
        this.postActivationCheck = postActivationCheck;
        this.clock = clock;
    }

    public CheckResult check(Trigger trigger) {
        return check(trigger, name -> true);
    }

    /**
     * Checks the sources {@code due} selects (a scheduled check asks only the source whose time
     * came); the other enabled sources count as unchanged and are read only if a release is built.
     */
    public CheckResult check(Trigger trigger, java.util.function.Predicate<String> due) {
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
            outcomes.forEach(o -> registry.recordCheck(o.source(), Optional.ofNullable(o.revision()), Optional.ofNullable(o.error())));
            return new CheckResult(outcomes, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
        // A release holds every source's rules, so sources that did not change are read in full too.
        List<SourceRegistry.Entry> unchanged = entries.stream()
                .filter(e -> fetched.get(e.source().name()).outcome().status() == SourceStatus.UNCHANGED).toList();
        fetched.putAll(fetchAll(unchanged, false));
        List<SnapshotWithPolicy> snapshots = new ArrayList<>();
        for (SourceRegistry.Entry entry : entries) {
            Fetched f = fetched.get(entry.source().name());
            if (f.snapshot() == null) {
                // A failing source keeps the rules it had in the active release: stale but valid.
                Optional<SourceSnapshot> previous = previousSnapshot(entry.source());
                previous.ifPresent(p -> snapshots.add(SnapshotWithPolicy.of(p, entry.source().settings())));
                continue;
            }
            snapshots.add(SnapshotWithPolicy.of(Channels.select(f.snapshot(), entry.source().settings().channel()),
                    entry.source().settings()));
        }
        GateResult gated;
        try {
            gated = gate.validate(snapshots);
        } catch (IOException e) {
            throw new UncheckedIOException("validation gate failed", e);
        }
        Release release = releases.create(gated.accepted(), gated.report());
        outcomes.forEach(o -> registry.recordCheck(o.source(), Optional.ofNullable(o.revision()), Optional.ofNullable(o.error())));
        if (releases.active().map(Release::id).filter(release.id()::equals).isPresent()) {
            return new CheckResult(outcomes, Optional.of(release), Optional.empty(), Optional.empty(), Optional.empty());
        }
        UpdatePolicy.Decision decision = policy.decide(clock.instant(), touchesSecurityRules(release));
        if (decision != UpdatePolicy.Decision.APPLY) {
            LOG.info("release {} waits: {}", ReleaseStore.shortId(release.id()), decision);
            boolean security = touchesSecurityRules(release);
            outcomes.stream().filter(o -> o.status() == SourceStatus.CHANGED).forEach(o ->
                    pending.record(o.source(), o.revision(), release.id(), security, decision.name()));
            return new CheckResult(outcomes, Optional.of(release), Optional.of(decision), Optional.empty(), Optional.empty());
        }
        Activation activation = releases.activate(release.id(), trigger, "update check: " + summary(release.diff()));
        pending.resolveAll();
        Optional<Activation> rollback = Optional.empty();
        if (policy.rollback().automatic()) {
            Optional<String> problem = postActivationCheck.problem(release);
            if (problem.isPresent()) {
                LOG.warn("release {} failed its post-activation check ({}); rolling back", ReleaseStore.shortId(release.id()), problem.get());
                rollback = Optional.of(releases.rollback(Optional.empty(), Trigger.AUTOMATIC,
                        "post-activation check failed: " + problem.get()));
            }
        }
        return new CheckResult(outcomes, Optional.of(release), Optional.of(decision), Optional.of(activation), rollback);
    }

    private record Fetched(SourceOutcome outcome, SourceSnapshot snapshot) {
    }

    /** Fetches sources side by side: checks are mostly waiting on the network or the disk. */
    private Map<String, Fetched> fetchAll(List<SourceRegistry.Entry> entries, boolean fromKnownRevision) {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Fetched>> futures = entries.stream().map(e -> pool.submit(() -> fetch(e, fromKnownRevision))).toList();
            Map<String, Fetched> out = new java.util.LinkedHashMap<>();
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
        } catch (SourceException | RuntimeException e) {
            LOG.warn("source {} could not be checked: {}", name, e.getMessage());
            return new Fetched(new SourceOutcome(name, SourceStatus.FAILED, null, e.getMessage()), null);
        }
    }

    /** The rules a source contributed to the active release, as a snapshot to re-validate. */
    private Optional<SourceSnapshot> previousSnapshot(RuleSource source) {
        return releases.active().map(active -> new SourceSnapshot(source.name(), "active:" + active.id(),
                active.rules().stream().filter(r -> r.source().equals(source.name()))
                        .map(r -> new dev.freshet.updates.sources.SourceFile(r.path(),
                                r.yaml().getBytes(java.nio.charset.StandardCharsets.UTF_8))).toList()))
                .filter(s -> !s.files().isEmpty());
    }

    /** Security updates may follow a faster policy: any added or changed rule of category security. */
    private static boolean touchesSecurityRules(Release release) {
        Set<String> touched = java.util.stream.Stream.concat(release.diff().added().stream(), release.diff().changed().stream())
                .map(ReleaseDiff.RuleRef::ruleId).collect(Collectors.toSet());
        return release.rules().stream().filter(r -> touched.contains(r.id())).anyMatch(Updater::isSecurityRule);
    }

    private static boolean isSecurityRule(AcceptedRule rule) {
        return rule.yaml().lines().anyMatch(line -> line.strip().replace("'", "").replace("\"", "").equals("category: security"));
    }

    static String summary(ReleaseDiff diff) {
        return diff.added().size() + " added, " + diff.removed().size() + " removed, " + diff.changed().size() + " changed";
    }
}
