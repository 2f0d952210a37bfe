package dev.freshet.updates.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.knowledge.KnowledgeHolder;
import dev.freshet.updates.TestParts;
import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.gate.GateReport;
import dev.freshet.updates.release.OverrideChange;
import dev.freshet.updates.release.Overrides;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.store.Database;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The running knowledge of the production parts follows activations, rollbacks and overrides made in each kind of store. */
@ParameterizedClass
@EnumSource(Database.Kind.class)
class ActiveKnowledgeTest {
    @Parameter
    Database.Kind kind;

    @RegisterExtension
    final TestParts parts = new TestParts(() -> kind);

    private ReleaseStore releases;
    private Overrides overrides;
    private ActivationService activations;
    private ActiveKnowledge active;

    @BeforeEach
    void open() {
        releases = parts.get().releases();
        overrides = parts.get().overrides();
        activations = parts.get().activations();
        active = parts.get().knowledge();
    }

    static AcceptedRule rule(String id, String pattern) throws Exception {
        String yaml = """
                rules:
                  - id: %s
                    message: found
                    severity: ERROR
                    languages: [python]
                    pattern: %s
                """.formatted(id, pattern);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(yaml.getBytes(StandardCharsets.UTF_8)));
        return new AcceptedRule(id, "test", id + ".yaml", yaml, sha);
    }

    @Test
    void theSnapshotFollowsTheStore() throws Exception {
        Release one = releases.create(List.of(rule("a", "eval(...)")), new GateReport(List.of()));
        Release two = releases.create(List.of(rule("a", "eval(...)"), rule("b", "exec(...)")), new GateReport(List.of()));
        KnowledgeHolder holder = active.holder();
        assertThat(active.refresh()).isFalse();
        activations.activate(one.id(), Trigger.USER, "test");
        assertThat(active.refresh()).isTrue();
        assertThat(holder.current().releaseId()).isEqualTo(one.id());
        assertThat(active.refresh()).isFalse();

        active.follow(Duration.ofMillis(10));
        activations.activate(two.id(), Trigger.USER, "test");
        awaitRelease(holder, two.id());
        assertThat(holder.current().rules()).hasSize(2);

        activations.rollback(Optional.empty(), Trigger.USER, "test");
        awaitRelease(holder, one.id());

        overrides.add("a", new OverrideChange.Disable());
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!holder.current().rules().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(holder.current().rules()).isEmpty();
    }

    @Test
    void pollingAnUnchangedStoreReadsThreeNumbersAndLoadsNoRelease() throws Exception {
        Release one = releases.create(List.of(rule("a", "eval(...)"), rule("b", "exec(...)")), new GateReport(List.of()));
        activations.activate(one.id(), Trigger.USER, "test");
        overrides.add("b", new OverrideChange.SetSeverity("INFO"));
        List<String> statements = new CopyOnWriteArrayList<>();
        parts.get().database().jdbi().setSqlLogger(new SqlLogger() {
            @Override
            public void logBeforeExecution(StatementContext context) {
                statements.add(context.getRenderedSql());
            }
        });
        assertThat(active.refresh()).isTrue();
        statements.clear();

        for (int i = 0; i < 100; i++) {
            assertThat(active.refresh()).isFalse();
        }

        assertThat(statements).as("three small reads a poll: activations, overrides, rollouts").hasSize(300)
                .noneMatch(sql -> sql.contains("release_rules") || sql.contains("blobs") || sql.contains("FROM overrides"));
        overrides.add("a", new OverrideChange.Disable());
        assertThat(active.refresh()).as("an override changed: rebuilt").isTrue();
        assertThat(active.holder().current().rules()).extracting(r -> r.id()).containsExactly("b");
    }

    private static void awaitRelease(KnowledgeHolder holder, String releaseId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!holder.current().releaseId().equals(releaseId) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(holder.current().releaseId()).isEqualTo(releaseId);
    }
}
