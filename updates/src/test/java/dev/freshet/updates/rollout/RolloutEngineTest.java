package dev.freshet.updates.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.engine.knowledge.Knowledge;
import dev.freshet.engine.knowledge.KnowledgeHolder;
import dev.freshet.engine.knowledge.RuleCompiler;
import dev.freshet.engine.parse.TreeSitterParser;
import dev.freshet.engine.pattern.PatternCompiler;
import dev.freshet.engine.rules.RuleLoader;
import dev.freshet.updates.events.Event;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.gate.GateReport;
import dev.freshet.updates.release.Overrides;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseException;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Track;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.store.Database;
import dev.freshet.updates.store.StoreLocation;
import dev.freshet.updates.store.TestStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The rollout engine on a real store: steps, analysis from recorded scans, automatic rollback, promotion, two nodes. */
@ExtendWith(TestStores.DropAfterEach.class)
@ParameterizedClass
@EnumSource(Database.Kind.class)
class RolloutEngineTest {
    private static final RolloutPlan PLAN = new RolloutPlan(List.of("shadow", "5", "25", "50", "100"), 60, 1, 3,
            RolloutPlan.Inconclusive.PAUSE, 0.02, 1.5, 2.0, false);

    @Parameter
    Database.Kind kind;
    @TempDir
    Path tmp;
    StoreLocation location;
    Database database;
    MovableClock clock = new MovableClock();
    ReleaseStore releases;
    ActivationService activations;
    RolloutEngine engine;
    Release stable;
    Release candidate;

    @BeforeEach
    void open() throws Exception {
        location = TestStores.fresh(kind, tmp);
        database = Database.open(location);
        releases = new ReleaseStore(database.jdbi(), clock);
        activations = new ActivationService(database.jdbi(), releases, clock);
        engine = new RolloutEngine(database.jdbi(), activations, clock);
        stable = releases.create(List.of(rule("a", "eval($X)")), new GateReport(List.of()));
        candidate = releases.create(List.of(rule("a", "eval($X)"), rule("noisy", "$X")), new GateReport(List.of()));
        activations.activate(stable.id(), Trigger.USER, "stable");
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aNoisyCandidateIsDroppedInShadowAndStableStays() {
        Rollout rollout = engine.start(candidate.id(), Optional.of(PLAN), "noisy").orElseThrow();
        assertThat(rollout.stepName()).isEqualTo("shadow");
        assertThat(rollout.timeToPromotion(clock.instant())).isEqualTo(Duration.ofMinutes(4));
        for (int i = 0; i < 5; i++) {
            engine.recordScan(rollout.id(), 0, RolloutEngine.Arm.STABLE, "acme/p" + i, 100, false, 2_000, 2);
            engine.recordScan(rollout.id(), 0, RolloutEngine.Arm.SHADOW, "acme/p" + i, 110, false, 2_000, 400);
        }
        assertThat(engine.tick()).as("the interval has not passed").isEmpty();
        clock.advance(Duration.ofSeconds(61));

        List<Rollout> changed = engine.tick();

        assertThat(changed).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo(Rollout.State.ROLLED_BACK);
            assertThat(r.stepName()).isEqualTo("shadow");
            assertThat(r.reason()).contains("findings per kLOC ratio");
            assertThat(r.analysis().findingsRatio()).isGreaterThan(100);
        });
        assertThat(releases.active().map(Release::id)).contains(stable.id());
        Event event = activations.events().after(0, 100).getLast();
        assertThat(event.type()).isEqualTo(EventType.ROLLOUT_ROLLED_BACK);
        assertThat(event.payload()).containsKeys("reason", "analysis").containsEntry("step", "shadow");
        assertThat(engine.unfinished(Track.RULES)).isEmpty();
    }

    @Test
    void aGoodCandidatePassesEveryStepAndIsPromotedInOneTransactionWithItsActivation() {
        Rollout rollout = engine.start(candidate.id(), Optional.of(PLAN), "good").orElseThrow();
        for (String expected : List.of("5", "25", "50")) {
            int step = engine.unfinished(Track.RULES).orElseThrow().step();
            goodWindow(rollout.id(), step);
            clock.advance(Duration.ofSeconds(61));
            assertThat(engine.tick()).singleElement().satisfies(r -> assertThat(r.stepName()).isEqualTo(expected));
            assertThat(releases.active().map(Release::id)).as("still stable at " + expected).contains(stable.id());
        }
        goodWindow(rollout.id(), 3);
        clock.advance(Duration.ofSeconds(61));
        assertThat(engine.tick()).singleElement().satisfies(r -> assertThat(r.state()).isEqualTo(Rollout.State.PROMOTED));
        assertThat(releases.active().map(Release::id)).contains(candidate.id());
        assertThat(releases.history().getLast().reason()).startsWith("rollout " + rollout.id() + " promoted");
        assertThat(activations.events().after(0, 100)).extracting(Event::type).containsSubsequence(EventType.ROLLOUT_STARTED,
                EventType.ROLLOUT_STEP, EventType.ROLLOUT_STEP, EventType.ROLLOUT_STEP, EventType.RELEASE_ACTIVATED,
                EventType.ROLLOUT_PROMOTED);
    }

    @Test
    void tooFewScansPauseForAPersonWhoResumesPromotesOrAborts() {
        engine.start(candidate.id(), Optional.of(PLAN), "quiet").orElseThrow();
        assertThatThrownBy(() -> engine.start(candidate.id(), Optional.of(PLAN), "again"))
                .isInstanceOf(ReleaseException.class).hasMessageContaining("rollout of release");
        clock.advance(Duration.ofSeconds(61));
        assertThat(engine.tick()).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo(Rollout.State.PAUSED);
            assertThat(r.reason()).contains("inconclusive (0 candidate and 0 stable scans, 3 needed on each side)");
        });
        clock.advance(Duration.ofSeconds(600));
        assertThat(engine.tick()).as("a paused rollout is not judged").isEmpty();
        assertThat(engine.resume(Track.RULES, "looked at it").state()).isEqualTo(Rollout.State.RUNNING);
        assertThat(engine.promote(Track.RULES, "confident").stepName()).isEqualTo("5");
        assertThat(engine.abort(Track.RULES, "changed my mind").state()).isEqualTo(Rollout.State.ABORTED);
        assertThat(releases.active().map(Release::id)).contains(stable.id());
        assertThatThrownBy(() -> engine.pause(Track.RULES, "nothing")).isInstanceOf(ReleaseException.class)
                .hasMessage("No rollout is under way on rules.");
    }

    @Test
    void withoutAPlanActivationIsImmediate() {
        assertThat(engine.start(candidate.id(), Optional.empty(), "now")).isEmpty();
        assertThat(releases.active().map(Release::id)).contains(candidate.id());
    }

    @Test
    void aSecondNodeContinuesTheSameRolloutAndTwoNodesMoveItOnce() throws Exception {
        Rollout rollout = engine.start(candidate.id(), Optional.of(PLAN), "two nodes").orElseThrow();
        try (Database second = Database.open(location)) {
            RolloutEngine other = new RolloutEngine(second.jdbi(), new ActivationService(second.jdbi(),
                    new ReleaseStore(second.jdbi(), clock), clock), clock);
            assertThat(other.unfinished(Track.RULES)).contains(rollout);
            // Each node records its own scans; the analysis counts both.
            goodWindow(rollout.id(), 0);
            other.recordScan(rollout.id(), 0, RolloutEngine.Arm.SHADOW, "acme/x", 100, false, 1000, 1);
            clock.advance(Duration.ofSeconds(61));
            var a = java.util.concurrent.CompletableFuture.supplyAsync(engine::tick);
            var b = java.util.concurrent.CompletableFuture.supplyAsync(other::tick);
            assertThat(a.get().size() + b.get().size()).as("one step, taken by one node").isGreaterThanOrEqualTo(1);
            Rollout after = other.unfinished(Track.RULES).orElseThrow();
            assertThat(after.stepName()).isEqualTo("5");
            assertThat(after.analysis().candidateScans()).isEqualTo(4);
            assertThat(activations.events().after(0, 100)).filteredOn(e -> e.type() == EventType.ROLLOUT_STEP).hasSize(1);
        }
    }

    @Test
    void aDryRunAnalysesAndRecordsButNeverServesTheCandidateOrActs() {
        RolloutPlan dryRun = new RolloutPlan(List.of("5", "100"), 60, 1, 3, RolloutPlan.Inconclusive.PAUSE, 0.02, 1.5, 2.0, true);
        Rollout rollout = engine.start(candidate.id(), Optional.of(dryRun), "dry").orElseThrow();
        KnowledgeHolder holder = new KnowledgeHolder(Knowledge.EMPTY);
        RuleCompiler compiler = new RuleCompiler(new RuleLoader(new PatternCompiler(new TreeSitterParser())), 100);
        try (ActiveKnowledge knowledge = new ActiveKnowledge(releases, new Overrides(database), compiler, holder, engine)) {
            knowledge.refresh();
            Knowledge.TrackKnowledge rules = holder.current().track(Knowledge.RULES).orElseThrow();
            assertThat(rules.candidate()).as("the candidate is there, to run beside stable").isNotNull();
            for (int bucket = 0; bucket < 100; bucket++) {
                Knowledge.TrackKnowledge.Choice choice = rules.choose(bucket);
                assertThat(choice.byCandidate()).as("bucket %d at step 5 of a dry run", bucket).isFalse();
                assertThat(choice.served().releaseId()).isEqualTo(stable.id());
                assertThat(choice.shadow()).isPresent();
            }
        }
        for (int i = 0; i < 3; i++) { // a noisy candidate: a real rollout would drop it here
            engine.recordScan(rollout.id(), 0, RolloutEngine.Arm.STABLE, "acme/p" + i, 100, false, 2_000, 2);
            engine.recordScan(rollout.id(), 0, RolloutEngine.Arm.SHADOW, "acme/p" + i, 110, false, 2_000, 400);
        }
        clock.advance(Duration.ofSeconds(61));
        assertThat(engine.tick()).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo(Rollout.State.RUNNING);
            assertThat(r.step()).isZero();
            assertThat(r.failures()).isZero();
            assertThat(r.reason()).isEqualTo("dry run: FAIL");
            assertThat(r.analysis().findingsRatio()).as("the analysis is recorded").isGreaterThan(100);
        });
        goodWindow(rollout.id(), 0);
        clock.advance(Duration.ofSeconds(61));
        assertThat(engine.tick()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo("dry run: PASS");
            assertThat(r.step()).as("a passing dry run does not advance either").isZero();
        });
        assertThat(releases.active().map(Release::id)).contains(stable.id());
        assertThat(activations.events().after(0, 100)).extracting(Event::type).containsExactly(EventType.RELEASE_CREATED,
                EventType.RELEASE_CREATED, EventType.RELEASE_ACTIVATED, EventType.ROLLOUT_STARTED);
    }

    /** Three scans on each side with the same figures: a window that passes. */
    private void goodWindow(long rolloutId, int step) {
        RolloutEngine.Arm arm = engine.unfinished(Track.RULES).orElseThrow().servesCandidate() ? RolloutEngine.Arm.CANDIDATE
                : RolloutEngine.Arm.SHADOW;
        for (int i = 0; i < 3; i++) {
            engine.recordScan(rolloutId, step, RolloutEngine.Arm.STABLE, "acme/s" + i, 100, false, 1000, 1);
            engine.recordScan(rolloutId, step, arm, "acme/c" + i, 100, false, 1000, 1);
        }
    }

    private static AcceptedRule rule(String id, String pattern) throws Exception {
        String yaml = "rules:\n  - id: %s\n    message: found\n    severity: ERROR\n    languages: [python]\n    pattern: %s\n"
                .formatted(id, pattern);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(yaml.getBytes(StandardCharsets.UTF_8)));
        return new AcceptedRule(id, "test", id + ".yaml", yaml, sha);
    }

    /** A clock the test moves by hand. */
    static final class MovableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-12-07T10:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
