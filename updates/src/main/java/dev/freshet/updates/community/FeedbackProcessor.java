package dev.freshet.updates.community;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.freshet.updates.community.HealthModel.Group;
import dev.freshet.updates.community.RuleHealth.ReleasePoint;
import dev.freshet.updates.community.RuleHealth.Status;
import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.release.LocalOverride;
import dev.freshet.updates.release.OverrideChange;
import dev.freshet.updates.release.Overrides;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Track;
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
 * (run on the feedback schedule, or by hand) puts rules that are confidently noisy on probation
 * through a generated severity override, ends the probation of rules that recovered, and settles
 * contributors' reputation against the consensus, all in one transaction with its events.
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
    private final Overrides overrides;
    private final Reputation reputation;
    private final FeedbackPolicy policy;
    private final HealthModel model;
    private final Clock clock;

    public FeedbackProcessor(Jdbi jdbi, Overrides overrides, Reputation reputation, FeedbackPolicy policy, Clock clock) {
        this.jdbi = jdbi;
        this.overrides = overrides;
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
            return query.map((rs, ctx) -> probation(rs)).list();
        });
    }

    /**
     * One batch over all feedback stored so far. Decisions use the whole history (health is
     * cumulative); reputation is settled once per verdict, as soon as its rule has a consensus.
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
                if (health.status() == Status.NOISY && !openProbations.containsKey(ruleId) && activeRules.contains(ruleId)) {
                    begin(h, health);
                    begun.add(ruleId);
                } else if (health.status() == Status.GOOD && openProbations.containsKey(ruleId)) {
                    end(h, openProbations.get(ruleId), health, "precision recovered above the floor");
                    ended.add(ruleId);
                }
            }
            Map<String, Double> changes = settle(h, batch, through, judged);
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

    private void begin(Handle h, RuleHealth health) {
        LocalOverride override = overrides.add(h, health.ruleId(), new OverrideChange.SetSeverity(policy.demotedSeverity()));
        Map<String, Object> evidence = evidence(health);
        long id = h.createQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM probations").mapTo(Long.class).one();
        h.createUpdate("INSERT INTO probations (id, rule_id, override_id, started_at, evidence) VALUES (:id, :rule, :override, :at, :evidence)")
                .bind("id", id).bind("rule", health.ruleId()).bind("override", override.id()).bind("at", clock.millis())
                .bind("evidence", StoredJson.write(evidence)).execute();
        Map<String, Object> payload = new LinkedHashMap<>(evidence);
        payload.put("probation", id);
        payload.put("override", override.id());
        payload.put("severity", policy.demotedSeverity());
        EventLog.append(h, clock.instant(), EventType.RULE_PROBATION_STARTED, ReleaseStore.activeId(h, Track.RULES).orElse(null), null, payload);
        LOG.warn("rule {} on probation: precision {} ({}..{}) from {} weighted verdicts; severity {} by override #{}", health.ruleId(),
                round(health.precision()), round(health.precisionLow()), round(health.precisionHigh()), round(health.evidence()),
                policy.demotedSeverity(), override.id());
    }

    private void end(Handle h, long probation, RuleHealth health, String reason) {
        Long overrideId = h.createQuery("SELECT override_id FROM probations WHERE id = :id").bind("id", probation)
                .mapTo(Long.class).findOne().orElse(null);
        if (overrideId != null) {
            overrides.remove(h, overrideId);
        }
        Map<String, Object> evidence = evidence(health);
        h.createUpdate("UPDATE probations SET ended_at = :at, end_reason = :reason, end_evidence = :evidence WHERE id = :id")
                .bind("at", clock.millis()).bind("reason", reason).bind("evidence", StoredJson.write(evidence)).bind("id", probation).execute();
        Map<String, Object> payload = new LinkedHashMap<>(evidence);
        payload.put("probation", probation);
        payload.put("reason", reason);
        EventLog.append(h, clock.instant(), EventType.RULE_PROBATION_ENDED, ReleaseStore.activeId(h, Track.RULES).orElse(null), null, payload);
        LOG.info("rule {}: probation {} ended, {}", health.ruleId(), probation, reason);
    }

    /**
     * Reputation against the consensus: on a rule judged good, a false-positive verdict contradicts
     * it and the others agree; on a rule judged noisy, false-positive and won't-fix verdicts agree and
     * a true positive says nothing (a noisy rule is right sometimes). Verdicts are settled once.
     */
    private Map<String, Double> settle(Handle h, long batch, long through, Map<String, Status> judged) {
        if (judged.isEmpty()) {
            return Map.of();
        }
        Map<String, Double> delta = new TreeMap<>();
        h.createQuery("SELECT contributor, rule_id, verdict, COUNT(*) AS n FROM feedback WHERE settled = FALSE AND id <= :through "
                        + "GROUP BY contributor, rule_id, verdict")
                .bind("through", through)
                .map((rs, ctx) -> new Group(rs.getString("rule_id"), null, null, rs.getString("contributor"),
                        FeedbackVerdict.valueOf(rs.getString("verdict")), rs.getInt("n")))
                .forEach(g -> {
                    Status status = judged.get(g.ruleId());
                    double each = status == null ? 0 : switch (g.verdict()) {
                        case FALSE_POSITIVE -> status == Status.GOOD ? Reputation.CONTRADICTED : Reputation.AGREED;
                        case TRUE_POSITIVE -> status == Status.GOOD ? Reputation.AGREED : 0;
                        case WONT_FIX -> Reputation.AGREED;
                        case FALSE_NEGATIVE -> 0;
                    };
                    if (each != 0) {
                        delta.merge(g.contributor(), each * g.count(), Double::sum);
                    }
                });
        delta.replaceAll((contributor, d) -> Math.max(MAX_LOSS_PER_BATCH, Math.min(MAX_GAIN_PER_BATCH, d)));
        delta.forEach((contributor, d) -> reputation.record(h, contributor, "batch:" + batch, d,
                "feedback against the consensus of batch " + batch));
        List<String> rules = new ArrayList<>(judged.keySet());
        for (int i = 0; i < rules.size(); i += 500) {
            h.createUpdate("UPDATE feedback SET settled = TRUE WHERE settled = FALSE AND id <= :through AND rule_id IN (<rules>)")
                    .bind("through", through).bindList("rules", rules.subList(i, Math.min(rules.size(), i + 500))).execute();
        }
        return delta;
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

    private static Map<String, Long> openProbations(Handle h) {
        Map<String, Long> open = new HashMap<>();
        h.createQuery("SELECT id, rule_id FROM probations WHERE ended_at IS NULL")
                .map((rs, ctx) -> Map.entry(rs.getString("rule_id"), rs.getLong("id"))).forEach(e -> open.put(e.getKey(), e.getValue()));
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

    private static Probation probation(ResultSet rs) throws SQLException {
        long ended = rs.getLong("ended_at");
        boolean open = rs.wasNull();
        long override = rs.getLong("override_id");
        Long overrideId = rs.wasNull() ? null : override;
        return new Probation(rs.getLong("id"), rs.getString("rule_id"), overrideId, Instant.ofEpochMilli(rs.getLong("started_at")),
                StoredJson.read(rs.getString("evidence"), EVIDENCE), open ? null : Instant.ofEpochMilli(ended), rs.getString("end_reason"),
                rs.getString("end_evidence") == null ? null : StoredJson.read(rs.getString("end_evidence"), EVIDENCE));
    }
}
