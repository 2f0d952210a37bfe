package dev.freshet.updates.generation;

import dev.freshet.engine.deps.Stack;
import dev.freshet.updates.billing.ModelClass;
import java.time.Duration;
import java.util.List;

/**
 * The offline generator: a taint rule assembled from the target's sources, sinks and sanitizers,
 * with the catalog's examples. It needs no network, so custom rules work on a fresh machine.
 */
public final class TemplateGenerator implements Generator {
    /** Changes whenever the catalog's rules or examples change, so stored rules say which catalog made them. */
    public static final String CATALOG_VERSION = "templates-2";

    @Override
    public ModelClass modelClass() {
        return ModelClass.OFFLINE;
    }

    @Override
    public Draft draft(Target target, Stack stack, List<String> feedback, Duration timeLeft) throws GenerationException {
        if (!feedback.isEmpty()) {
            // The same templates give the same rule again: a second try would fail the same way.
            throw new GenerationException("the template for " + target.key() + " did not validate; it has no variant to try");
        }
        String message = target.weakness().title().substring(0, 1).toUpperCase() + target.weakness().title().substring(1)
                + ": untrusted " + target.framework() + " request data reaches " + describe(target)
                + " without passing a sanitizer.";
        return new Draft(RuleYaml.taintRule(target, message), target.vulnerable(), target.safe(), "templates", CATALOG_VERSION);
    }

    private static String describe(Target target) {
        return target.library().equals(Templates.BUILT_IN) ? "a dangerous call" : "a " + target.library() + " call";
    }
}
