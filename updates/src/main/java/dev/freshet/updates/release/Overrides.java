package dev.freshet.updates.release;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.engine.rules.YamlInput;
import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.store.Database;
import dev.freshet.updates.store.SharedWrites;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local overrides, stored declaratively by rule id and re-applied to every release, so local tuning
 * survives updates. Releases keep the upstream rules; {@link #apply} derives the effective ones.
 */
public final class Overrides {
    private static final Logger LOG = LoggerFactory.getLogger(Overrides.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The keys that hold a Semgrep rule's top-level formula. */
    private static final List<String> FORMULA_KEYS = List.of("pattern", "pattern-either", "patterns", "pattern-regex");

    /** The effective rules and what applying the overrides found. */
    public record Applied(List<AcceptedRule> rules, List<Drift> drifts, List<LocalOverride> orphaned,
                          List<Unapplied> unapplied) {
    }

    /** An override that could not be applied to its rule, and why (the rule is used without it). */
    public record Unapplied(LocalOverride override, String reason) {
    }

    private final Jdbi jdbi;
    private final Clock clock;

    public Overrides(Database database) {
        this(database.jdbi(), Clock.systemUTC());
    }

    public Overrides(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /**
     * Adds an override, remembering the rule's hash in the active release. A rule id the active
     * release does not have is refused (most likely a typo). A disable or severity override replaces
     * an earlier one of its kind; excluded paths and pattern-nots accumulate.
     */
    public LocalOverride add(String ruleId, OverrideChange change) {
        if (ruleId == null || ruleId.isBlank()) {
            throw new ReleaseException("An override needs a rule id.");
        }
        LocalOverride added = jdbi.inTransaction(h -> add(h, ruleId, change));
        LOG.info("override #{} for rule {}: {}", added.id(), ruleId, change);
        return added;
    }

    /** {@link #add(String, OverrideChange)} in the caller's transaction (with whatever else it records). */
    public LocalOverride add(Handle h, String ruleId, OverrideChange change) {
        SharedWrites.lock(h, "overrides");
        Optional<String> active = ReleaseStore.activeId(h, Track.RULES);
        String base = active.flatMap(release -> upstreamSha(h, release, ruleId)).orElse(null);
        if (active.isPresent() && base == null) {
            throw new ReleaseException("Rule '" + ruleId + "' is not in the active release "
                    + ReleaseStore.shortId(active.get()) + "; check the rule id.");
        }
        String value = value(change);
        if (change instanceof OverrideChange.Disable || change instanceof OverrideChange.SetSeverity) {
            h.createUpdate("DELETE FROM overrides WHERE rule_id = :ruleId AND kind = :kind")
                    .bind("ruleId", ruleId).bind("kind", change.kind().name()).execute();
        } else {
            Optional<LocalOverride> same = list(h).stream()
                    .filter(o -> o.ruleId().equals(ruleId) && o.change().equals(change)).findFirst();
            if (same.isPresent()) {
                return same.get();
            }
        }
        long id = h.createQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM overrides").mapTo(Long.class).one();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        h.createUpdate("""
                        INSERT INTO overrides (id, rule_id, kind, value, base_sha256, created_at)
                        VALUES (:id, :ruleId, :kind, :value, :base, :createdAt)""")
                .bind("id", id).bind("ruleId", ruleId).bind("kind", change.kind().name()).bind("value", value)
                .bind("base", base).bind("createdAt", now.toEpochMilli())
                .execute();
        changed(h);
        return new LocalOverride(id, ruleId, change, base, now);
    }

    /** All overrides, by rule id, then in the order they were made. */
    public List<LocalOverride> list() {
        return jdbi.withHandle(Overrides::list);
    }

    /** Removes one override; false if there is none with that id. */
    public boolean remove(long overrideId) {
        return jdbi.inTransaction(h -> remove(h, overrideId));
    }

    /** {@link #remove(long)} in the caller's transaction. */
    public boolean remove(Handle h, long overrideId) {
        return changed(h, h.createUpdate("DELETE FROM overrides WHERE id = :id").bind("id", overrideId).execute()) > 0;
    }

    /** Removes every override of the rule; returns how many there were. */
    public int removeAll(String ruleId) {
        return jdbi.inTransaction(h -> changed(h, h.createUpdate("DELETE FROM overrides WHERE rule_id = :ruleId")
                .bind("ruleId", ruleId).execute()));
    }

    /** Accepts the upstream change underneath a rule's overrides: their base becomes the active release's rule. */
    public int rebase(String ruleId) {
        return jdbi.inTransaction(h -> {
            String base = ReleaseStore.activeId(h, Track.RULES).flatMap(release -> upstreamSha(h, release, ruleId))
                    .orElseThrow(() -> new ReleaseException("Rule '" + ruleId + "' is not in the active release."));
            return changed(h, h.createUpdate("UPDATE overrides SET base_sha256 = :base WHERE rule_id = :ruleId")
                    .bind("base", base).bind("ruleId", ruleId).execute());
        });
    }

    /** The effective rules: the stored overrides applied to these (upstream) rules. Drift and orphans are logged. */
    public List<AcceptedRule> apply(List<AcceptedRule> rules) {
        return applyWithReport(rules).rules();
    }

    /**
     * The effective rules of a release: its generated overrides, then the stored local ones (so a
     * person's override of the same kind wins). Like {@link #applyWithReport(List)} otherwise.
     */
    public Applied applyWithReport(Release release) {
        List<LocalOverride> all = new ArrayList<>(release.notes().overrides().stream().map(GeneratedOverride::asLocal).toList());
        all.addAll(list());
        return report(apply(release.rules(), all));
    }

    /** Like {@link #apply}, also saying which overrides drifted, lost their rule, or could not be applied. */
    public Applied applyWithReport(List<AcceptedRule> rules) {
        return report(apply(rules, list()));
    }

    private static Applied report(Applied applied) {
        applied.drifts().forEach(d -> LOG.warn("rule {} changed upstream since override #{} was made ({} -> {}); "
                + "review the override", d.ruleId(), d.override().id(), d.override().baseSha256(), d.currentSha256()));
        applied.orphaned().forEach(o -> LOG.warn("override #{} names rule {}, which the release does not have",
                o.id(), o.ruleId()));
        applied.unapplied().forEach(u -> LOG.warn("override #{} not applied to rule {}: {}", u.override().id(),
                u.override().ruleId(), u.reason()));
        return applied;
    }

    /** Applies the given overrides to the rules, keeping the rules' order. */
    public static Applied apply(List<AcceptedRule> rules, List<LocalOverride> overrides) {
        Map<String, List<LocalOverride>> byRule = overrides.stream()
                .collect(Collectors.groupingBy(LocalOverride::ruleId, LinkedHashMap::new, Collectors.toList()));
        Set<String> ruleIds = rules.stream().map(AcceptedRule::id).collect(Collectors.toSet());
        List<AcceptedRule> effective = new ArrayList<>();
        List<Drift> drifts = new ArrayList<>();
        List<Unapplied> unapplied = new ArrayList<>();
        for (AcceptedRule rule : rules) {
            List<LocalOverride> own = byRule.getOrDefault(rule.id(), List.of());
            own.stream().filter(o -> o.baseSha256() != null && !o.baseSha256().equals(rule.sha256()))
                    .forEach(o -> drifts.add(new Drift(o, rule.sha256())));
            if (own.isEmpty()) {
                effective.add(rule);
            } else if (own.stream().noneMatch(o -> o.change() instanceof OverrideChange.Disable)) {
                effective.add(rewrite(rule, own, unapplied));
            }
        }
        List<LocalOverride> orphaned = overrides.stream().filter(o -> !ruleIds.contains(o.ruleId())).toList();
        return new Applied(List.copyOf(effective), List.copyOf(drifts), orphaned, List.copyOf(unapplied));
    }

    /** Edits the rule's YAML; an override that does not fit the rule is reported and left out. */
    private static AcceptedRule rewrite(AcceptedRule rule, List<LocalOverride> overrides, List<Unapplied> unapplied) {
        Object document;
        Map<String, Object> target;
        try {
            document = YamlInput.load(rule.yaml());
            target = findRule(document, rule.id());
        } catch (RuntimeException e) {
            overrides.forEach(o -> unapplied.add(new Unapplied(o, "the rule's YAML cannot be edited: " + e.getMessage())));
            return rule;
        }
        for (LocalOverride override : overrides) {
            Optional<String> problem = switch (override.change()) {
                case OverrideChange.Disable disable -> Optional.empty();
                case OverrideChange.SetSeverity severity -> {
                    target.put("severity", severity.severity());
                    yield Optional.empty();
                }
                case OverrideChange.ExcludePaths exclude -> excludePaths(target, exclude.globs());
                case OverrideChange.AddPatternNot patternNot -> addPatternNot(target, patternNot.pattern());
            };
            problem.ifPresent(reason -> unapplied.add(new Unapplied(override, reason)));
        }
        String yaml = new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build()).dumpToString(document);
        return new AcceptedRule(rule.id(), rule.source(), rule.path(), yaml, Hashes.sha256(yaml));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> findRule(Object document, String ruleId) {
        if (document instanceof Map<?, ?> top && top.get("rules") instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> rule && ruleId.equals(String.valueOf(rule.get("id")))) {
                    return (Map<String, Object>) rule;
                }
            }
        }
        throw new IllegalArgumentException("no rule '" + ruleId + "' under a top-level 'rules:' list");
    }

    @SuppressWarnings("unchecked")
    private static Optional<String> excludePaths(Map<String, Object> rule, List<String> globs) {
        Object paths = rule.computeIfAbsent("paths", key -> new LinkedHashMap<String, Object>());
        if (!(paths instanceof Map<?, ?>)) {
            return Optional.of("its 'paths' is not a mapping");
        }
        Map<String, Object> pathMap = (Map<String, Object>) paths;
        Object existing = pathMap.get("exclude");
        List<Object> exclude = new ArrayList<>(existing instanceof List<?> list ? list
                : existing == null ? List.of() : List.of(existing));
        globs.stream().filter(glob -> !exclude.contains(glob)).forEach(exclude::add);
        pathMap.put("exclude", exclude);
        return Optional.empty();
    }

    /**
     * Makes the formula {@code patterns: [<original>, {pattern-not: ...}]}, keeping the key's place in
     * the rule. A {@code patterns} formula is already such a conjunction, so the pattern-not joins it.
     */
    @SuppressWarnings("unchecked")
    private static Optional<String> addPatternNot(Map<String, Object> rule, String pattern) {
        String key = FORMULA_KEYS.stream().filter(rule::containsKey).findFirst().orElse(null);
        if (key == null) {
            return Optional.of("it has no top-level pattern, pattern-either, patterns or pattern-regex");
        }
        Map<String, Object> patternNot = new LinkedHashMap<>(Map.of("pattern-not", pattern));
        if (key.equals("patterns") && rule.get(key) instanceof List<?> list) {
            List<Object> conjunction = new ArrayList<>(list);
            conjunction.add(patternNot);
            rule.put("patterns", conjunction);
            return Optional.empty();
        }
        Map<String, Object> original = new LinkedHashMap<>(Map.of(key, rule.get(key)));
        List<Object> conjunction = List.of(original, patternNot);
        Map<String, Object> copy = new LinkedHashMap<>(rule);
        rule.clear();
        copy.forEach((k, v) -> {
            if (k.equals(key)) {
                rule.put("patterns", conjunction);
            } else {
                rule.put(k, v);
            }
        });
        return Optional.empty();
    }

    /**
     * Records the change in the event log, whose newest such event is the overrides' version; other
     * nodes re-apply the overrides as soon as the change is committed.
     */
    private void changed(Handle h) {
        EventLog.append(h, clock.instant(), EventType.OVERRIDES_CHANGED, null, null, Map.of());
        SharedWrites.notifyOnCommit(h, SharedWrites.KNOWLEDGE_CHANNEL, "overrides");
    }

    /** A number that changes whenever an override is added, removed or rebased (0 before the first). */
    public long version() {
        return jdbi.withHandle(h -> EventLog.newest(h, EventType.OVERRIDES_CHANGED));
    }

    private int changed(Handle h, int rows) {
        if (rows > 0) {
            changed(h);
        }
        return rows;
    }

    private static List<LocalOverride> list(Handle h) {
        return h.createQuery("SELECT id, rule_id, kind, value, base_sha256, created_at FROM overrides")
                .map((rs, ctx) -> new LocalOverride(rs.getLong("id"), rs.getString("rule_id"),
                        change(OverrideChange.Kind.valueOf(rs.getString("kind")), rs.getString("value")),
                        rs.getString("base_sha256"), Instant.ofEpochMilli(rs.getLong("created_at"))))
                .list().stream()
                .sorted(Comparator.comparing(LocalOverride::ruleId).thenComparingLong(LocalOverride::id))
                .toList();
    }

    private static Optional<String> upstreamSha(Handle h, String releaseId, String ruleId) {
        return h.createQuery("SELECT sha256 FROM release_rules WHERE release_id = :releaseId AND rule_id = :ruleId")
                .bind("releaseId", releaseId).bind("ruleId", ruleId).mapTo(String.class).findOne();
    }

    static String value(OverrideChange change) {
        return switch (change) {
            case OverrideChange.Disable disable -> null;
            case OverrideChange.SetSeverity severity -> severity.severity();
            case OverrideChange.ExcludePaths exclude -> {
                try {
                    yield JSON.writeValueAsString(exclude.globs());
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
            case OverrideChange.AddPatternNot patternNot -> patternNot.pattern();
        };
    }

    static OverrideChange change(OverrideChange.Kind kind, String value) {
        return switch (kind) {
            case DISABLE -> new OverrideChange.Disable();
            case SEVERITY -> new OverrideChange.SetSeverity(value);
            case EXCLUDE_PATHS -> {
                try {
                    yield new OverrideChange.ExcludePaths(JSON.readValue(value, new TypeReference<List<String>>() { }));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("stored excluded paths are not a JSON list: " + value, e);
                }
            }
            case ADD_PATTERN_NOT -> new OverrideChange.AddPatternNot(value);
        };
    }
}
