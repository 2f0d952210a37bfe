package dev.freshet.app;

import dev.freshet.updates.rollout.PlanOverride;
import picocli.CommandLine.Option;

/** {@code --immediate}, {@code --rollout STEPS [--interval DURATION]}: one update's departure from the policy's rollout plan. */
final class RolloutOptions {
    @Option(names = "--immediate", description = "Make the release live for everyone at once, skipping the policy's [rollout] plan.")
    boolean immediate;

    @Option(names = "--rollout", paramLabel = "STEPS",
            description = "Roll the release out in these steps instead of the policy's, e.g. \"shadow,5,25,50,100\" "
                    + "(the policy's thresholds stay).")
    String steps;

    @Option(names = "--interval", paramLabel = "DURATION", description = "Analysis interval of each --rollout step: 90s, 10m, 1h.")
    String interval;

    PlanOverride override() {
        try {
            return PlanOverride.of(immediate, steps, interval);
        } catch (IllegalArgumentException e) {
            throw new UserError("--immediate/--rollout/--interval: " + e.getMessage());
        }
    }
}
