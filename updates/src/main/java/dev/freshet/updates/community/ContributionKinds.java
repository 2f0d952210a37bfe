package dev.freshet.updates.community;

import dev.freshet.engine.rules.YamlInput;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What each kind of contribution may do to the rules that exist (in the live rules release or the
 * community source), checked before anything is stored. A new rule takes an id nobody has; an
 * improvement, a bug fix or a patch changes existing rules; a test case brings tests for rules
 * exactly as they are; documentation changes only a rule's {@code message} and {@code metadata}.
 * So the low-risk kinds the policy lets trusted contributors skip review for are low-risk indeed.
 */
final class ContributionKinds {
    /** The keys documentation may change. */
    static final Set<String> DOCUMENTATION_KEYS = Set.of("message", "metadata");

    /** An existing rule, parsed, and where it lives (for the message). */
    record Known(Map<String, Object> rule, String where) {
    }

    private ContributionKinds() {
    }

    /**
     * Refuses a contribution whose rules do not fit its kind: a clash of a new rule's id is a
     * conflict, the rest is invalid input. Rules that do not parse are left to the gate.
     */
    static void check(ContributionKind kind, Map<String, Map<String, Object>> contributed, Map<String, Known> known) {
        for (Map.Entry<String, Map<String, Object>> rule : contributed.entrySet()) {
            String id = rule.getKey();
            Known existing = known.get(id);
            if (kind == ContributionKind.NEW_RULE) {
                if (existing != null) {
                    throw new CommunityException(CommunityException.Kind.CONFLICT, "rule id '" + id + "' is taken (" + existing.where()
                            + "); give the new rule another id, or submit a change to that rule as rule_improvement or bug_fix");
                }
                continue;
            }
            if (existing == null) {
                throw new CommunityException("a " + kind.lowerCase() + " is about an existing rule, and there is no rule '" + id
                        + "' in the live rules release or the community source; a rule of a new id is a new_rule");
            }
            Set<String> changed = changedKeys(existing.rule(), rule.getValue());
            switch (kind) {
                case TEST_CASE -> {
                    if (!changed.isEmpty()) {
                        throw new CommunityException("a test_case brings tests for rule '" + id + "' as it is, but the rule file changes "
                                + changed + "; submit a changed rule as rule_improvement or bug_fix");
                    }
                }
                case DOCUMENTATION -> {
                    Set<String> beyond = new TreeSet<>(changed);
                    beyond.removeAll(DOCUMENTATION_KEYS);
                    if (!beyond.isEmpty()) {
                        throw new CommunityException("documentation may change only " + new TreeSet<>(DOCUMENTATION_KEYS) + " of rule '" + id
                                + "', and this changes " + beyond + "; submit it as rule_improvement or bug_fix");
                    }
                    if (changed.isEmpty()) {
                        throw new CommunityException("documentation of rule '" + id + "' changes neither its message nor its metadata");
                    }
                }
                default -> {
                    if (changed.isEmpty()) {
                        throw new CommunityException("a " + kind.lowerCase() + " changes rule '" + id + "', but it is the same as "
                                + existing.where() + "; tests alone are a test_case");
                    }
                }
            }
        }
    }

    /** The top-level keys whose values differ between the two rules, sorted. */
    static Set<String> changedKeys(Map<String, Object> before, Map<String, Object> after) {
        Set<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        keys.removeIf(key -> Objects.equals(before.get(key), after.get(key)));
        return keys;
    }

    /** The rules of a rule document by id ({@code rules:} list); empty when it does not parse as one. */
    static Map<String, Map<String, Object>> rulesIn(String yaml) {
        Map<String, Map<String, Object>> rules = new LinkedHashMap<>();
        Object document;
        try {
            document = YamlInput.load(yaml);
        } catch (RuntimeException e) {
            return rules; // the gate says what is wrong with it
        }
        if (document instanceof Map<?, ?> top && top.get("rules") instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> rule && rule.get("id") != null) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> typed = (Map<String, Object>) rule;
                    rules.put(String.valueOf(rule.get("id")), typed);
                }
            }
        }
        return rules;
    }
}
