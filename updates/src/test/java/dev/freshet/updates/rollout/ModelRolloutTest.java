package dev.freshet.updates.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.knowledge.Knowledge;
import dev.freshet.engine.knowledge.KnowledgeHolder;
import dev.freshet.engine.knowledge.RuleCompiler;
import dev.freshet.engine.models.HttpAnomalyModel;
import dev.freshet.engine.models.HttpRequest;
import dev.freshet.engine.models.HttpRequestParser;
import dev.freshet.engine.models.ModelArtifact;
import dev.freshet.engine.models.ProfileSet;
import dev.freshet.engine.parse.TreeSitterParser;
import dev.freshet.engine.pattern.PatternCompiler;
import dev.freshet.engine.rules.RuleLoader;
import dev.freshet.updates.events.Event;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.learning.ModelFeedback;
import dev.freshet.updates.learning.ModelReleases;
import dev.freshet.updates.learning.ModelVersion;
import dev.freshet.updates.release.Overrides;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Track;
import dev.freshet.updates.store.Database;
import dev.freshet.updates.store.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Model versions through the one rollout engine, on scored requests: in shadow the candidate's
 * verdicts are counted and never returned; a candidate that flags far more than stable is rolled
 * back by the analysis; a sound one serves its cohorts, then everyone.
 */
@ExtendWith(TestStores.DropAfterEach.class)
@ParameterizedClass
@EnumSource(Database.Kind.class)
class ModelRolloutTest {
    private static final TreeSitterParser PARSER = new TreeSitterParser();
    private static final Track TRACK = Track.model(HttpAnomalyModel.NAME);
    /** Scoring time is not what these tests judge (a few requests on a cold JIT say nothing about it): its limit is out of reach. */
    private static final RolloutPlan PLAN = new RolloutPlan(List.of("shadow", "50", "100"), 60, 1, 10,
            RolloutPlan.Inconclusive.PAUSE, 0.02, 1_000.0, 2.0, false);

    @Parameter
    Database.Kind kind;
    @TempDir
    Path tmp;
    Database database;
    RolloutEngineTest.MovableClock clock = new RolloutEngineTest.MovableClock();
    RolloutEngine engine;
    ModelReleases versions;
    KnowledgeHolder holder = new KnowledgeHolder(Knowledge.EMPTY);
    ActiveKnowledge active;
    RolloutScores scores;

    @BeforeEach
    void open() {
        database = Database.open(TestStores.fresh(kind, tmp));
        ReleaseStore releases = new ReleaseStore(database.jdbi(), clock);
        ActivationService activations = new ActivationService(database.jdbi(), releases, clock);
        engine = activations.rollouts();
        versions = new ModelReleases(database.jdbi(), releases, activations, HttpAnomalyModel.NAME);
        active = new ActiveKnowledge(releases, new Overrides(database.jdbi(), clock),
                new RuleCompiler(new RuleLoader(new PatternCompiler(PARSER)), 100), holder, engine);
        scores = new RolloutScores(engine);
    }

    @AfterEach
    void close() {
        active.close();
        database.close();
    }

    private static HttpRequest request(String target) throws Exception {
        return HttpRequestParser.fromParts("GET", target, List.of(), "");
    }

    /** Profiles of a shop's item route, and a version of them at {@code threshold}. */
    private ModelVersion version(String created, double threshold) throws Exception {
        ProfileSet profiles = new ProfileSet();
        for (int i = 0; i < 300; i++) {
            profiles.learn(request("/shop/item?id=" + i + "&name=" + (char) ('a' + i % 26) + "x"));
        }
        ModelArtifact artifact = new ModelArtifact(ModelArtifact.Manifest.of("", created, threshold, 0.005, Map.of(), Map.of()),
                new HttpAnomalyModel(profiles, threshold));
        return versions.add(artifact, "test", List.of());
    }

    private List<RolloutScores.Scored> scoreMany(int count) throws Exception {
        Knowledge snapshot = holder.current();
        List<RolloutScores.Scored> served = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            served.add(scores.score(snapshot, TRACK, "client-" + i, Cohorts.Requested.OWN_BUCKET, request("/shop/item?id=" + i + "&name=bx")));
        }
        scores.flush();
        return served;
    }

    @Test
    void aCandidateThatFlagsEverythingStaysInShadowUnseenAndIsRolledBack() throws Exception {
        ModelVersion stable = version("2026-12-07T01:00:00Z", 5);
        versions.promote(stable, Optional.empty(), "first");
        ModelVersion noisy = version("2026-12-07T02:00:00Z", -1); // every score is above -1: everything is anomalous
        Rollout rollout = versions.promote(noisy, Optional.of(PLAN), "noisy").orElseThrow();
        assertThat(active.refresh()).isTrue();
        assertThat(holder.current().track(TRACK.name()).orElseThrow().candidate().shadow()).isTrue();

        List<RolloutScores.Scored> served = scoreMany(40);
        assertThat(served).allSatisfy(s -> {
            assertThat(s.releaseId()).isEqualTo(stable.release());
            assertThat(s.assessment().anomalous()).as("what callers see is stable's verdict").isFalse();
        });
        assertThat(scores.score(holder.current(), TRACK, "tester", Cohorts.Requested.CANDIDATE, request("/shop/item?id=1&name=ax"))
                .assessment().anomalous()).as("a caller asking for the candidate gets it").isTrue();

        clock.advance(Duration.ofSeconds(61));
        engine.tick();
        Rollout after = engine.latest(TRACK).orElseThrow();
        assertThat(after.state()).isEqualTo(Rollout.State.ROLLED_BACK);
        assertThat(after.id()).isEqualTo(rollout.id());
        assertThat(after.reason()).contains("anomaly rate ratio");
        assertThat(after.analysis().candidateScans()).isEqualTo(40);
        assertThat(after.analysis().stableScans()).isEqualTo(40);
        assertThat(new dev.freshet.updates.events.EventLog(database.jdbi()).after(0, 100)).extracting(Event::type)
                .contains(EventType.ROLLOUT_ROLLED_BACK);
        assertThat(active.refresh()).isTrue();
        assertThat(holder.current().track(TRACK.name()).orElseThrow().candidate()).as("the candidate is gone").isNull();
        assertThat(versions.active().orElseThrow().release()).isEqualTo(stable.release());
    }

    @Test
    void aSoundCandidateServesItsCohortsThenEveryoneAndFeedbackCounts() throws Exception {
        ModelVersion stable = version("2026-12-07T01:00:00Z", 5);
        versions.promote(stable, Optional.empty(), "first");
        ModelVersion next = version("2026-12-07T02:00:00Z", 5);
        versions.promote(next, Optional.of(PLAN), "next");
        active.refresh();
        scoreMany(20);
        clock.advance(Duration.ofSeconds(61));
        engine.tick();
        assertThat(engine.latest(TRACK).orElseThrow().stepName()).isEqualTo("50");
        active.refresh();

        List<RolloutScores.Scored> served = scoreMany(60);
        assertThat(served).anyMatch(RolloutScores.Scored::byCandidate).anyMatch(s -> !s.byCandidate());
        assertThat(served).allSatisfy(s -> assertThat(s.releaseId()).isEqualTo(s.byCandidate() ? next.release() : stable.release()));
        assertThat(scoreMany(60)).as("cohorts are sticky").extracting(RolloutScores.Scored::byCandidate)
                .containsExactlyElementsOf(served.stream().map(RolloutScores.Scored::byCandidate).toList());
        new ModelFeedback(database.jdbi(), clock).report(TRACK, stable.release(), ModelFeedback.Kind.FALSE_POSITIVE,
                request("/shop/item?id=1&name=ax"), "benign", "test");
        clock.advance(Duration.ofSeconds(61));
        engine.tick();
        Rollout promoted = engine.latest(TRACK).orElseThrow();
        assertThat(promoted.state()).as(String.valueOf(promoted.reason())).isEqualTo(Rollout.State.PROMOTED);
        assertThat(promoted.analysis().falsePositiveRatio()).as("stable had a report, the candidate none").isLessThan(1);
        active.refresh();
        assertThat(scoreMany(5)).allSatisfy(s -> assertThat(s.releaseId()).isEqualTo(next.release()));
    }
}
