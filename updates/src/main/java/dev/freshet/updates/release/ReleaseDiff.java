package dev.freshet.updates.release;

import dev.freshet.updates.gate.AcceptedRule;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How one release's rules differ from another's, rule by rule (by id, and by sha256 for changes), and
 * which rules the overrides Freshet generated (probation) demote or stop demoting. Sorted by rule id.
 *
 * @param demoted  rules a generated override of the newer release demotes that the older did not
 * @param restored rules the older release's generated override demoted that the newer no longer does
 */
public record ReleaseDiff(List<RuleRef> added, List<RuleRef> removed, List<RuleRef> changed, List<String> demoted,
                          List<String> restored) {
    /** A rule of the diff and the source it comes from (for a changed rule, its newer source). */
    public record RuleRef(String ruleId, String source) {
    }

    public ReleaseDiff {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
        // Diffs stored before releases carried generated overrides have neither list.
        demoted = demoted == null ? List.of() : List.copyOf(demoted);
        restored = restored == null ? List.of() : List.copyOf(restored);
    }

    /** A diff of rules alone. */
    public ReleaseDiff(List<RuleRef> added, List<RuleRef> removed, List<RuleRef> changed) {
        this(added, removed, changed, List.of(), List.of());
    }

    public static ReleaseDiff between(List<AcceptedRule> from, List<AcceptedRule> to) {
        return between(from, List.of(), to, List.of());
    }

    /** Between two releases' rules and the overrides generated with them. */
    public static ReleaseDiff between(List<AcceptedRule> from, List<GeneratedOverride> fromOverrides, List<AcceptedRule> to,
                                      List<GeneratedOverride> toOverrides) {
        Map<String, AcceptedRule> before = byId(from);
        Map<String, AcceptedRule> after = byId(to);
        Set<String> demotedBefore = ruleIds(fromOverrides);
        Set<String> demotedAfter = ruleIds(toOverrides);
        return new ReleaseDiff(
                refs(after.values().stream().filter(rule -> !before.containsKey(rule.id())).toList()),
                refs(before.values().stream().filter(rule -> !after.containsKey(rule.id())).toList()),
                refs(after.values().stream().filter(rule -> before.containsKey(rule.id())
                        && !before.get(rule.id()).sha256().equals(rule.sha256())).toList()),
                demotedAfter.stream().filter(id -> !demotedBefore.contains(id)).toList(),
                demotedBefore.stream().filter(id -> !demotedAfter.contains(id)).toList());
    }

    /** Whether nothing was added, removed, changed, demoted or restored. (Not named isEmpty: that would be a JSON property.) */
    public boolean none() {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty() && demoted.isEmpty() && restored.isEmpty();
    }

    private static Set<String> ruleIds(List<GeneratedOverride> overrides) {
        return overrides.stream().map(GeneratedOverride::ruleId).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<String, AcceptedRule> byId(List<AcceptedRule> rules) {
        return rules.stream().collect(Collectors.toMap(AcceptedRule::id, Function.identity(), (a, b) -> b));
    }

    private static List<RuleRef> refs(List<AcceptedRule> rules) {
        return rules.stream().sorted(Comparator.comparing(AcceptedRule::id))
                .map(rule -> new RuleRef(rule.id(), rule.source())).toList();
    }
}
