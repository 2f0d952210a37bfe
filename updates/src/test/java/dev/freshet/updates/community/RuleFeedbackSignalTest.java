package dev.freshet.updates.community;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.updates.TestParts;
import dev.freshet.updates.store.Database;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The share of a release's findings people call false, as the rollout analysis reads it. */
@ParameterizedClass
@EnumSource(Database.Kind.class)
class RuleFeedbackSignalTest {
    @Parameter
    Database.Kind kind;

    @RegisterExtension
    final TestParts parts = new TestParts(() -> kind);

    private OptionalDouble rate(String release, Instant since) {
        return parts.get().database().jdbi().withHandle(h -> new RuleFeedbackSignal().falsePositiveRate(h, "rules", release, since));
    }

    @Test
    void falsePositivesOverTheVerdictsOnTheReleasesFindingsSinceTheStep() throws IOException {
        CommunityFixtures.releaseStarter(parts);
        Community community = CommunityFixtures.community(parts, FeedbackPolicy.DEFAULT);
        String release = parts.get().releases().active().orElseThrow().id();
        Instant before = Instant.now().minusSeconds(60);
        assertThat(rate(release, before)).as("no verdict yet: unknown, not zero").isEmpty();

        community.feedback().add(new Giver("acme", "key-1"), List.of(
                verdict(FeedbackVerdict.FALSE_POSITIVE, 1), verdict(FeedbackVerdict.FALSE_POSITIVE, 2),
                verdict(FeedbackVerdict.TRUE_POSITIVE, 3), verdict(FeedbackVerdict.WONT_FIX, 4),
                verdict(FeedbackVerdict.FALSE_NEGATIVE, 5)));

        assertThat(rate(release, before)).as("2 of 4 verdicts on findings; a missed finding is not one").hasValue(0.5);
        assertThat(rate(release, Instant.now().plusSeconds(60))).as("nothing since a later step began").isEmpty();
        assertThat(rate("another-release", before)).isEmpty();
        OptionalDouble ofModels = parts.get().database().jdbi().withHandle(h -> new RuleFeedbackSignal()
                .falsePositiveRate(h, "models/http-anomaly", release, before));
        assertThat(ofModels).as("rule feedback says nothing of models").isEmpty();
    }

    private static NewFeedback verdict(FeedbackVerdict verdict, int n) {
        String rule = CommunityFixtures.GOOD;
        return verdict == FeedbackVerdict.FALSE_NEGATIVE
                ? new NewFeedback(rule, verdict, null, "app/m" + n + ".py", "eval(y" + n + ")", null, null, null, null, null)
                : new NewFeedback(rule, verdict, null, "app/f" + n + ".py", "print(x" + n + ")", null, null, null, null, null);
    }
}
