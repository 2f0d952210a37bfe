package dev.freshet.updates.community;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.freshet.updates.community.HealthModel.Group;
import dev.freshet.updates.community.RuleHealth.ReleasePoint;
import dev.freshet.updates.community.RuleHealth.Status;
import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.release.Activation;
import dev.freshet.updates.release.GeneratedOverride;
import dev.freshet.updates.release.OverrideChange;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseNotes;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Track;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.rollout.ActivationService;
import dev.freshet.updates.store.SharedWrites;
import dev.freshet.updates.store.StoredJson;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns stored feedback into rule health and decisions. Health is computed on demand; a batch
 * (run on the feedback schedule, or by hand) puts rules that are confidently noisy on probation,
 * ends the probation of rules that recovered, and settles contributors' reputation against the
 * consensus on each finding, all in one transaction with its events.
 *
 * <p>A probation is a release: the active release of {@code rules} again, with a generated
 * override demoting the rule and the evidence in its notes, made live through the activation
 * service like any update; lifting it is the release without the override. So the history shows
 * both with their evidence, and rolling the probation's release back lifts it. A rule whose
 * probation a person undid that way is not put back on probation until new evidence arrives.
 */
public final class FeedbackProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(FeedbackProcessor.class);
    private static final TypeReference<Map<String, Object>> EVIDENCE = new TypeReference<>() { };
    /** Most one batch may move a contributor's reputation, so no single batch decides anyone's standing. */
    static final double MAX_GAIN_PER_BATCH = 0.5;
    static final double MAX_LOSS_PER_BATCH = -1.0;

    /** What a batch did. */
    public record BatchResult(long batch, long throughFeedbackId, long records, List<String> probationsStarted,
                              List<String> probationsEnded, int rulesJudged, Map<String, Double> reputationChanges, long durationMillis) {
    }

    private final Jdbi jdbi;
    private final ReleaseStore releases;
    private final ActivationService activations;
    private final Reputation reputation;
    private final FeedbackPolicy policy;
    private final HealthModel model;
    private final Clock clock;

    public FeedbackProcessor(Jdbi jdbi, ReleaseStore releases, ActivationService activations, Reputation reputation, FeedbackPolicy policy,
                             Clock clock) {
        this.jdbi = jdbi;
        this.releases = releases;
        this.activations = activations;
        this.reputation = reputation;
        this.policy = policy;
        this.model = new HealthModel(policy);
        this.clock = clock;
    }

    /** The rule's health over all feedback, with its trend per release; empty when nobody judged it. */
    public Optional<RuleHealth> health(String ruleId) {
        return jdbi.withHandle(h -> {
            List<Group> groups = groups(h, Optional.of(ruleId));
            return groups.isEmpty() ? Optional.empty()
                    : Optional.of(health(h, ruleId, groups, Reputation.all(h), activeProbationRules(h)));
        });
    }

    /** The rule's health on one release (a release id or unique prefix). */
    public Optional<RuleHealth> health(String ruleId, String release) {
        return jdbi.withHandle(h -> {
            String releaseId = ReleaseStore.resolve(h, release);
            List<Group> groups = groups(h, Optional.of(ruleId)).stream().filter(g -> releaseId.equals(g.releaseId())).toList();
            if (groups.isEmpty()) {
                return Optional.empty();
            }
            Map<String, Double> weights = Reputation.all(h);
            return Optional.of(model.health(ruleId, releaseId, groups, weight(weights), activeProbationRules(h).contains(ruleId), List.of()));
        });
    }

    /** Every judged rule's health, by rule id. */
    public List<RuleHealth> health() {
        return jdbi.withHandle(h -> {
            Map<String, Double> weights = Reputation.all(h);
            Set<String> onProbation = activeProbationRules(h);
            Map<String, List<Group>> byRule = groups(h, Optional.empty()).stream()
                    .collect(Collectors.groupingBy(Group::ruleId, TreeMap::new, Collectors.toList()));
            return byRule.entrySet().stream().map(e -> health(h, e.getKey(), e.getValue(), weights, onProbation)).toList();
        });
    }

    private RuleHealth health(Handle h, String ruleId, List<Group> groups, Map<String, Double> weights, Set<String> onProbation) {
        ToDoubleFunction<String> weight = weight(weights);
        Map<String, List<Group>> byRelease = groups.stream().filter(g -> g.releaseId() != null)
                .collect(Collectors.groupingBy(Group::releaseId));
        Map<String, Long> order = releaseOrder(h, byRelease.keySet());
        List<ReleasePoint> trend = byRelease.entrySet().stream()
                .sorted(Comparator.comparingLong(e -> order.getOrDefault(e.getKey(), Long.MAX_VALUE)))
                .map(e -> model.point(e.getKey(), e.getValue(), weight)).toList();
        return model.health(ruleId, null, groups, weight, onProbation.contains(ruleId), trend);
    }

    /** Probations, newest first, optionally of one rule. */
    public List<Probation> probations(Optional<String> ruleId) {
        return jdbi.withHandle(h -> {
            Query query = h.createQuery("SELECT * FROM probations" + (ruleId.isPresent() ? " WHERE rule_id = :rule" : "") + " ORDER BY id DESC");
            ruleId.ifPresent(rule -> query.bind("rule", rule));
            Set<Long> live = new HashSet<>(openProbations(h).values());
            return query.map((rs, ctx) -> probation(rs, live)).list();
        });
    }

    /**
     * One batch over all feedback stored so far. Decisions use the whole history (health is
     * cumulative); reputation is settled once per verdict, as soon as its finding has a consensus.
     */
    public BatchResult runBatch() {
        long started = System.nanoTime();
        BatchResult result = jdbi.inTransaction(h -> {
            SharedWrites.lock(h, "feedback_batches");
            long batch = h.createQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM feedback_batches").mapTo(Long.class).one();
            long through = h.createQuery("SELECT COALESCE(MAX(id), 0) FROM feedback").mapTo(Long.class).one();
            Map<String, Double> weights = Reputation.all(h);
            Map<String, List<Group>> byRule = groups(h, Optional.empty()).stream()
                    .collect(Collectors.groupingBy(Group::ruleId, TreeMap::new, Collectors.toList()));
            Map<String, Long> openProbations = openProbations(h);
            Set<String> activeRules = activeRules(h);
            Map<String, Status> judged = new HashMap<>();
            List<String> begun = new ArrayList<>();
            List<String> ended = new ArrayList<>();
            for (Map.Entry<String, List<Group>> rule : byRule.entrySet()) {
                String ruleId = rule.getKey();
                RuleHealth health = model.health(ruleId, null, rule.getValue(), weight(weights), openProbations.containsKey(ruleId), List.of());
                if (health.status() != Status.UNDECIDED) {
                    judged.put(ruleId, health.status());
                }
                if (health.status() == Status.NOISY && !openProbations.containsKey(ruleId) && activeRules.contains(ruleId)
                        && !undoneWithoutNewEvidence(h, ruleId)) {
                    begin(h, health, through);
                    begun.add(ruleId);
                } else if (health.status() == Status.GOOD && openProbations.containsKey(ruleId)) {
                    end(h, openProbations.get(ruleId), health, through, "precision recovered above the floor");
                    ended.add(ruleId);
                }
            }
            Map<String, Double> changes = settle(h, batch, through, weights);
            long records = h.createQuery("SELECT COUNT(*) FROM feedback WHERE id <= :through").bind("through", through).mapTo(Long.class).one();
            long millis = (System.nanoTime() - started) / 1_000_000;
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("probations_started", begun);
            summary.put("probations_ended", ended);
            summary.put("rules_judged", judged.size());
            summary.put("reputation_changes", changes.size());
            h.createUpdate("INSERT INTO feedback_batches (id, ran_at, through_id, records, duration_ms, summary) "
                            + "VALUES (:id, :at, :through, :records, :ms, :summary)")
                    .bind("id", batch).bind("at", clock.millis()).bind("through", through).bind("records", records)
                    .bind("ms", millis).bind("summary", StoredJson.write(summary)).execute();
            return new BatchResult(batch, through, records, begun, ended, judged.size(), changes, millis);
        });
        LOG.info("feedback batch {}: {} records, {} rules judged, probation begun {}, ended {}, {} reputations changed in {} ms",
                result.batch(), result.records(), result.rulesJudged(), result.probationsStarted(), result.probationsEnded(),
                result.reputationChanges().size(), (System.nanoTime() - started) / 1_000_000);
        return result;
    }

    private void begin(Handle h, RuleHealth health, long through) {
        long id = h.createQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM probations").mapTo(Long.class).one();
        Map<String, Object> evidence = evidence(h, health, through);
        List<GeneratedOverride> overrides = new ArrayList<>(liveRelease(h).notes().overrides());
        overrides.add(GeneratedOverride.of(health.ruleId(), new OverrideChange.SetSeverity(policy.demotedSeverity()), id));
        String reason = "rule " + health.ruleId() + " on probation #" + id + " (severity " + policy.demotedSeverity() + "): " + summary(evidence);
        String release = release(h, overrides, id, "begin", evidence, reason);
        h.createUpdate("INSERT INTO probations (id, rule_id, started_at, evidence, release_id, through_feedback_id) "
                        + "VALUES (:id, :rule, :at, :evidence, :release, :through)")
                .bind("id", id).bind("rule", health.ruleId()).bind("at", clock.millis()).bind("evidence", StoredJson.write(evidence))
                .bind("release", release).bind("through", through).execute();
        Map<String, Object> payload = new LinkedHashMap<>(evidence);
        payload.put("probation", id);
        payload.put("severity", policy.demotedSeverity());
        EventLog.append(h, clock.instant(), EventType.RULE_PROBATION_STARTED, release, null, payload);
        LOG.warn("rule {} on probation #{} by release {}: {}", health.ruleId(), id, ReleaseStore.shortId(release), summary(evidence));
    }

    private void end(Handle h, long probation, RuleHealth health, long through, String why) {
        Map<String, Object> evidence = evidence(h, health, through);
        List<GeneratedOverride> overrides = liveRelease(h).notes().overrides().stream().filter(o -> o.probation() != probation).toList();
        String reason = "rule " + health.ruleId() + " off probation #" + probation + ", " + why + ": " + summary(evidence);
        String release = release(h, overrides, probation, "lift", evidence, reason);
        h.createUpdate("UPDATE probations SET ended_at = :at, end_reason = :reason, end_evidence = :evidence, lift_release_id = :release "
                        + "WHERE id = :id")
                .bind("at", clock.millis()).bind("reason", why).bind("evidence", StoredJson.write(evidence)).bind("release", release)
                .bind("id", probation).execute();
        Map<String, Object> payload = new LinkedHashMap<>(evidence);
        payload.put("probation", probation);
        payload.put("reason", why);
        EventLog.append(h, clock.instant(), EventType.RULE_PROBATION_ENDED, release, null, payload);
        LOG.info("rule {}: probation #{} lifted by release {}, {}", health.ruleId(), probation, ReleaseStore.shortId(release), why);
    }

    /**
     * The live release of {@code rules} with these generated overrides instead of its own, made live;
     * its id. Releases are content-addressed, so lifting the only probation makes the release from
     * before it live again; the history row's reason carries the evidence either way.
     */
    private String release(Handle h, List<GeneratedOverride> overrides, long probation, String action, Map<String, Object> evidence,
                           String reason) {
        Release live = liveRelease(h);
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("probation", probation);
        provenance.put("action", action);
        provenance.put("evidence", evidence);
        Release made = releases.create(h, Track.RULES, live.rules(), live.report(), live.needs(), ReleaseNotes.generated(overrides, provenance));
        ReleaseStore.logged(activations.activateDerived(h, made.id(), reason));
        return made.id();
    }

    private static Release liveRelease(Handle h) {
        return ReleaseStore.activeId(h, Track.RULES).flatMap(id -> ReleaseStore.find(h, id))
                .orElseThrow(() -> new IllegalStateException("no release of rules is live"));
    }

    /**
     * Whether the rule's newest probation was undone by a person (a rollback, or a release they made
     * live, took its override away; not a batch) and fewer than the policy's threshold of verdicts
     * arrived since. A probation lost to an automatic activation (a release made before it, held for
     * a window or rolled out) is not undone: the batch puts the rule back.
     */
    private boolean undoneWithoutNewEvidence(Handle h, String ruleId) {
        Optional<Map.Entry<Long, Long>> newest = h.createQuery("SELECT id, through_feedback_id FROM probations WHERE rule_id = :rule "
                        + "AND ended_at IS NULL AND release_id IS NOT NULL ORDER BY id DESC LIMIT 1")
                .bind("rule", ruleId).map((rs, ctx) -> Map.entry(rs.getLong("id"), rs.getLong("through_feedback_id"))).findOne();
        if (newest.isEmpty() || !undoneByAPerson(h, newest.get().getKey())) {
            return false;
        }
        return h.createQuery("SELECT COUNT(*) FROM feedback WHERE rule_id = :rule AND id > :since")
                .bind("rule", ruleId).bind("since", newest.get().getValue()).mapTo(Long.class).one() < policy.minFeedbackThreshold();
    }

    /** Whether the newest history row that took the probation's override away was a rollback or a person's doing. */
    private static boolean undoneByAPerson(Handle h, long probation) {
        List<Activation> history = ReleaseStore.history(h, Track.RULES);
        for (int i = history.size() - 1; i >= 0; i--) {
            Activation a = history.get(i);
            if (a.previousReleaseId() != null && carries(h, a.previousReleaseId(), probation) && !carries(h, a.releaseId(), probation)) {
                return a.kind() == Activation.Kind.ROLLBACK || a.trigger() == Trigger.USER;
            }
        }
        return false;
    }

    private static boolean carries(Handle h, String releaseId, long probation) {
        return ReleaseStore.notes(h, releaseId).overrides().stream().anyMatch(o -> o.probation() == probation);
    }

    /**
     * Reputation against the consensus on each finding ({@link FindingConsensus}): a verdict that
     * matches it gains, one that contradicts it loses. Each verdict is settled once, as soon as its
     * finding has a consensus; won't-fix and missed findings on it are settled without a change.
     */
    private Map<String, Double> settle(Handle h, long batch, long through, Map<String, Double> weights) {
        // Every verdict on the findings that have unsettled ones: the consensus counts all, only the unsettled move reputation.
        List<Row> rows = h.createQuery("""
                        SELECT fingerprint, tenant, contributor, verdict, COUNT(*) AS n,
                               SUM(CASE WHEN settled = FALSE AND id <= :through THEN 1 ELSE 0 END) AS unsettled
                        FROM feedback WHERE fingerprint IN (SELECT fingerprint FROM feedback WHERE settled = FALSE AND id <= :through)
                        GROUP BY fingerprint, tenant, contributor, verdict""")
                .bind("through", through)
                .map((rs, ctx) -> new Row(new FindingConsensus.Votes(rs.getString("fingerprint"), rs.getString("tenant"),
                        rs.getString("contributor"), FeedbackVerdict.valueOf(rs.getString("verdict")), rs.getInt("n")), rs.getInt("unsettled")))
                .list();
        Map<String, List<Row>> byFinding = rows.stream().collect(Collectors.groupingBy(r -> r.votes().fingerprint()));
        Map<String, Double> delta = new TreeMap<>();
        List<String> settled = new ArrayList<>();
        byFinding.forEach((fingerprint, finding) -> FindingConsensus.of(finding.stream().map(Row::votes).toList(), weight(weights))
                .ifPresent(consensus -> {
                    settled.add(fingerprint);
                    for (Row row : finding) {
                        FeedbackVerdict verdict = row.votes().verdict();
                        double each = verdict == consensus ? Reputation.AGREED : FindingConsensus.side(verdict) >= 0 ? Reputation.CONTRADICTED : 0;
                        if (each != 0 && row.unsettled() > 0) {
                            delta.merge(row.votes().contributor(), each * row.unsettled(), Double::sum);
                        }
                    }
                }));
        delta.replaceAll((contributor, d) -> Math.max(MAX_LOSS_PER_BATCH, Math.min(MAX_GAIN_PER_BATCH, d)));
        delta.forEach((contributor, d) -> reputation.record(h, contributor, "batch:" + batch, d,
                "feedback against the consensus on findings, batch " + batch));
        for (int i = 0; i < settled.size(); i += 500) {
            h.createUpdate("UPDATE feedback SET settled = TRUE WHERE settled = FALSE AND id <= :through AND fingerprint IN (<fingerprints>)")
                    .bind("through", through).bindList("fingerprints", settled.subList(i, Math.min(settled.size(), i + 500))).execute();
        }
        return delta;
    }

    /** The rule's health for the record, with the feedback it was computed from (ids of the first and newest, how many). */
    private static Map<String, Object> evidence(Handle h, RuleHealth health, long through) {
        Map<String, Object> evidence = evidence(health);
        h.createQuery("SELECT MIN(id) AS first, MAX(id) AS last, COUNT(*) AS n FROM feedback WHERE rule_id = :rule AND id <= :through")
                .bind("rule", health.ruleId()).bind("through", through)
                .map((rs, ctx) -> Map.of("first_id", rs.getLong("first"), "last_id", rs.getLong("last"), "records", rs.getLong("n")))
                .findOne().ifPresent(feedback -> evidence.put("feedback", new TreeMap<>(feedback)));
        return evidence;
    }

    /** One line of evidence for the history: counts by verdict, precision with its interval, the feedback. */
    @SuppressWarnings("unchecked")
    private static String summary(Map<String, Object> evidence) {
        StringBuilder text = new StringBuilder();
        ((Map<String, Integer>) evidence.get("counts")).forEach((verdict, n) -> text.append(n).append(' ').append(verdict).append(", "));
        text.append("precision ").append(evidence.get("precision")).append(" (").append(evidence.get("precision_low")).append("..")
                .append(evidence.get("precision_high")).append(") from ").append(evidence.get("weighted_verdicts"))
                .append(" weighted verdicts of ").append(evidence.get("tenants")).append(" tenant(s)");
        if (evidence.get("feedback") instanceof Map<?, ?> feedback) {
            text.append("; feedback #").append(feedback.get("first_id")).append("..#").append(feedback.get("last_id"));
        }
        return text.toString();
    }

    /** A contributor's verdicts of one kind on one finding, and how many of them are not settled yet. */
    private record Row(FindingConsensus.Votes votes, int unsettled) {
    }

    private static Map<String, Object> evidence(RuleHealth health) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("rule_id", health.ruleId());
        evidence.put("precision", round(health.precision()));
        evidence.put("precision_low", round(health.precisionLow()));
        evidence.put("precision_high", round(health.precisionHigh()));
        evidence.put("probability_below_floor", round(health.probabilityBelowFloor()));
        evidence.put("weighted_verdicts", round(health.evidence()));
        evidence.put("tenants", health.tenants());
        if (health.notUsefulRate() != null) {
            evidence.put("not_useful_rate", round(health.notUsefulRate()));
        }
        Map<String, Integer> counts = new TreeMap<>();
        health.counts().forEach((verdict, n) -> counts.put(verdict.lowerCase(), n));
        evidence.put("counts", counts);
        return evidence;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static ToDoubleFunction<String> weight(Map<String, Double> weights) {
        return contributor -> weights.getOrDefault(contributor, Reputation.START);
    }

    private static List<Group> groups(Handle h, Optional<String> ruleId) {
        Query query = h.createQuery("SELECT rule_id, release_id, tenant, contributor, verdict, COUNT(*) AS n FROM feedback"
                + (ruleId.isPresent() ? " WHERE rule_id = :rule" : "") + " GROUP BY rule_id, release_id, tenant, contributor, verdict");
        ruleId.ifPresent(rule -> query.bind("rule", rule));
        return query.map((rs, ctx) -> new Group(rs.getString("rule_id"), rs.getString("release_id"), rs.getString("tenant"),
                        rs.getString("contributor"), FeedbackVerdict.valueOf(rs.getString("verdict")), rs.getInt("n")))
                .list();
    }

    private static Map<String, Long> releaseOrder(Handle h, Set<String> releaseIds) {
        if (releaseIds.isEmpty()) {
            return Map.of();
        }
        Map<String, Long> order = new HashMap<>();
        h.createQuery("SELECT id, seq FROM releases WHERE id IN (<ids>)").bindList("ids", List.copyOf(releaseIds))
                .map((rs, ctx) -> Map.entry(rs.getString("id"), rs.getLong("seq"))).forEach(e -> order.put(e.getKey(), e.getValue()));
        return order;
    }

    /** The rules on probation now, each with its probation: the generated overrides of the live release. */
    private static Map<String, Long> openProbations(Handle h) {
        Map<String, Long> open = new HashMap<>();
        ReleaseStore.activeId(h, Track.RULES).map(id -> ReleaseStore.notes(h, id).overrides()).orElse(List.of())
                .forEach(o -> open.put(o.ruleId(), o.probation()));
        return open;
    }

    private static Set<String> activeProbationRules(Handle h) {
        return openProbations(h).keySet();
    }

    private static Set<String> activeRules(Handle h) {
        return ReleaseStore.activeId(h, Track.RULES)
                .map(id -> new HashSet<>(h.createQuery("SELECT rule_id FROM release_rules WHERE release_id = :id").bind("id", id)
                        .mapTo(String.class).list()))
                .orElseGet(HashSet::new);
    }

    private static Probation probation(ResultSet rs, Set<Long> live) throws SQLException {
        long ended = rs.getLong("ended_at");
        boolean open = rs.wasNull();
        return new Probation(rs.getLong("id"), rs.getString("rule_id"), rs.getString("release_id"), Instant.ofEpochMilli(rs.getLong("started_at")),
                StoredJson.read(rs.getString("evidence"), EVIDENCE), open ? null : Instant.ofEpochMilli(ended), rs.getString("end_reason"),
                rs.getString("end_evidence") == null ? null : StoredJson.read(rs.getString("end_evidence"), EVIDENCE),
                rs.getString("lift_release_id"), live.contains(rs.getLong("id")));
    }
}
