package dev.freshet.app;

import dev.freshet.engine.knowledge.RuleCompiler;
import dev.freshet.updates.release.Release;
import java.util.List;

/** Turns releases into what the engine compiles. */
final class Knowledge {
    private Knowledge() {
    }

    static List<RuleCompiler.RuleDocument> documents(Release release) {
        return release.rules().stream()
                .map(rule -> new RuleCompiler.RuleDocument(rule.sha256(), rule.source() + "/" + rule.path(), rule.yaml()))
                .toList();
    }
}
