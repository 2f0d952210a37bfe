package dev.freshet.updates.community;

import static dev.freshet.updates.community.CommunityFixtures.NOISY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.updates.TestParts;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.Track;
import dev.freshet.updates.rollout.Rollout;
import dev.freshet.updates.store.Database;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Rule patches from feedback through the real gate, the community source and a shadow rollout, on a store of each kind. */
@ParameterizedClass
@EnumSource(Database.Kind.class)
class RulePatcherTest {
    @Parameter
    Database.Kind kind;

    @RegisterExtension
    final TestParts parts = new TestParts(() -> kind);

    private Community community;

    @BeforeEach
    void release() throws IOException {
        CommunityFixtures.releaseStarter(parts);
        community = CommunityFixtures.community(parts, FeedbackPolicy.DEFAULT);
    }

    private void say(FeedbackVerdict verdict, String code) {
        community.feedback().add(new Giver("acme", "key-1"), List.of(new NewFeedback(NOISY, verdict, null,
                verdict == FeedbackVerdict.FALSE_NEGATIVE ? null : "app/x.py", code, "python", null, null, null, null)));
    }

    @Test
    void falsePositivesBecomePatternNotsAndTheAcceptedPatchRollsOutInShadow() {
        say(FeedbackVerdict.FALSE_POSITIVE, "print(\"starting\")");
        say(FeedbackVerdict.FALSE_POSITIVE, "print(\"done\")");
        say(FeedbackVerdict.TRUE_POSITIVE, "print(password)");
        say(FeedbackVerdict.FALSE_NEGATIVE, "sys.stdout.write(password)");
        String stable = parts.get().releases().active().orElseThrow().id();

        RulePatcher.Proposal proposal = community.patcher().propose(NOISY, true).orElseThrow();
        assertThat(proposal.accepted()).as(proposal.contribution().gateReasons().toString()).isTrue();
        assertThat(proposal.falsePositives()).isEqualTo(2);
        assertThat(proposal.missed()).isEqualTo(1);
        assertThat(proposal.contribution().kind()).isEqualTo(ContributionKind.RULE_PATCH);
        assertThat(proposal.contribution().feedbackIds()).hasSize(3);
        String patched = proposal.contribution().files().getFirst().content();
        assertThat(patched).contains("pattern-not: print(\"starting\")", "pattern: sys.stdout.write(password)");
        // The test file: the rule's own tests plus the feedback, annotated.
        assertThat(proposal.contribution().files().get(1).content()).contains("# ruleid: print-call\nprint(secret)",
                "# ok: print-call\nprint(\"done\")", "# ruleid: print-call\nsys.stdout.write(password)");

        String candidate = proposal.releaseId().orElseThrow();
        assertThat(candidate).isNotEqualTo(stable);
        Rollout rollout = parts.get().rollouts().latest(Track.RULES).orElseThrow();
        assertThat(rollout.releaseId()).isEqualTo(candidate);
        assertThat(rollout.stepName()).isEqualTo("shadow");
        assertThat(parts.get().releases().active().map(Release::id)).as("stable stays live while the patch is shadowed").contains(stable);
    }

    @Test
    void aPatchThatWouldLoseAConfirmedTruePositiveIsRejectedByTheGate() {
        // Someone calls the pattern itself a false positive: excluding it loses the rule's own test finding.
        say(FeedbackVerdict.FALSE_POSITIVE, "print(secret)");
        RulePatcher.Proposal proposal = community.patcher().propose(NOISY, true).orElseThrow();
        assertThat(proposal.accepted()).isFalse();
        assertThat(proposal.contribution().state()).isEqualTo(Contribution.State.GATE_REJECTED);
        assertThat(proposal.releaseId()).isEmpty();
        assertThat(parts.get().rollouts().latest(Track.RULES)).isEmpty();
    }

    @Test
    void nothingToPatchWithoutExamples() {
        say(FeedbackVerdict.TRUE_POSITIVE, "print(token)");
        assertThat(community.patcher().propose(NOISY, true)).isEmpty();
    }
}
