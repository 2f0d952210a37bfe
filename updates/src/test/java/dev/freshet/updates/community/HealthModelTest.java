package dev.freshet.updates.community;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.freshet.updates.community.HealthModel.Group;
import dev.freshet.updates.community.RuleHealth.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rule health from verdict counts: the posterior, the caps, the status. */
class HealthModelTest {
    private static final HealthModel MODEL = new HealthModel(FeedbackPolicy.DEFAULT); // tenant cap 10, key cap 5, floor 0.6

    private static Group group(String tenant, String contributor, FeedbackVerdict verdict, int count) {
        return new Group("r", "release", tenant, contributor, verdict, count);
    }

    @Test
    void withoutEvidenceThePosteriorIsTheUniformPrior() {
        RuleHealth health = MODEL.health("r", null, List.of(), c -> 1.0, false, List.of());
        assertThat(health.precision()).isCloseTo(0.5, within(1e-9));
        assertThat(health.precisionLow()).isCloseTo(0.05, within(1e-6));
        assertThat(health.precisionHigh()).isCloseTo(0.95, within(1e-6));
        assertThat(health.status()).isEqualTo(Status.UNDECIDED);
        assertThat(health.notUsefulRate()).isNull();
    }

    @Test
    void aKeyFloodingInsideAnHonestTenantCountsAsOneKeyAndTheTenantAsOneTenant() {
        HealthModel.Evidence e = MODEL.evidence(List.of(group("acme", "honest", FeedbackVerdict.TRUE_POSITIVE, 3),
                group("acme", "sleeper", FeedbackVerdict.FALSE_POSITIVE, 100)), c -> 1.0);
        assertThat(e.correct()).isCloseTo(3.0, within(1e-9));
        assertThat(e.falsePositive()).isCloseTo(5.0, within(1e-9));
        HealthModel.Evidence flood = MODEL.evidence(List.of(group("mallory", "k1", FeedbackVerdict.FALSE_POSITIVE, 1000),
                group("mallory", "k2", FeedbackVerdict.FALSE_POSITIVE, 1000), group("mallory", "k3", FeedbackVerdict.FALSE_POSITIVE, 1000)),
                c -> 1.0);
        assertThat(flood.falsePositive()).isCloseTo(10.0, within(1e-9));
        assertThat(flood.counts()).isEqualTo(Map.of(FeedbackVerdict.FALSE_POSITIVE, 3000));
    }

    @Test
    void reputationWeighsVerdictsAndWontFixCountsAsRightButNotUseful() {
        HealthModel.Evidence e = MODEL.evidence(List.of(group("a", "trusted", FeedbackVerdict.TRUE_POSITIVE, 1),
                group("b", "doubted", FeedbackVerdict.FALSE_POSITIVE, 1)), c -> c.equals("trusted") ? 2.0 : 0.25);
        assertThat(e.correct()).isCloseTo(2.0, within(1e-9));
        assertThat(e.falsePositive()).isCloseTo(0.25, within(1e-9));
        RuleHealth health = MODEL.health("r", null, List.of(group("a", "x", FeedbackVerdict.WONT_FIX, 1),
                group("b", "y", FeedbackVerdict.TRUE_POSITIVE, 1), group("c", "z", FeedbackVerdict.FALSE_POSITIVE, 2)), c -> 1.0, false, List.of());
        assertThat(health.precision()).isCloseTo(3.0 / 6, within(1e-9)); // Beta(1 + 2, 1 + 2)
        assertThat(health.notUsefulRate()).isCloseTo(3.0 / 4, within(1e-9));
    }

    @Test
    void manyTenantsConfidentlyBelowTheFloorMakeANoisyRuleAndAboveItAGoodOne() {
        List<Group> noisy = List.of(group("a", "1", FeedbackVerdict.FALSE_POSITIVE, 2), group("b", "2", FeedbackVerdict.FALSE_POSITIVE, 2),
                group("c", "3", FeedbackVerdict.FALSE_POSITIVE, 2), group("d", "4", FeedbackVerdict.FALSE_POSITIVE, 2),
                group("e", "5", FeedbackVerdict.FALSE_POSITIVE, 2), group("f", "6", FeedbackVerdict.TRUE_POSITIVE, 1));
        assertThat(MODEL.health("r", null, noisy, c -> 1.0, false, List.of()).status()).isEqualTo(Status.NOISY);
        List<Group> oneTenant = List.of(group("a", "1", FeedbackVerdict.FALSE_POSITIVE, 2), group("a", "2", FeedbackVerdict.FALSE_POSITIVE, 2),
                group("a", "3", FeedbackVerdict.FALSE_POSITIVE, 2), group("a", "4", FeedbackVerdict.FALSE_POSITIVE, 2));
        assertThat(MODEL.health("r", null, oneTenant, c -> 1.0, false, List.of()).status()).as("under min_feedback_threshold once capped")
                .isEqualTo(Status.UNDECIDED);
        List<Group> good = List.of(group("a", "1", FeedbackVerdict.TRUE_POSITIVE, 2), group("b", "2", FeedbackVerdict.TRUE_POSITIVE, 2),
                group("c", "3", FeedbackVerdict.TRUE_POSITIVE, 2), group("d", "4", FeedbackVerdict.TRUE_POSITIVE, 2),
                group("e", "5", FeedbackVerdict.TRUE_POSITIVE, 2), group("f", "6", FeedbackVerdict.TRUE_POSITIVE, 2));
        assertThat(MODEL.health("r", null, good, c -> 1.0, false, List.of()).status()).isEqualTo(Status.GOOD);
    }
}
