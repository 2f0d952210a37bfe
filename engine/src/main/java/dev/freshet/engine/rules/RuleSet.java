package dev.freshet.engine.rules;

import java.util.List;

/** Rules loaded from files, and the problems that kept other rules out. */
public record RuleSet(List<Rule> rules, List<RuleProblem> problems) {
}
