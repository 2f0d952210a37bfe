package dev.freshet.updates.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.knowledge.Knowledge;
import dev.freshet.engine.knowledge.KnowledgeHolder;
import dev.freshet.engine.knowledge.RuleCompiler;
import dev.freshet.engine.parse.TreeSitterParser;
import dev.freshet.engine.pattern.PatternCompiler;
import dev.freshet.engine.rules.RuleLoader;
import dev.freshet.engine.scan.ScanResult;
import dev.freshet.engine.scan.Scanner;
import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.gate.GateReport;
import dev.freshet.updates.release.Overrides;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Track;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.store.Database;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A noisy release ({@code pattern: $X}) in shadow on real scans: the caller sees stable's findings
 * only, the store sees the candidate's, the analysis drops it, and the next snapshot has no candidate.
 */
class ShadowRolloutTest {
    private static final TreeSitterParser PARSER = new TreeSitterParser();
    private static final RolloutPlan PLAN = new RolloutPlan(List.of("shadow", "50", "100"), 60, 1, 3,
            RolloutPlan.Inconclusive.PAUSE, 0.02, 1.5, 2.0, false);

    @TempDir
    Path tmp;

    @Test
    void aNoisyCandidateRunsBesideStableUnseenAndIsRolledBack() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve("app.py"), "import os\nx = 1\ny = eval(input())\nprint(x, y)\n");
        RolloutEngineTest.MovableClock clock = new RolloutEngineTest.MovableClock();
        try (Database database = Database.open(tmp.resolve("store"))) {
            ReleaseStore releases = new ReleaseStore(database.jdbi(), clock);
            ActivationService activations = new ActivationService(database.jdbi(), releases, clock);
            RolloutEngine engine = new RolloutEngine(database.jdbi(), activations, clock);
            Release stable = releases.create(List.of(rule("no-eval", "eval(...)")), new GateReport(List.of()));
            Release noisy = releases.create(List.of(rule("no-eval", "eval(...)"), rule("noisy", "$X")), new GateReport(List.of()));
            activations.activate(stable.id(), Trigger.USER, "stable");
            KnowledgeHolder holder = new KnowledgeHolder(Knowledge.EMPTY);
            RuleCompiler compiler = new RuleCompiler(new RuleLoader(new PatternCompiler(PARSER)), 100);
            Scanner scanner = new Scanner(PARSER, new Scanner.Options(Duration.ofSeconds(10), 1, true));
            try (ActiveKnowledge active = new ActiveKnowledge(releases, new Overrides(database.jdbi(), clock), compiler, holder, engine);
                 RolloutScans scans = new RolloutScans(engine)) {
                active.refresh();
                Rollout rollout = engine.start(noisy.id(), Optional.of(PLAN), "noisy release").orElseThrow();
                assertThat(active.refresh()).isTrue();
                Knowledge snapshot = holder.current();
                assertThat(snapshot.releaseId()).isEqualTo(stable.id());
                assertThat(snapshot.track(Knowledge.RULES).orElseThrow().candidate().shadow()).isTrue();

                for (int i = 0; i < 4; i++) {
                    ScanResult served = scans.scan(snapshot, "acme", "p" + i, Cohorts.Requested.OWN_BUCKET,
                            rules -> scanner.scan(rules, List.of(project.resolve("app.py")), project, n -> { })).result();
                    assertThat(served.findings()).extracting(f -> f.ruleId()).as("never the candidate's").containsOnly("no-eval");
                }
                RolloutScans.Served asked = scans.scan(snapshot, "acme", "p0", Cohorts.Requested.CANDIDATE,
                        rules -> scanner.scan(rules, List.of(project.resolve("app.py")), project, n -> { }));
                assertThat(asked.release().releaseId()).isEqualTo(noisy.id());
                assertThat(asked.result().findings()).extracting(f -> f.ruleId()).as("a caller asking for the candidate gets it").contains("noisy");
                scans.close(); // the shadow scans have finished

                assertThat(engine.ruleChanges(rollout.id())).containsKey("noisy")
                        .hasEntrySatisfying("noisy", change -> {
                            assertThat(change.added()).isGreaterThan(4 * 5);
                            assertThat(change.stableMicros()).as("stable has no such rule").isZero();
                            assertThat(change.candidateMicros()).as("the candidate's time with it").isPositive();
                        })
                        .allSatisfy((rule, change) -> assertThat(change.added() + change.removed()).isEqualTo(rule.equals("noisy")
                                ? change.added() : 0));
                clock.advance(Duration.ofSeconds(61));
                assertThat(engine.tick()).singleElement().satisfies(r -> assertThat(r.state()).isEqualTo(Rollout.State.ROLLED_BACK));
                assertThat(active.refresh()).isTrue();
                assertThat(holder.current().track(Knowledge.RULES).orElseThrow().candidate()).isNull();
                assertThat(releases.active(Track.RULES).map(Release::id)).contains(stable.id());
            }
        }
    }

    private static AcceptedRule rule(String id, String pattern) throws Exception {
        String yaml = "rules:\n  - id: %s\n    message: found\n    severity: ERROR\n    languages: [python]\n    pattern: %s\n"
                .formatted(id, pattern);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(yaml.getBytes(StandardCharsets.UTF_8)));
        return new AcceptedRule(id, "test", id + ".yaml", yaml, sha);
    }
}
