package dev.freshet.engine.rules;

import java.util.List;
import java.util.stream.Stream;

/** Rules loaded from files, and the problems that kept other rules out. */
public record RuleSet(List<Rule> rules, List<RuleProblem> problems) {
    public RuleSet plus(RuleSet other) {
        return new RuleSet(Stream.concat(rules.stream(), other.rules.stream()).toList(),
                Stream.concat(problems.stream(), other.problems.stream()).toList());
    }
}
