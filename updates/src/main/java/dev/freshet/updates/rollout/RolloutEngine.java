package dev.freshet.updates.rollout;

import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.release.ReleaseException;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Track;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.store.StoredJson;
import dev.freshet.updates.store.SharedWrites;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one rollout engine, for every track: a release moves through the steps of its plan, each
 * held for an analysis interval and judged on every node's scans recorded in the store. A breach
 * counts toward the failure limit, at which the candidate is dropped and stable stays; an
 * inconclusive window pauses for a person (or waits, as the plan says); passing the step before
 * 100 makes the release live through the activation service, in the same transaction. Every
 * change takes the store's rollout lock and re-reads the row, so two nodes ticking at once move a
 * rollout once, and a restarted node continues at the recorded step.
 */
public final class RolloutEngine {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutEngine.class);
    private static final String UNFINISHED = "state IN ('RUNNING', 'PAUSED')";

    private final Jdbi jdbi;
    private final ActivationService activations;
    private final Clock clock;
    private final FeedbackSignal feedback;

    /** Which side of a rollout a recorded scan or scored request ran on. */
    public enum Arm { STABLE, CANDIDATE, SHADOW }

    public RolloutEngine(Jdbi jdbi, ActivationService activations, Clock clock) {
        this(jdbi, activations, clock, FeedbackSignal.NONE);
    }

    /** @param feedback false-positive feedback on rule releases, an analysis metric once feedback exists */
    public RolloutEngine(Jdbi jdbi, ActivationService activations, Clock clock, FeedbackSignal feedback) {
        this.jdbi = jdbi;
        this.activations = activations;
        this.clock = clock;
        this.feedback = feedback;
    }

    /**
     * Starts rolling the release (id or unique prefix) out on its track. Without a plan, or with
     * nothing live on the track to compare against, it becomes live at once, as before rollouts.
     */
    public Optional<Rollout> start(String releaseId, Optional<RolloutPlan> plan, String reason) {
        return jdbi.inTransaction(h -> {
            SharedWrites.lock(h, "rollouts");
            String id = ReleaseStore.resolve(h, releaseId);
            Track track = ReleaseStore.trackOf(h, id);
            Optional<String> stable = ReleaseStore.activeId(h, track);
            if (plan.isEmpty() || stable.isEmpty() || stable.get().equals(id)) {
                activations.activate(h, id, Trigger.USER, reason);
                return Optional.<Rollout>empty();
            }
            ReleaseStore.checkActivatable(h, id);
            unfinished(h, track).ifPresent(r -> {
                throw new ReleaseException("A rollout of release " + ReleaseStore.shortId(r.releaseId()) + " is under way on " + track
                        + " (step " + r.stepName() + "). Promote or abort it first.");
            });
            long next = h.createQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM rollouts").mapTo(Long.class).one();
            long now = now().toEpochMilli();
            h.createUpdate("""
                            INSERT INTO rollouts (id, track, release_id, stable_release_id, plan, step, state, failures,
                                                  step_started_at, created_at, updated_at, reason)
                            VALUES (:id, :track, :release, :stable, :plan, 0, 'RUNNING', 0, :now, :now, :now, :reason)""")
                    .bind("id", next).bind("track", track.name()).bind("release", id).bind("stable", stable.get())
                    .bind("plan", StoredJson.write(plan.get())).bind("now", now).bind("reason", reason).execute();
            Rollout started = find(h, next).orElseThrow();
            event(h, EventType.ROLLOUT_STARTED, started, Map.of("steps", plan.get().steps()));
            return Optional.of(started);
        });
    }

    /** The newest rollout of the track, finished or not. */
    public Optional<Rollout> latest(Track track) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM rollouts WHERE track = :track ORDER BY id DESC LIMIT 1")
                .bind("track", track.name()).map((rs, ctx) -> rollout(rs)).findOne());
    }

    /** The rollout under way (running or paused) on the track, if any. */
    public Optional<Rollout> unfinished(Track track) {
        return jdbi.withHandle(h -> unfinished(h, track));
    }

    /** Rollouts under way on every track. */
    public List<Rollout> unfinished() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM rollouts WHERE " + UNFINISHED + " ORDER BY id")
                .map((rs, ctx) -> rollout(rs)).list());
    }

    /** A number that changes with every change of any rollout's state: cheap to poll. */
    public long version() {
        return jdbi.withHandle(h -> EventLog.newest(h, EventType.ROLLOUT_CHANGES));
    }

    /** Records one scan's figures on one side of a rollout; any node may call it. */
    public void recordScan(long rolloutId, int step, Arm arm, String unit, long durationMs, boolean failed, long lines, int findings) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO rollout_scans (rollout_id, step, arm, scanned_at, unit, duration_ms, failed, lines, findings)
                        VALUES (:id, :step, :arm, :at, :unit, :duration, :failed, :lines, :findings)""")
                .bind("id", rolloutId).bind("step", step).bind("arm", arm.name()).bind("at", now().toEpochMilli())
                .bind("unit", unit).bind("duration", durationMs).bind("failed", failed).bind("lines", lines)
                .bind("findings", findings).execute());
    }

    /** Scored requests on one side of a model rollout over a short interval, summed by one node. */
    public record ScoreFigures(long rolloutId, int step, Arm arm, long requests, long anomalous, long failed, long micros) {
    }

    /** Records the scored-request figures one node summed since its last call; any node may call it. */
    public void recordScores(List<ScoreFigures> figures) {
        if (figures.isEmpty()) {
            return;
        }
        jdbi.useHandle(h -> {
            var batch = h.prepareBatch("""
                    INSERT INTO rollout_scores (rollout_id, step, arm, recorded_at, requests, anomalous, failed, micros)
                    VALUES (:id, :step, :arm, :at, :requests, :anomalous, :failed, :micros)""");
            long at = now().toEpochMilli();
            figures.forEach(f -> batch.bind("id", f.rolloutId()).bind("step", f.step()).bind("arm", f.arm().name()).bind("at", at)
                    .bind("requests", f.requests()).bind("anomalous", f.anomalous()).bind("failed", f.failed()).bind("micros", f.micros())
                    .add());
            batch.execute();
        });
    }

    /**
     * What the candidate did differently with one rule on shadowed scans: findings added and removed
     * against stable on the same input, the rule's matching time and its errors on each side.
     */
    public record RuleEffect(int added, int removed, long stableMicros, long candidateMicros, int stableErrors, int candidateErrors) {
        public static RuleEffect findings(int added, int removed) {
            return new RuleEffect(added, removed, 0, 0, 0, 0);
        }

        /**
         * Whether the sides differ enough to be worth a row: findings or errors differ, or the rule
         * took the candidate more than twice stable's time and a millisecond more (a row per rule
         * per scan for equal rules would cost more than the scan).
         */
        boolean differs() {
            return added != 0 || removed != 0 || stableErrors != candidateErrors || candidateMicros > 2 * stableMicros + 1_000;
        }
    }

    /** Records what a shadowed candidate did differently per rule on one scan. */
    public void recordRuleChanges(long rolloutId, String unit, Map<String, RuleEffect> changes) {
        Map<String, RuleEffect> differing = new LinkedHashMap<>();
        changes.forEach((rule, effect) -> {
            if (effect.differs()) {
                differing.put(rule, effect);
            }
        });
        if (differing.isEmpty()) {
            return;
        }
        jdbi.useHandle(h -> {
            var batch = h.prepareBatch("""
                    INSERT INTO rollout_rule_changes (rollout_id, scanned_at, unit, rule_id, added, removed,
                                                      stable_micros, candidate_micros, stable_errors, candidate_errors)
                    VALUES (:id, :at, :unit, :rule, :added, :removed, :stableMicros, :candidateMicros, :stableErrors, :candidateErrors)""");
            long at = now().toEpochMilli();
            differing.forEach((rule, e) -> batch.bind("id", rolloutId).bind("at", at).bind("unit", unit).bind("rule", rule)
                    .bind("added", e.added()).bind("removed", e.removed()).bind("stableMicros", e.stableMicros())
                    .bind("candidateMicros", e.candidateMicros()).bind("stableErrors", e.stableErrors())
                    .bind("candidateErrors", e.candidateErrors()).add());
            batch.execute();
        });
    }

    /** Per rule over the whole rollout, what the candidate did differently: what the update would change. */
    public Map<String, RuleEffect> ruleChanges(long rolloutId) {
        Map<String, RuleEffect> changes = new LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("""
                        SELECT rule_id, SUM(added), SUM(removed), SUM(stable_micros), SUM(candidate_micros), SUM(stable_errors),
                               SUM(candidate_errors)
                        FROM rollout_rule_changes WHERE rollout_id = :id GROUP BY rule_id""")
                .bind("id", rolloutId)
                .map((rs, ctx) -> Map.entry(rs.getString(1), new RuleEffect(rs.getInt(2), rs.getInt(3), rs.getLong(4), rs.getLong(5),
                        rs.getInt(6), rs.getInt(7))))
                .list().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> changes.put(e.getKey(), e.getValue())));
        return changes;
    }

    /** Judges every running rollout whose analysis interval has passed, and acts on the verdict. */
    public List<Rollout> tick() {
        List<Rollout> changed = new ArrayList<>();
        for (Rollout r : unfinished()) {
            jdbi.inTransaction(h -> {
                SharedWrites.lock(h, "rollouts");
                Rollout current = find(h, r.id()).orElseThrow(); // another node may have moved it meanwhile
                Instant now = now();
                if (current.state() != Rollout.State.RUNNING
                        || now.isBefore(current.stepStartedAt().plus(current.plan().interval()))) {
                    return null;
                }
                return judge(h, current, analyse(h, current), now);
            });
            find(r.id()).filter(after -> !after.equals(r)).ifPresent(changed::add);
        }
        return changed;
    }

    private Void judge(Handle h, Rollout r, Analysis analysis, Instant now) {
        RolloutPlan plan = r.plan();
        if (plan.dryRun()) {
            update(h, r, r.step(), Rollout.State.RUNNING, r.failures(), now, "dry run: " + analysis.verdict(), analysis);
            return null;
        }
        switch (analysis.verdict()) {
            case PASS -> advance(h, r, analysis, now, "analysis passed");
            case FAIL -> {
                int failures = r.failures() + 1;
                String reason = "step " + r.stepName() + ": " + String.join("; ", analysis.breaches());
                if (failures >= plan.failureLimit()) {
                    Rollout dropped = update(h, r, r.step(), Rollout.State.ROLLED_BACK, failures, now, reason, analysis);
                    event(h, EventType.ROLLOUT_ROLLED_BACK, dropped, Map.of("reason", reason, "analysis", analysis));
                    LOG.warn("rollout {} of release {} on {} rolled back at step {}: {}", r.id(), ReleaseStore.shortId(r.releaseId()),
                            r.track(), r.stepName(), reason);
                } else {
                    Rollout failed = update(h, r, r.step(), Rollout.State.RUNNING, failures, now, reason, analysis);
                    event(h, EventType.ROLLOUT_ANALYSIS_FAILED, failed, Map.of("reason", reason, "analysis", analysis));
                }
            }
            case INCONCLUSIVE -> {
                String reason = "step " + r.stepName() + ": inconclusive (" + analysis.candidateScans() + " candidate and "
                        + analysis.stableScans() + " stable scans, " + plan.minScans() + " needed on each side)";
                if (plan.inconclusive() == RolloutPlan.Inconclusive.PAUSE) {
                    event(h, EventType.ROLLOUT_PAUSED, update(h, r, r.step(), Rollout.State.PAUSED, r.failures(), now, reason, analysis),
                            Map.of("reason", reason));
                } else {
                    update(h, r, r.step(), Rollout.State.RUNNING, r.failures(), now, reason, analysis);
                }
            }
        }
        return null;
    }

    /** Moves to the next step; reaching 100 makes the release live in this same transaction. */
    private void advance(Handle h, Rollout r, Analysis analysis, Instant now, String why) {
        int next = r.step() + 1;
        if (r.plan().weight(next) == 100) {
            activations.activate(h, r.releaseId(), Trigger.AUTOMATIC, "rollout " + r.id() + " promoted: " + why);
            Rollout promoted = update(h, r, next, Rollout.State.PROMOTED, r.failures(), now, why, analysis);
            event(h, EventType.ROLLOUT_PROMOTED, promoted, Map.of("reason", why));
        } else {
            event(h, EventType.ROLLOUT_STEP, update(h, r, next, Rollout.State.RUNNING, r.failures(), now, why, analysis),
                    Map.of("step", r.plan().steps().get(next)));
        }
    }

    /** A person moves the rollout on the track to its next step now (at the step before 100: promotes it). */
    public Rollout promote(Track track, String reason) {
        return act(track, (h, r) -> {
            advance(h, r, r.analysis(), now(), "promoted by a person: " + reason);
            return find(h, r.id()).orElseThrow();
        });
    }

    /** Holds the rollout at its step: the candidate keeps serving its cohorts, nothing is judged. */
    public Rollout pause(Track track, String reason) {
        return act(track, (h, r) -> {
            Rollout paused = update(h, r, r.step(), Rollout.State.PAUSED, r.failures(), now(), reason, r.analysis());
            event(h, EventType.ROLLOUT_PAUSED, paused, Map.of("reason", reason));
            return paused;
        });
    }

    /** Continues a paused rollout with a fresh analysis window. */
    public Rollout resume(Track track, String reason) {
        return act(track, (h, r) -> {
            Rollout running = update(h, r, r.step(), Rollout.State.RUNNING, r.failures(), now(), reason, r.analysis());
            event(h, EventType.ROLLOUT_RESUMED, running, Map.of("reason", reason));
            return running;
        });
    }

    /** Drops the candidate; stable stays. */
    public Rollout abort(Track track, String reason) {
        return act(track, (h, r) -> {
            Rollout aborted = update(h, r, r.step(), Rollout.State.ABORTED, r.failures(), now(), reason, r.analysis());
            event(h, EventType.ROLLOUT_ABORTED, aborted, Map.of("reason", reason));
            return aborted;
        });
    }

    /** The analysis of the current window so far, without acting on it. */
    public Analysis analyse(Rollout rollout) {
        return jdbi.withHandle(h -> analyse(h, rollout));
    }

    private interface Action {
        Rollout apply(Handle h, Rollout current);
    }

    private Rollout act(Track track, Action action) {
        return jdbi.inTransaction(h -> {
            SharedWrites.lock(h, "rollouts");
            Rollout current = unfinished(h, track).orElseThrow(() -> new ReleaseException(ReleaseException.Kind.NOT_FOUND, "No rollout is under way on " + track + "."));
            return action.apply(h, current);
        });
    }

    private Analysis analyse(Handle h, Rollout r) {
        Arm candidate = r.servesCandidate() ? Arm.CANDIDATE : Arm.SHADOW;
        if (Track.of(r.track()).isModel()) {
            Analysis.ScoreSide candidateSide = scores(h, r, candidate);
            Analysis.ScoreSide stableSide = scores(h, r, Arm.STABLE);
            FeedbackSignal.Rates rates = new FeedbackSignal.Rates(
                    modelFalsePositives(h, r, r.releaseId(), candidateSide), modelFalsePositives(h, r, r.stableReleaseId(), stableSide));
            return Analysis.ofScores(candidateSide, stableSide, r.plan(), rates);
        }
        FeedbackSignal.Rates rates = new FeedbackSignal.Rates(feedback.falsePositiveRate(h, r.track(), r.releaseId(), r.stepStartedAt()),
                feedback.falsePositiveRate(h, r.track(), r.stableReleaseId(), r.stepStartedAt()));
        return Analysis.of(side(h, r, candidate), side(h, r, Arm.STABLE), r.plan(), rates);
    }

    private static Analysis.ScoreSide scores(Handle h, Rollout r, Arm arm) {
        return h.createQuery("""
                        SELECT COALESCE(SUM(requests), 0), COALESCE(SUM(anomalous), 0), COALESCE(SUM(failed), 0), COALESCE(SUM(micros), 0)
                        FROM rollout_scores WHERE rollout_id = :id AND step = :step AND arm = :arm AND recorded_at >= :since""")
                .bind("id", r.id()).bind("step", r.step()).bind("arm", arm.name()).bind("since", r.stepStartedAt().toEpochMilli())
                .map((rs, ctx) -> new Analysis.ScoreSide(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4))).one();
    }

    /** False positives operators reported on the release's verdicts in this window, per request it served; unknown without requests. */
    private static OptionalDouble modelFalsePositives(Handle h, Rollout r, String releaseId, Analysis.ScoreSide side) {
        if (side.requests() == 0) {
            return OptionalDouble.empty();
        }
        long reports = h.createQuery("""
                        SELECT COUNT(*) FROM model_feedback WHERE release_id = :release AND kind = 'FALSE_POSITIVE'
                        AND reported_at >= :since""")
                .bind("release", releaseId).bind("since", r.stepStartedAt().toEpochMilli()).mapTo(Long.class).one();
        return OptionalDouble.of((double) reports / side.requests());
    }

    private static Analysis.Side side(Handle h, Rollout r, Arm arm) {
        List<long[]> rows = h.createQuery("""
                        SELECT duration_ms, CASE WHEN failed THEN 1 ELSE 0 END, lines, findings FROM rollout_scans
                        WHERE rollout_id = :id AND step = :step AND arm = :arm AND scanned_at >= :since""")
                .bind("id", r.id()).bind("step", r.step()).bind("arm", arm.name()).bind("since", r.stepStartedAt().toEpochMilli())
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)}).list();
        return new Analysis.Side(rows.stream().map(row -> row[0]).toList(), rows.stream().mapToLong(row -> row[1]).sum(),
                rows.stream().mapToLong(row -> row[2]).sum(), rows.stream().mapToLong(row -> row[3]).sum());
    }

    private Rollout update(Handle h, Rollout r, int step, Rollout.State state, int failures, Instant now, String reason,
                           Analysis analysis) {
        h.createUpdate("""
                        UPDATE rollouts SET step = :step, state = :state, failures = :failures, step_started_at = :started,
                               updated_at = :now, reason = :reason, analysis = :analysis WHERE id = :id""")
                .bind("id", r.id()).bind("step", step).bind("state", state.name()).bind("failures", failures)
                .bind("started", step != r.step() || state == Rollout.State.RUNNING ? now.toEpochMilli() : r.stepStartedAt().toEpochMilli())
                .bind("now", now.toEpochMilli()).bind("reason", reason).bind("analysis", analysis == null ? null : StoredJson.write(analysis))
                .execute();
        return find(h, r.id()).orElseThrow();
    }

    private static void event(Handle h, EventType type, Rollout r, Map<String, Object> details) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("rollout", r.id());
        payload.put("track", r.track());
        payload.put("step", r.stepName());
        payload.put("state", r.state().name());
        payload.putAll(details);
        EventLog.append(h, r.updatedAt(), type, r.releaseId(), r.stableReleaseId(), payload);
    }

    private Optional<Rollout> find(long id) {
        return jdbi.withHandle(h -> find(h, id));
    }

    private static Optional<Rollout> find(Handle h, long id) {
        return h.createQuery("SELECT * FROM rollouts WHERE id = :id").bind("id", id).map((rs, ctx) -> rollout(rs)).findOne();
    }

    private static Optional<Rollout> unfinished(Handle h, Track track) {
        return h.createQuery("SELECT * FROM rollouts WHERE track = :track AND " + UNFINISHED + " ORDER BY id DESC LIMIT 1")
                .bind("track", track.name()).map((rs, ctx) -> rollout(rs)).findOne();
    }

    private static Rollout rollout(ResultSet rs) throws SQLException {
        String analysis = rs.getString("analysis");
        return new Rollout(rs.getLong("id"), rs.getString("track"), rs.getString("release_id"), rs.getString("stable_release_id"),
                StoredJson.read(rs.getString("plan"), RolloutPlan.class), rs.getInt("step"), Rollout.State.valueOf(rs.getString("state")),
                rs.getInt("failures"), Instant.ofEpochMilli(rs.getLong("step_started_at")), Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")), rs.getString("reason"),
                analysis == null ? null : StoredJson.read(analysis, Analysis.class));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
