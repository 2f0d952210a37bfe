package dev.freshet.updates.rollout;

import dev.freshet.engine.knowledge.Knowledge;
import dev.freshet.engine.knowledge.KnowledgeHolder;
import dev.freshet.engine.knowledge.RuleCompiler;
import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.release.Overrides;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Track;
import dev.freshet.engine.models.IncompatibleModelException;
import dev.freshet.updates.learning.ModelReleases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a running engine's knowledge in step with the store: whenever an active release, the
 * local overrides or a rollout change, by whatever process on whatever node, the next snapshot
 * (per track the active release ready to use, the rules compiled and each model loaded, and during
 * a rollout the candidate at its step) is built off to the side and swapped in whole. Scans and
 * scored requests that took the old snapshot finish on it.
 */
public final class ActiveKnowledge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ActiveKnowledge.class);
    /** Model versions kept loaded: the active one, a candidate, and those a rollback would most likely go to. */
    static final int MODELS_KEPT_LOADED = 4;

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
    /** Per track, what its part of the current snapshot was built from: release ids, rules' hashes, rollout step. */
    private final Map<Track, String> builtFrom = new HashMap<>();
    /** Models loaded lately, by release id, least recently used first; only {@link #refresh} touches it. */
    private final Map<String, Knowledge.Compiled> loadedModels = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Knowledge.Compiled> eldest) {
            return size() > MODELS_KEPT_LOADED;
        }
    };

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
     * history, the overrides or a rollout have changed since the last build are the releases
     * loaded, so a poll of an unchanged store reads three numbers; and only a track whose releases
     * changed is built again (rules compiled, a model loaded), the others are kept as they are.
     */
    public synchronized boolean refresh() {
        // Read before the content: a change in between is seen again at the next refresh.
        Versions now = new Versions(releases.latestSeq(), overrides.version(), rollouts == null ? 0 : rollouts.version());
        if (now.equals(builtAt)) {
            return false;
        }
        Knowledge next = holder.current();
        List<Track> tracks = new ArrayList<>(List.of(Track.RULES));
        tracks.addAll(releases.tracks("models/"));
        tracks.addAll(releases.tracks("tenants/"));
        for (Track track : tracks) {
            Optional<String> active = releases.activeId(track);
            if (active.isEmpty()) {
                continue;
            }
            Optional<Rollout> rollout = rollouts == null ? Optional.empty() : rollouts.unfinished(track);
            Optional<Knowledge.TrackKnowledge> built = track.isModel() ? model(track, active.get(), rollout)
                    : track.equals(Track.RULES)
                    ? rules(releases.find(active.get()).orElseThrow(), rollout, rollout.flatMap(r -> releases.find(r.releaseId())))
                    : tenantRules(track, active.get());
            if (built.isPresent()) {
                next = next.with(track.name(), built.get());
            }
        }
        builtAt = now;
        if (next == holder.current()) {
            return false;
        }
        holder.swap(next);
        return true;
    }

    /** The rules track, compiled again only when its effective rules or its rollout changed. */
    private Optional<Knowledge.TrackKnowledge> rules(Release release, Optional<Rollout> rollout, Optional<Release> candidate) {
        List<AcceptedRule> effective = overrides.applyWithReport(release).rules();
        List<AcceptedRule> candidateRules = candidate.map(c -> overrides.applyWithReport(c).rules()).orElse(List.of());
        String source = release.id() + String.join("", effective.stream().map(AcceptedRule::sha256).toList())
                + rollout.map(r -> " rollout " + r.id() + " step " + r.step() + " " + String.join("",
                        candidateRules.stream().map(AcceptedRule::sha256).toList())).orElse("");
        if (source.equals(builtFrom.get(Track.RULES))) {
            return Optional.empty();
        }
        Knowledge.Compiled stable = compiled(release.id(), effective);
        Knowledge.Candidate serving = rollout.isEmpty() || candidate.isEmpty() ? null
                : candidate(compiled(candidate.get().id(), candidateRules), rollout.get());
        builtFrom.put(Track.RULES, source);
        LOG.info("knowledge swapped to release {} ({} rules){}", ReleaseStore.shortId(release.id()), stable.rules().size(),
                serving == null ? "" : ", candidate " + ReleaseStore.shortId(serving.release().releaseId()) + " at step " + rollout.get().stepName());
        return Optional.of(new Knowledge.TrackKnowledge(stable, serving));
    }

    /**
     * A tenant's own rules, used beside the global ones by its scans only; overrides are global tuning
     * and stay off them. Compiled again only when the tenant's active release changed.
     */
    private Optional<Knowledge.TrackKnowledge> tenantRules(Track track, String activeId) {
        if (activeId.equals(builtFrom.get(track))) {
            return Optional.empty();
        }
        builtFrom.put(track, activeId);
        Release release = releases.find(activeId).orElseThrow();
        LOG.info("knowledge of {} swapped to release {} ({} rules)", track, ReleaseStore.shortId(activeId), release.rules().size());
        return Optional.of(new Knowledge.TrackKnowledge(compiled(activeId, release.rules()), null));
    }

    /**
     * A model track, its artifacts loaded again only when its active release or its rollout changed.
     * A model this engine cannot load keeps the track as it was (the rollout's analysis, or a
     * person, deals with it); the reason is logged once per change.
     */
    private Optional<Knowledge.TrackKnowledge> model(Track track, String activeId, Optional<Rollout> rollout) {
        String source = activeId + rollout.map(r -> " rollout " + r.id() + " step " + r.step() + " " + r.releaseId()).orElse("");
        if (source.equals(builtFrom.get(track))) {
            return Optional.empty();
        }
        builtFrom.put(track, source);
        try {
            Knowledge.Compiled stable = loaded(activeId);
            Knowledge.Candidate serving = rollout.isEmpty() ? null : candidate(loaded(rollout.get().releaseId()), rollout.get());
            LOG.info("knowledge of {} swapped to release {}{}", track, ReleaseStore.shortId(activeId), serving == null ? ""
                    : ", candidate " + ReleaseStore.shortId(serving.release().releaseId()) + " at step " + rollout.get().stepName());
            return Optional.of(new Knowledge.TrackKnowledge(stable, serving));
        } catch (IncompatibleModelException e) {
            LOG.warn("knowledge of {} kept as it was: {}", track, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The model of a release, ready to score. The last few loaded stay loaded (models are immutable),
     * so rolling back to a recent version swaps a reference instead of reading and parsing its artifact.
     */
    private Knowledge.Compiled loaded(String releaseId) throws IncompatibleModelException {
        Knowledge.Compiled cached = loadedModels.get(releaseId);
        if (cached != null) {
            return cached;
        }
        Release release = releases.find(releaseId).orElseThrow(() -> new IncompatibleModelException("release " + releaseId + " is gone"));
        Knowledge.Compiled compiled = new Knowledge.Compiled(release.id(), ModelReleases.artifact(release).model());
        loadedModels.put(releaseId, compiled);
        return compiled;
    }

    private static Knowledge.Candidate candidate(Knowledge.Compiled release, Rollout rollout) {
        return new Knowledge.Candidate(release, rollout.id(), rollout.step(), rollout.servedWeight(), !rollout.servesCandidate());
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
