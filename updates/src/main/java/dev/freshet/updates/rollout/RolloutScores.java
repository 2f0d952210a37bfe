package dev.freshet.updates.rollout;

import dev.freshet.engine.knowledge.Knowledge;
import dev.freshet.engine.models.Assessment;
import dev.freshet.engine.models.HttpAnomalyModel;
import dev.freshet.engine.models.HttpRequest;
import dev.freshet.updates.release.Track;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores one request with the model its cohort gets from a snapshot taken once: the candidate for
 * buckets below its weight (a stable hash of the client or route key), stable otherwise, or what
 * the caller asked for explicitly. In shadow the candidate scores the same request right after
 * stable (scoring takes microseconds, less than handing it to another thread would); its verdict
 * is counted, never returned. The figures are summed in memory and written to the store by
 * {@link #flush()} (the rollout driver calls it before judging), so every node's requests count.
 */
public final class RolloutScores {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutScores.class);

    private final RolloutEngine engine;
    private final AtomicReference<Map<Key, Figures>> pending = new AtomicReference<>(new ConcurrentHashMap<>());

    private record Key(long rolloutId, int step, RolloutEngine.Arm arm) {
    }

    private static final class Figures {
        final LongAdder requests = new LongAdder();
        final LongAdder anomalous = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder micros = new LongAdder();
    }

    /** No active version of the model: nothing can score. */
    public static final class NoModelException extends Exception {
        public NoModelException(String message) {
            super(message);
        }
    }

    /**
     * A served verdict and the release that gave it.
     *
     * @param byCandidate whether the rollout's candidate gave it
     */
    public record Scored(Assessment assessment, String releaseId, boolean byCandidate) {
    }

    public RolloutScores(RolloutEngine engine) {
        this.engine = engine;
    }

    /** Scores {@code request} of unit {@code key} (a client or route) with the model of {@code track} its cohort gets from {@code snapshot}. */
    public Scored score(Knowledge snapshot, Track track, String key, Cohorts.Requested requested, HttpRequest request)
            throws NoModelException {
        Knowledge.TrackKnowledge knowledge = snapshot.track(track.name())
                .orElseThrow(() -> new NoModelException("no version of " + track + " is active: train one first"));
        if (knowledge.candidate() == null) {
            return new Scored(model(knowledge.active()).assess(request), knowledge.active().releaseId(), false);
        }
        Knowledge.TrackKnowledge.Choice choice = requested == Cohorts.Requested.OWN_BUCKET
                ? knowledge.choose(Cohorts.bucket(track.name(), key))
                : knowledge.chooseExplicitly(requested == Cohorts.Requested.CANDIDATE);
        Knowledge.Candidate candidate = knowledge.candidate();
        // A caller that chose its cohort is testing the candidate, not sampling it: not counted.
        boolean counted = requested == Cohorts.Requested.OWN_BUCKET;
        Assessment served = timed(candidate, choice.byCandidate() ? RolloutEngine.Arm.CANDIDATE : RolloutEngine.Arm.STABLE, counted,
                model(choice.served()), request);
        choice.shadow().ifPresent(shadow -> {
            try {
                timed(shadow, RolloutEngine.Arm.SHADOW, true, model(shadow.release()), request);
            } catch (RuntimeException | NoModelException e) {
                LOG.debug("shadow scoring with candidate {} failed: {}", shadow.release().releaseId(), e.toString());
            }
        });
        return new Scored(served, choice.served().releaseId(), choice.byCandidate());
    }

    private static HttpAnomalyModel model(Knowledge.Compiled release) throws NoModelException {
        return release.model().orElseThrow(() -> new NoModelException("release " + release.releaseId() + " holds no model"));
    }

    private Assessment timed(Knowledge.Candidate candidate, RolloutEngine.Arm arm, boolean counted, HttpAnomalyModel model,
                             HttpRequest request) {
        long start = System.nanoTime();
        Figures figures = counted ? pending.get().computeIfAbsent(new Key(candidate.rolloutId(), candidate.step(), arm), k -> new Figures())
                : null;
        try {
            Assessment assessment = model.assess(request);
            if (figures != null) {
                figures.requests.increment();
                figures.micros.add((System.nanoTime() - start) / 1_000);
                if (assessment.anomalous()) {
                    figures.anomalous.increment();
                }
            }
            return assessment;
        } catch (RuntimeException e) {
            if (figures != null) {
                figures.requests.increment();
                figures.failed.increment();
            }
            throw e;
        }
    }

    /** Writes the figures summed since the last flush to the store. */
    public void flush() {
        Map<Key, Figures> taken = pending.getAndSet(new ConcurrentHashMap<>());
        List<RolloutEngine.ScoreFigures> rows = new ArrayList<>();
        taken.forEach((key, f) -> {
            if (f.requests.sum() > 0) {
                rows.add(new RolloutEngine.ScoreFigures(key.rolloutId(), key.step(), key.arm(), f.requests.sum(), f.anomalous.sum(),
                        f.failed.sum(), f.micros.sum()));
            }
        });
        engine.recordScores(rows);
    }

    /** The model of {@code track} in {@code snapshot} serving outside every candidate's cohort, if one is active. */
    public static Optional<HttpAnomalyModel> active(Knowledge snapshot, Track track) {
        return snapshot.track(track.name()).flatMap(t -> t.active().model());
    }
}
