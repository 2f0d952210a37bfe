package dev.freshet.updates.generation;

import dev.freshet.engine.parse.TreeSitterParser;
import dev.freshet.engine.pattern.PatternCompiler;
import dev.freshet.engine.rules.RuleLoader;
import dev.freshet.engine.scan.Scanner;
import dev.freshet.updates.UpdateParts;
import dev.freshet.updates.billing.Fees;
import dev.freshet.updates.billing.Tier;
import dev.freshet.updates.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * A process that makes custom rules for one new tenant after another, as fast as it can, until it
 * is killed. Prints "ready" once the first request is done. Used by {@link CustomRulesCrashTest}.
 */
public final class CustomRulesCrashChild {
    private CustomRulesCrashChild() {
    }

    public static UpdateParts parts(Database database) {
        return parts(database, Clock.systemUTC());
    }

    public static UpdateParts parts(Database database, Clock clock) {
        TreeSitterParser parser = new TreeSitterParser();
        return UpdateParts.on(database, clock, new UpdateParts.EngineParts(parser, new RuleLoader(new PatternCompiler(parser)),
                new Scanner(parser, Scanner.Options.defaults())));
    }

    public static void main(String[] args) throws Exception {
        try (Database database = Database.open(Path.of(args[0]))) {
            UpdateParts parts = parts(database);
            CustomRules rules = CustomRulesTest.customRules(parts, Fees.DEFAULT);
            for (int i = 0; ; i++) {
                if (i == 1) {
                    // One request done: the kill falls among the later ones, wherever the machine's load puts them.
                    System.out.println("ready");
                    System.out.flush();
                }
                String tenant = "t" + i;
                parts.access().createTenant(tenant);
                parts.credits().setTier(tenant, Tier.STANDARD);
                parts.credits().grant(tenant, 100, "grant-" + tenant, "crash test");
                rules.generate(new CustomRules.Request(Optional.of("crash-" + i), tenant, Projects.of("express-mongoose"), 3,
                        Optional.empty()));
            }
        }
    }
}
