package dev.freshet.updates.generation;

import dev.freshet.engine.deps.Stack;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one rule: asks the generator for a draft, validates it by running it, and on failure feeds
 * the problem back and asks again, at most {@code maxRetries} times and within {@code budget} for
 * the whole rule. A service that asks to wait (429 with Retry-After) is waited for when the budget
 * allows it.
 */
public final class GenerationLoop {
    private static final Logger LOG = LoggerFactory.getLogger(GenerationLoop.class);
    public static final int MAX_RETRIES = 3;
    public static final Duration BUDGET_PER_RULE = Duration.ofSeconds(30);

    private final RuleValidator validator;
    private final int maxRetries;
    private final Duration budget;

    public GenerationLoop(RuleValidator validator) {
        this(validator, MAX_RETRIES, BUDGET_PER_RULE);
    }

    public GenerationLoop(RuleValidator validator, int maxRetries, Duration budget) {
        this.validator = validator;
        this.maxRetries = maxRetries;
        this.budget = budget;
    }

    /** The validator drafts are run with: the same engine and gate validate a library when it is released. */
    public RuleValidator validator() {
        return validator;
    }

    public RuleOutcome make(Generator generator, Target target, Stack stack) throws IOException {
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        List<String> feedback = new ArrayList<>();
        String model = "";
        String promptVersion = "";
        String lastYaml = null;
        int attempts = 0;
        while (attempts <= maxRetries) {
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            if (left.isNegative() || left.isZero()) {
                feedback.add("out of the " + budget.toSeconds() + " s budget for one rule");
                break;
            }
            attempts++;
            Draft draft;
            try {
                draft = generator.draft(target, stack, List.copyOf(feedback), left);
            } catch (GenerationException e) {
                feedback.add(e.getMessage());
                LOG.info("rule {}: attempt {} gave no draft: {}", target.ruleId(), attempts, e.getMessage());
                if (e.retryAfter().isPresent() && !waited(e.retryAfter().get(), deadline)) {
                    feedback.add("the service asked to wait " + e.retryAfter().get().toSeconds() + " s, past the rule's budget");
                    break;
                }
                if (generator instanceof TemplateGenerator) {
                    break; // templates have nothing else to offer
                }
                continue;
            }
            model = draft.model();
            promptVersion = draft.promptVersion();
            lastYaml = draft.yaml();
            switch (validator.validate(target, draft)) {
                case RuleValidator.Result.Valid valid -> {
                    return new RuleOutcome(target.ruleId(), true, attempts, valid.verdict().reason(), draft.yaml(), valid.tests(), model,
                            promptVersion, millisSince(start));
                }
                case RuleValidator.Result.Invalid invalid -> {
                    feedback.add(invalid.problem());
                    LOG.info("rule {}: attempt {} refused: {}", target.ruleId(), attempts, invalid.problem());
                }
            }
        }
        return new RuleOutcome(target.ruleId(), false, attempts, feedback.isEmpty() ? "no attempt made" : feedback.getLast(), lastYaml,
                Map.of(), model, promptVersion, millisSince(start));
    }

    /** Sleeps {@code wait} when it ends before the deadline; false when it would not. */
    private static boolean waited(Duration wait, long deadline) {
        if (System.nanoTime() + wait.toNanos() >= deadline) {
            return false;
        }
        try {
            Thread.sleep(wait);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
