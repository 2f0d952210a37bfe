package dev.freshet.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.gate.GateReport;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.rollout.ActivationService;
import dev.freshet.updates.rollout.RolloutEngine;
import dev.freshet.updates.rollout.RolloutPlan;
import dev.freshet.updates.store.Database;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code freshet rollout ...} on a store with a rollout under way. */
class RolloutCommandTest {
    @TempDir
    Path dir;

    @Test
    void statusDiffAndThePersonsActions() throws Exception {
        String data = dir.resolve("state").toString();
        assertThat(CliRun.of("rollout", "status", "--data-dir", data).out()).contains("no rollout on rules yet");
        CliRun none = CliRun.of("rollout", "pause", "--data-dir", data);
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("No rollout is under way on rules.");

        Release candidate;
        try (Database database = Database.open(Path.of(data))) {
            Clock clock = Clock.systemUTC();
            ReleaseStore releases = new ReleaseStore(database.jdbi(), clock);
            ActivationService activations = new ActivationService(database.jdbi(), releases, clock);
            Release stable = releases.create(List.of(rule("a", "eval($X)")), new GateReport(List.of()));
            candidate = releases.create(List.of(rule("a", "eval($X)"), rule("noisy", "$X")), new GateReport(List.of()));
            activations.activate(stable.id(), Trigger.USER, "stable");
            RolloutEngine engine = new RolloutEngine(database.jdbi(), activations, clock);
            long id = engine.start(candidate.id(), Optional.of(RolloutPlan.DEFAULT), "test").orElseThrow().id();
            engine.recordRuleChanges(id, "acme/p1", Map.of("noisy", RolloutEngine.RuleEffect.findings(12, 0)));
        }

        CliRun status = CliRun.of("rollout", "status", "--data-dir", data);
        assertThat(status.exit()).isZero();
        assertThat(status.out()).contains("state RUNNING, step shadow of [shadow, 5, 25, 50, 100]").containsPattern("promotion in (39|40) min");
        CliRun diff = CliRun.of("rollout", "diff", "--data-dir", data);
        assertThat(diff.out()).contains("1 rules added, 0 removed, 0 changed").containsPattern("noisy +\\+12 -0 findings");
        assertThat(CliRun.of("rollout", "diff", "--data-dir", data, "--json").out()).contains("\"added\" : 12");
        assertThat(CliRun.of("rollout", "pause", "--reason", "look first", "--data-dir", data).out()).contains("state PAUSED")
                .contains("reason: look first");
        assertThat(CliRun.of("rollout", "resume", "--data-dir", data).out()).contains("state RUNNING");
        assertThat(CliRun.of("rollout", "promote", "--data-dir", data).out()).contains("step 5 of");
        assertThat(CliRun.of("rollout", "abort", "--reason", "too noisy", "--data-dir", data).out()).contains("state ABORTED");
        assertThat(CliRun.of("rollout", "status", "--track", "models/x", "--data-dir", data).out()).contains("no rollout on models/x yet");
        assertThat(CliRun.of("update", "status", "--data-dir", data).out()).as("stable stays")
                .doesNotContain(ReleaseStore.shortId(candidate.id()));
    }

    @Test
    void aManualApplyFollowsThePolicysPlanUnlessToldOtherwise() throws Exception {
        Path data = dir.resolve("state");
        Release candidate;
        try (Database database = Database.open(data)) {
            ReleaseStore releases = new ReleaseStore(database.jdbi(), Clock.systemUTC());
            Release stable = releases.create(List.of(rule("a", "eval($X)")), new GateReport(List.of()));
            candidate = releases.create(List.of(rule("a", "eval($X)"), rule("b", "exec($X)")), new GateReport(List.of()));
            new ActivationService(database.jdbi(), releases, Clock.systemUTC()).activate(stable.id(), Trigger.USER, "stable");
        }
        Files.writeString(data.resolve("policy.toml"), "[rollout]\nsteps = [\"shadow\", \"100\"]\ninterval_seconds = 60\n");
        String id = ReleaseStore.shortId(candidate.id());
        String dataDir = data.toString();

        CliRun bad = CliRun.of("update", "apply", id, "--rollout", "5,50", "--data-dir", dataDir);
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--immediate/--rollout/--interval: rollout steps must end at 100, not [5, 50]");
        CliRun rolled = CliRun.of("update", "apply", id, "--data-dir", dataDir);
        assertThat(rolled.exit()).as(rolled.err()).isZero();
        assertThat(rolled.out()).contains("rolling out:").contains("step shadow of [shadow, 100]").contains("goes live when promoted");
        assertThat(CliRun.of("update", "status", "--data-dir", dataDir).out()).as("stable stays until promotion").doesNotContain(id);
        assertThat(CliRun.of("rollout", "abort", "--data-dir", dataDir).exit()).isZero();

        CliRun own = CliRun.of("update", "apply", id, "--rollout", "5,100", "--interval", "2m", "--data-dir", dataDir);
        assertThat(own.out()).contains("step 5 of [5, 100]");
        assertThat(CliRun.of("rollout", "abort", "--data-dir", dataDir).exit()).isZero();
        CliRun now = CliRun.of("update", "apply", id, "--immediate", "--data-dir", dataDir);
        assertThat(now.exit()).as(now.err()).isZero();
        assertThat(CliRun.of("update", "status", "--data-dir", dataDir).out()).contains(id);
    }

    static AcceptedRule rule(String id, String pattern) throws Exception {
        String yaml = "rules:\n  - id: %s\n    message: found\n    severity: ERROR\n    languages: [python]\n    pattern: %s\n"
                .formatted(id, pattern);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(yaml.getBytes(StandardCharsets.UTF_8)));
        return new AcceptedRule(id, "test", id + ".yaml", yaml, sha);
    }
}
