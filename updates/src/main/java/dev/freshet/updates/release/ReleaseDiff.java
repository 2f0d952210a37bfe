package dev.freshet.updates.release;

import dev.freshet.updates.gate.AcceptedRule;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** How one rule set differs from another, rule by rule (by id, and by sha256 for changes). Sorted by rule id. */
public record ReleaseDiff(List<RuleRef> added, List<RuleRef> removed, List<RuleRef> changed) {
    /** A rule of the diff and the source it comes from (for a changed rule, its newer source). */
    public record RuleRef(String ruleId, String source) {
    }

    public ReleaseDiff {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
    }

    public static ReleaseDiff between(List<AcceptedRule> from, List<AcceptedRule> to) {
        Map<String, AcceptedRule> before = byId(from);
        Map<String, AcceptedRule> after = byId(to);
        return new ReleaseDiff(
                refs(after.values().stream().filter(rule -> !before.containsKey(rule.id())).toList()),
                refs(before.values().stream().filter(rule -> !after.containsKey(rule.id())).toList()),
                refs(after.values().stream().filter(rule -> before.containsKey(rule.id())
                        && !before.get(rule.id()).sha256().equals(rule.sha256())).toList()));
    }

    /** Whether nothing was added, removed or changed. (Not named isEmpty: that would be a JSON property.) */
    public boolean none() {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
    }

    private static Map<String, AcceptedRule> byId(List<AcceptedRule> rules) {
        return rules.stream().collect(Collectors.toMap(AcceptedRule::id, Function.identity(), (a, b) -> b));
    }

    private static List<RuleRef> refs(List<AcceptedRule> rules) {
        return rules.stream().sorted(Comparator.comparing(AcceptedRule::id))
                .map(rule -> new RuleRef(rule.id(), rule.source())).toList();
    }
}
