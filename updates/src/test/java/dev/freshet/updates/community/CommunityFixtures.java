package dev.freshet.updates.community;

import dev.freshet.updates.community.Contribution.ContributedFile;
import dev.freshet.updates.TestParts;
import dev.freshet.updates.policy.UpdatePolicy;
import dev.freshet.updates.release.Fixtures;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.sources.LocalDirectorySource;
import dev.freshet.updates.sources.SourceSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Rules with their tests, a released starter set and the community parts on a test's store. */
final class CommunityFixtures {
    /** A noisy rule (every print) and a good one (eval of anything), each with its test. */
    static final String NOISY = "print-call";
    static final String GOOD = "eval-call";

    private CommunityFixtures() {
    }

    /** A one-rule Python document, as the release tests write them. */
    static String rule(String id, String pattern) {
        return Fixtures.rule(id, pattern).yaml();
    }

    /** A source "starter" with both rules and their tests, released and active. */
    static void releaseStarter(TestParts parts) throws IOException {
        Path dir = Files.createDirectories(parts.dir().resolve("starter"));
        Files.writeString(dir.resolve(NOISY + ".yaml"), rule(NOISY, "print(...)"));
        Files.writeString(dir.resolve(NOISY + ".py"), "# ruleid: " + NOISY + "\nprint(secret)\n");
        Files.writeString(dir.resolve(GOOD + ".yaml"), rule(GOOD, "eval(...)"));
        Files.writeString(dir.resolve(GOOD + ".py"), "# ruleid: " + GOOD + "\neval(data)\n# ok: " + GOOD + "\nevaluate(data)\n");
        parts.get().sources().add(new LocalDirectorySource("starter", dir, SourceSettings.defaults()));
        if (parts.updater(UpdatePolicy.DEFAULT).check(Trigger.USER).activation().isEmpty()) {
            throw new IllegalStateException("the starter rules were not activated");
        }
    }

    static Community community(TestParts parts, FeedbackPolicy policy) {
        return parts.get().community(parts.dir().resolve("data"), parts.updater(UpdatePolicy.DEFAULT), policy);
    }

    /** A contribution of one rule with its test. */
    static NewContribution contribution(String id, String pattern, String test) {
        return new NewContribution(ContributionKind.NEW_RULE, "flag " + id, "MIT",
                List.of(new ContributedFile(id + ".yaml", rule(id, pattern)), new ContributedFile(id + ".py", test)));
    }
}
