package dev.freshet.engine.knowledge;

import dev.freshet.engine.rules.Rule;
import java.util.List;

/**
 * Everything a scanner applies, as one immutable value: the compiled rules and the release they
 * came from. A scan takes the current snapshot once and keeps it to the end, so an activation or
 * a rollback never changes the rules under a running scan.
 */
public record Knowledge(String releaseId, List<Rule> rules) {
    public static final Knowledge EMPTY = new Knowledge("none", List.of());

    public Knowledge {
        rules = List.copyOf(rules);
    }
}
