package dev.freshet.updates.rollout;

import dev.freshet.engine.knowledge.Knowledge;
import dev.freshet.engine.knowledge.KnowledgeHolder;
import dev.freshet.engine.knowledge.RuleCompiler;
import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.release.Overrides;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Track;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a running engine's knowledge in step with the store: whenever the active release, the
 * local overrides or a rollout change, by whatever process on whatever node, the next snapshot
 * (the active rules and, during a rollout, the candidate's at its step) is compiled off to the
 * side and swapped in whole. Scans that took the old snapshot finish on it.
 */
public final class ActiveKnowledge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ActiveKnowledge.class);

    private final ReleaseStore releases;
    private final Overrides overrides;
    private final RuleCompiler compiler;
    private final KnowledgeHolder holder;
    private final RolloutEngine rollouts;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "freshet-knowledge");
        thread.setDaemon(true);
        return thread;
    });
    /** The store's change counters the current snapshot was built at; null before the first build. */
    private volatile Versions builtAt;
    /** What the current snapshot was built from: release id and the effective rules' hashes. */
    private volatile String builtFrom = "";

    /** Numbers that change with the active release, the overrides and the rollouts: cheap to poll. */
    private record Versions(long activationSeq, long overrides, long rollouts) {
    }

    /** Knowledge without rollouts: the candidate of a rollout under way is not served. */
    public ActiveKnowledge(ReleaseStore releases, Overrides overrides, RuleCompiler compiler, KnowledgeHolder holder) {
        this(releases, overrides, compiler, holder, null);
    }

    public ActiveKnowledge(ReleaseStore releases, Overrides overrides, RuleCompiler compiler, KnowledgeHolder holder,
                           RolloutEngine rollouts) {
        this.releases = releases;
        this.overrides = overrides;
        this.compiler = compiler;
        this.holder = holder;
        this.rollouts = rollouts;
    }

    public KnowledgeHolder holder() {
        return holder;
    }

    /**
     * Brings the snapshot up to date now; returns whether it changed. Only when the activation
     * history or the overrides have changed since the last build is the release loaded, so a
     * poll of an unchanged store reads two numbers, and drifted overrides are logged once per change.
     */
    public synchronized boolean refresh() {
        // Read before the content: a change in between is seen again at the next refresh.
        Versions now = new Versions(releases.latestSeq(), overrides.version(), rollouts == null ? 0 : rollouts.version());
        if (now.equals(builtAt)) {
            return false;
        }
        Optional<Release> active = releases.active();
        if (active.isEmpty()) {
            builtAt = now;
            return false;
        }
        Release release = active.get();
        List<AcceptedRule> effective = overrides.applyWithReport(release.rules()).rules();
        Optional<Rollout> rollout = rollouts == null ? Optional.empty() : rollouts.unfinished(Track.RULES);
        Optional<Release> candidate = rollout.flatMap(r -> releases.find(r.releaseId()));
        List<AcceptedRule> candidateRules = candidate.map(c -> overrides.applyWithReport(c.rules()).rules()).orElse(List.of());
        Map<Track, Release> tenants = releases.activeTenantTracks();
        String source = release.id() + String.join("", effective.stream().map(AcceptedRule::sha256).toList())
                + String.join("", tenants.values().stream().map(r -> " " + r.track() + " " + r.id()).toList())
                + rollout.map(r -> " rollout " + r.id() + " step " + r.step() + " " + String.join("",
                        candidateRules.stream().map(AcceptedRule::sha256).toList())).orElse("");
        if (source.equals(builtFrom)) {
            builtAt = now;
            return false;
        }
        Knowledge.Compiled stable = compiled(release.id(), effective);
        Knowledge.Candidate serving = rollout.isEmpty() || candidate.isEmpty() ? null : new Knowledge.Candidate(
                compiled(candidate.get().id(), candidateRules), rollout.get().id(), rollout.get().step(),
                rollout.get().servedWeight(), !rollout.get().servesCandidate());
        Knowledge next = Knowledge.EMPTY.with(Knowledge.RULES, new Knowledge.TrackKnowledge(stable, serving));
        for (Release tenant : tenants.values()) {
            // A tenant's own rules, beside the global ones for its scans only; overrides are global tuning and stay off them.
            next = next.with(tenant.track().name(), new Knowledge.TrackKnowledge(compiled(tenant.id(), tenant.rules()), null));
        }
        Knowledge previous = holder.swap(next);
        builtFrom = source;
        builtAt = now;
        LOG.info("knowledge swapped from release {} to {} ({} rules){}", ReleaseStore.shortId(previous.releaseId()),
                ReleaseStore.shortId(release.id()), stable.rules().size(), serving == null ? ""
                        : ", candidate " + ReleaseStore.shortId(serving.release().releaseId()) + " at step " + rollout.get().stepName());
        return true;
    }

    private Knowledge.Compiled compiled(String releaseId, List<AcceptedRule> rules) {
        RuleCompiler.Result result = compiler.compile(releaseId, documents(rules));
        result.problems().forEach(p -> LOG.warn("release {}: rule left out: {}", ReleaseStore.shortId(releaseId), p));
        return new Knowledge.Compiled(releaseId, result.knowledge().rules());
    }

    /** Released rules as the engine compiles them, each named after its source and path. */
    public static List<RuleCompiler.RuleDocument> documents(List<AcceptedRule> rules) {
        return rules.stream().map(r -> new RuleCompiler.RuleDocument(r.sha256(), r.source() + "/" + r.path(), r.yaml())).toList();
    }

    /** Follows the store from now on, looking every {@code interval}. */
    public void follow(Duration interval) {
        poller.scheduleWithFixedDelay(() -> {
            try {
                refresh();
            } catch (RuntimeException e) {
                LOG.warn("could not refresh knowledge from the store; keeping the current snapshot", e);
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
