package dev.freshet.updates.community;

import static dev.freshet.updates.community.CommunityFixtures.GOOD;
import static dev.freshet.updates.community.CommunityFixtures.NOISY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.engine.scan.Fingerprint;
import dev.freshet.updates.TestParts;
import dev.freshet.updates.community.RuleHealth.Status;
import dev.freshet.updates.events.Event;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.policy.UpdatePolicy;
import dev.freshet.updates.release.Activation;
import dev.freshet.updates.release.OverrideChange;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Feedback stored, weighed and acted on, on the production parts and a real store of each kind. */
@ParameterizedClass
@EnumSource(Database.Kind.class)
class FeedbackTest {
    /** Small thresholds so a test needs few verdicts: 6 weighted verdicts, 2 tenants, 3 per tenant at most. */
    private static final FeedbackPolicy POLICY = new FeedbackPolicy(6, 0.9, 0.6, 3.0, 3.0, 2, "INFO", null, List.of("public"), 3.0, null);

    @Parameter
    Database.Kind kind;

    @RegisterExtension
    final TestParts parts = new TestParts(() -> kind);

    private Community community;

    @BeforeEach
    void release() throws IOException {
        CommunityFixtures.releaseStarter(parts);
        community = CommunityFixtures.community(parts, POLICY);
    }

    private static NewFeedback verdict(String rule, FeedbackVerdict verdict, int n) {
        return new NewFeedback(rule, verdict, null, "app/f" + n + ".py", "print(x" + n + ")", null, null, null, null, null);
    }

    /** {@code n} verdicts from each of {@code tenants} tenants (one contributor each). */
    private void give(String rule, FeedbackVerdict verdict, int tenants, int n) {
        for (int t = 0; t < tenants; t++) {
            List<NewFeedback> batch = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                batch.add(verdict(rule, verdict, i));
            }
            community.feedback().add(new Giver("tenant-" + t, "key-" + t), batch);
        }
    }

    @Test
    void aVerdictIsStoredWithTheFindingsFingerprintAndItsAttribution() {
        List<FeedbackRecord> stored = community.feedback().add(new Giver("acme", "key-1"),
                List.of(new NewFeedback(NOISY, FeedbackVerdict.FALSE_POSITIVE, null, "app/a.py", "print(  'hi' )", null, null, 2, 1, "logging")));
        FeedbackRecord record = stored.getFirst();
        assertThat(record.fingerprint()).isEqualTo(Fingerprint.of(NOISY, "app/a.py", "print( 'hi' )"));
        assertThat(record.releaseId()).isEqualTo(parts.get().releases().active().orElseThrow().id());
        assertThat(community.feedback().list(Optional.empty(), Optional.of(NOISY), 10)).singleElement()
                .satisfies(r -> {
                    assertThat(r.tenant()).isEqualTo("acme");
                    assertThat(r.contributor()).isEqualTo("key-1");
                    assertThat(r.accuracy()).isEqualTo(2);
                    assertThat(r.comment()).isEqualTo("logging");
                });
    }

    @Test
    void aBatchWithOneBadVerdictStoresNothing() {
        List<NewFeedback> batch = List.of(verdict(NOISY, FeedbackVerdict.TRUE_POSITIVE, 1),
                new NewFeedback("no-such-rule", FeedbackVerdict.FALSE_POSITIVE, null, "a.py", "x", null, null, null, null, null));
        assertThatThrownBy(() -> community.feedback().add(new Giver("acme", "key-1"), batch))
                .isInstanceOf(CommunityException.class).hasMessageContaining("verdict 2: rule 'no-such-rule' is in no release");
        assertThat(community.feedback().list(Optional.of("acme"), Optional.empty(), 10)).isEmpty();
    }

    @Test
    void badVerdictsAreRefusedWithTheFieldNamed() {
        assertThatThrownBy(() -> new NewFeedback(NOISY, FeedbackVerdict.FALSE_NEGATIVE, null, null, null, null, null, null, null, null))
                .hasMessageContaining("needs 'code'");
        assertThatThrownBy(() -> new NewFeedback(NOISY, FeedbackVerdict.FALSE_POSITIVE, null, null, null, null, null, null, null, null))
                .hasMessageContaining("give 'fingerprint'");
        assertThatThrownBy(() -> new NewFeedback(NOISY, FeedbackVerdict.FALSE_POSITIVE, "xyz", null, null, null, null, null, null, null))
                .hasMessageContaining("32 hex digits");
        assertThatThrownBy(() -> new NewFeedback(NOISY, FeedbackVerdict.TRUE_POSITIVE, "0".repeat(32), "a.py", "print(1)", null, null, null,
                null, null)).hasMessageContaining("does not match");
        assertThatThrownBy(() -> new NewFeedback(NOISY, FeedbackVerdict.TRUE_POSITIVE, null, "a.py", "x", null, null, 6, null, null))
                .hasMessageContaining("'accuracy' is a rating from 1 to 5");
        assertThatThrownBy(() -> new NewFeedback(NOISY, FeedbackVerdict.TRUE_POSITIVE, null, "a\0.py", "x", null, null, null, null, null))
                .hasMessageContaining("control character");
        assertThatThrownBy(() -> FeedbackVerdict.parse("maybe")).hasMessageContaining("unknown verdict 'maybe'");
        assertThatThrownBy(() -> community.feedback().add(new Giver("acme", "k"), List.of())).hasMessageContaining("no feedback");
    }

    @Test
    void aNoisyRuleGoesOnProbationByAReleaseAndComesBackWhenItRecovers() {
        String upstream = activeRelease().id();
        give(NOISY, FeedbackVerdict.FALSE_POSITIVE, 3, 3);
        give(NOISY, FeedbackVerdict.TRUE_POSITIVE, 1, 1);
        RuleHealth before = community.processor().health(NOISY).orElseThrow();
        assertThat(before.status()).isEqualTo(Status.NOISY);
        assertThat(before.precisionHigh()).isLessThan(0.6);
        assertThat(before.notUsefulRate()).isEqualTo(9.0 / 10);

        FeedbackProcessor.BatchResult batch = community.processor().runBatch();
        assertThat(batch.probationsStarted()).containsExactly(NOISY);
        Release onProbation = activeRelease();
        assertThat(onProbation.id()).as("a release of its own").isNotEqualTo(upstream);
        assertThat(onProbation.parentId()).isEqualTo(upstream);
        assertThat(onProbation.rules()).as("the upstream rules, demoted by the generated override")
                .isEqualTo(parts.get().releases().find(upstream).orElseThrow().rules());
        assertThat(onProbation.notes().overrides()).singleElement().satisfies(o -> {
            assertThat(o.ruleId()).isEqualTo(NOISY);
            assertThat(o.change()).isEqualTo(new OverrideChange.SetSeverity("INFO"));
        });
        assertThat(onProbation.notes().provenance()).containsEntry("action", "begin").containsKey("evidence");
        assertThat(onProbation.diff().demoted()).as("the diff says what the release changes").containsExactly(NOISY);
        assertThat(onProbation.diff().none()).isFalse();
        assertThat(parts.get().releases().diff(onProbation.id(), upstream).restored()).containsExactly(NOISY);
        assertThat(parts.get().overrides().list()).as("no override outside the history").isEmpty();
        Activation made = parts.get().releases().history().getLast();
        assertThat(made.releaseId()).isEqualTo(onProbation.id());
        assertThat(made.trigger()).isEqualTo(Trigger.AUTOMATIC);
        assertThat(made.reason()).contains("rule " + NOISY + " on probation", "9 false_positive", "1 true_positive", "precision",
                "feedback #1..#10");
        Probation probation = community.processor().probations(Optional.of(NOISY)).getFirst();
        assertThat(probation.active()).isTrue();
        assertThat(probation.releaseId()).isEqualTo(onProbation.id());
        assertThat(probation.evidence()).containsEntry("tenants", 3).containsKey("precision_high").containsKey("feedback");
        assertThat(events(EventType.RULE_PROBATION_STARTED)).singleElement()
                .satisfies(e -> assertThat(e.payload()).containsEntry("rule_id", NOISY).containsEntry("severity", "INFO"));
        assertThat(severityServed(NOISY)).isEqualTo("INFO");
        assertThat(community.processor().runBatch().probationsStarted()).as("once on probation, not again").isEmpty();

        give(NOISY, FeedbackVerdict.TRUE_POSITIVE, 3, 20); // the rule was fixed upstream; many now find it right
        FeedbackProcessor.BatchResult recovered = community.processor().runBatch();
        assertThat(recovered.probationsEnded()).containsExactly(NOISY);
        Release lifted = activeRelease();
        assertThat(lifted.notes().overrides()).isEmpty();
        assertThat(lifted.id()).as("content-addressed: without the override it is the upstream release again").isEqualTo(upstream);
        assertThat(parts.get().releases().history().getLast().reason()).contains("off probation", "recovered");
        Probation ended = community.processor().probations(Optional.of(NOISY)).getFirst();
        assertThat(ended.active()).isFalse();
        assertThat(ended.endReason()).contains("recovered");
        assertThat(ended.liftReleaseId()).isEqualTo(lifted.id());
        assertThat(events(EventType.RULE_PROBATION_ENDED)).hasSize(1);
        assertThat(severityServed(NOISY)).isEqualTo("WARNING");
    }

    @Test
    void rollingBackTheProbationsReleaseLiftsItUntilNewEvidenceArrives() {
        give(NOISY, FeedbackVerdict.FALSE_POSITIVE, 3, 3);
        community.processor().runBatch();
        parts.get().activations().rollback(Optional.empty(), Trigger.USER, "the rule is needed at full severity");

        assertThat(community.processor().probations(Optional.of(NOISY)).getFirst().active()).isFalse();
        assertThat(community.processor().health(NOISY).orElseThrow().onProbation()).isFalse();
        assertThat(severityServed(NOISY)).isEqualTo("WARNING");
        assertThat(community.processor().runBatch().probationsStarted()).as("a person undid it; the same evidence does not redo it")
                .isEmpty();

        parts.get().activations().rollback(Optional.empty(), Trigger.USER, "undo the undo");
        assertThat(community.processor().probations(Optional.of(NOISY)).getFirst().active()).as("its release is live again").isTrue();
        parts.get().activations().rollback(Optional.empty(), Trigger.USER, "no after all");

        give(NOISY, FeedbackVerdict.FALSE_POSITIVE, 2, 3); // six new verdicts: the policy's threshold
        assertThat(community.processor().runBatch().probationsStarted()).containsExactly(NOISY);
        assertThat(community.processor().probations(Optional.of(NOISY))).hasSize(2).first().satisfies(p -> assertThat(p.active()).isTrue());
    }

    @Test
    void aProbationLostToAnAutomaticActivationComesBackAndPendingUpdatesKeepWaiting() {
        String upstream = activeRelease().id();
        parts.get().pending().record("starter", "rev-2", upstream, false, "WAIT_FOR_WINDOW");
        give(NOISY, FeedbackVerdict.FALSE_POSITIVE, 3, 3);
        community.processor().runBatch();
        assertThat(parts.get().pending().pending()).as("a probation brings no update").hasSize(1);

        // A release made before the probation goes live automatically (held for a window, or a rollout promoted).
        parts.get().activations().activate(upstream, Trigger.AUTOMATIC, "held release, window open");
        assertThat(community.processor().health(NOISY).orElseThrow().onProbation()).isFalse();
        assertThat(community.processor().runBatch().probationsStarted()).as("nobody undid it").containsExactly(NOISY);
        assertThat(severityServed(NOISY)).isEqualTo("INFO");
    }

    @Test
    void anUpdateKeepsTheRuleOnProbationAndAddsItsNews() throws IOException {
        give(NOISY, FeedbackVerdict.FALSE_POSITIVE, 3, 3);
        community.processor().runBatch();
        long probation = community.processor().probations(Optional.of(NOISY)).getFirst().id();
        Path starter = parts.dir().resolve("starter");
        Files.writeString(starter.resolve("exec-call.yaml"), CommunityFixtures.rule("exec-call", "exec(...)"));
        Files.writeString(starter.resolve("exec-call.py"), "# ruleid: exec-call\nexec(code)\n");

        assertThat(parts.updater(UpdatePolicy.DEFAULT).check(Trigger.USER).activation()).isPresent();
        Release updated = activeRelease();
        assertThat(updated.rules()).extracting(AcceptedRule::id).contains("exec-call");
        assertThat(updated.notes().overrides()).singleElement().satisfies(o -> assertThat(o.probation()).isEqualTo(probation));
        assertThat(severityServed(NOISY)).isEqualTo("INFO");
        assertThat(community.processor().probations(Optional.of(NOISY)).getFirst().active()).isTrue();
    }

    private Release activeRelease() {
        return parts.get().releases().active().orElseThrow();
    }

    /** The severity the running knowledge serves the rule with. */
    private String severityServed(String ruleId) {
        parts.get().knowledge().refresh();
        return parts.get().knowledge().holder().current().rules().stream().filter(r -> r.id().equals(ruleId)).findFirst()
                .orElseThrow().severity().name();
    }

    @Test
    void oneTenantFloodingFalsePositivesCannotDemoteAGoodRule() {
        give(GOOD, FeedbackVerdict.TRUE_POSITIVE, 3, 4);
        for (int i = 0; i < 5; i++) {
            give(GOOD, FeedbackVerdict.FALSE_POSITIVE, 1, 200); // tenant-0 and its key, 1000 reports
        }
        RuleHealth health = community.processor().health(GOOD).orElseThrow();
        assertThat(health.count(FeedbackVerdict.FALSE_POSITIVE)).isEqualTo(1000);
        assertThat(health.evidence()).isLessThanOrEqualTo(9.0 + 1e-9); // three tenants, each capped at 3
        assertThat(community.processor().runBatch().probationsStarted()).isEmpty();
        assertThat(activeRelease().notes().overrides()).isEmpty();
    }

    @Test
    void contributorsAgreeingWithTheConsensusGainAndContradictingItLose() {
        give(GOOD, FeedbackVerdict.TRUE_POSITIVE, 3, 3);
        community.feedback().add(new Giver("tenant-9", "liar"), List.of(verdict(GOOD, FeedbackVerdict.FALSE_POSITIVE, 1),
                verdict(GOOD, FeedbackVerdict.FALSE_POSITIVE, 2)));
        community.processor().runBatch();
        assertThat(community.reputation().of("key-0")).isGreaterThan(Reputation.START);
        assertThat(community.reputation().of("liar")).isLessThan(Reputation.START);
        double settled = community.reputation().of("liar");
        community.processor().runBatch();
        assertThat(community.reputation().of("liar")).as("each verdict settled once").isEqualTo(settled);
    }

    @Test
    void aVerdictIsSettledWhenItsFindingLaterHasAConsensus() {
        NewFeedback lone = new NewFeedback(GOOD, FeedbackVerdict.FALSE_POSITIVE, null, "lib/x.py", "eval(expr)", null, null, null, null, null);
        community.feedback().add(new Giver("tenant-9", "early"), List.of(lone));
        community.processor().runBatch();
        assertThat(community.reputation().of("early")).as("nobody else judged that finding yet").isEqualTo(Reputation.START);

        NewFeedback right = new NewFeedback(GOOD, FeedbackVerdict.TRUE_POSITIVE, null, "lib/x.py", "  eval(expr)\n", null, null, null, null, null);
        community.feedback().add(new Giver("tenant-0", "key-0"), List.of(right));
        community.feedback().add(new Giver("tenant-1", "key-1"), List.of(right));
        community.processor().runBatch();
        assertThat(community.reputation().of("early")).as("the same finding (fingerprint), judged otherwise by two tenants")
                .isEqualTo(Reputation.START + Reputation.CONTRADICTED);
        assertThat(community.reputation().of("key-0")).isEqualTo(Reputation.START + Reputation.AGREED);
    }

    @Test
    void healthPerReleaseAndItsTrend() {
        give(NOISY, FeedbackVerdict.FALSE_POSITIVE, 2, 3);
        String release = parts.get().releases().active().orElseThrow().id();
        RuleHealth onRelease = community.processor().health(NOISY, release.substring(0, 12)).orElseThrow();
        assertThat(onRelease.releaseId()).isEqualTo(release);
        assertThat(onRelease.count(FeedbackVerdict.FALSE_POSITIVE)).isEqualTo(6);
        RuleHealth overall = community.processor().health(NOISY).orElseThrow();
        assertThat(overall.trend()).singleElement().satisfies(p -> assertThat(p.releaseId()).isEqualTo(release));
        assertThat(overall.direction()).isEqualTo(RuleHealth.Direction.UNKNOWN);
        assertThat(community.processor().health(GOOD)).isEmpty();
    }

    private List<Event> events(EventType type) {
        return parts.get().activations().events().after(0, 1000).stream().filter(e -> e.type() == type).toList();
    }
}
