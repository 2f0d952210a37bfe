package dev.freshet.updates.generation;

import dev.freshet.engine.deps.Stack;
import dev.freshet.updates.billing.ModelClass;
import java.time.Duration;
import java.util.List;

/**
 * Proposes custom rules. Whatever it proposes is validated by running it (see {@link GenerationLoop});
 * a generator only has to take the previous attempts' problems into account.
 */
public sealed interface Generator permits TemplateGenerator, ChatCompletionsGenerator {
    /** The class of model it is, which sets the success fee and which plans may use it. */
    ModelClass modelClass();

    /**
     * A draft for {@code target} in a project of {@code stack}.
     *
     * @param feedback what was wrong with each earlier draft for this target, oldest first
     * @param timeLeft the most this call may take
     */
    Draft draft(Target target, Stack stack, List<String> feedback, Duration timeLeft) throws GenerationException;
}
