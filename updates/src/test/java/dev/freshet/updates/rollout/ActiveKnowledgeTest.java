package dev.freshet.updates.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.knowledge.Knowledge;
import dev.freshet.engine.knowledge.KnowledgeHolder;
import dev.freshet.engine.knowledge.RuleCompiler;
import dev.freshet.engine.parse.TreeSitterParser;
import dev.freshet.engine.pattern.PatternCompiler;
import dev.freshet.engine.rules.RuleLoader;
import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.gate.GateReport;
import dev.freshet.updates.release.OverrideChange;
import dev.freshet.updates.release.Overrides;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.store.Database;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's snapshot follows activations, rollbacks and overrides made in the store. */
class ActiveKnowledgeTest {
    @TempDir
    Path tmp;

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
        try (Database database = Database.open(tmp)) {
            ReleaseStore releases = new ReleaseStore(database);
            Release one = releases.create(List.of(rule("a", "eval(...)")), new GateReport(List.of()));
            Release two = releases.create(List.of(rule("a", "eval(...)"), rule("b", "exec(...)")), new GateReport(List.of()));
            Overrides overrides = new Overrides(database);
            KnowledgeHolder holder = new KnowledgeHolder(Knowledge.EMPTY);
            RuleCompiler compiler = new RuleCompiler(new RuleLoader(new PatternCompiler(new TreeSitterParser())), 100);
            try (ActiveKnowledge active = new ActiveKnowledge(releases, overrides, compiler, holder)) {
                assertThat(active.refresh()).isFalse();
                releases.activate(one.id(), Trigger.USER, "test");
                assertThat(active.refresh()).isTrue();
                assertThat(holder.current().releaseId()).isEqualTo(one.id());
                assertThat(active.refresh()).isFalse();

                active.follow(Duration.ofMillis(10));
                releases.activate(two.id(), Trigger.USER, "test");
                awaitRelease(holder, two.id());
                assertThat(holder.current().rules()).hasSize(2);

                releases.rollback(Optional.empty(), Trigger.USER, "test");
                awaitRelease(holder, one.id());

                overrides.add("a", new OverrideChange.Disable());
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (!holder.current().rules().isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(holder.current().rules()).isEmpty();
            }
        }
    }

    @Test
    void pollingAnUnchangedStoreReadsTwoNumbersAndLoadsNoRelease() throws Exception {
        try (Database database = Database.open(tmp)) {
            ReleaseStore releases = new ReleaseStore(database);
            Release one = releases.create(List.of(rule("a", "eval(...)"), rule("b", "exec(...)")), new GateReport(List.of()));
            releases.activate(one.id(), Trigger.USER, "test");
            Overrides overrides = new Overrides(database);
            overrides.add("b", new OverrideChange.SetSeverity("INFO"));
            RuleCompiler compiler = new RuleCompiler(new RuleLoader(new PatternCompiler(new TreeSitterParser())), 100);
            List<String> statements = new CopyOnWriteArrayList<>();
            database.jdbi().setSqlLogger(new SqlLogger() {
                @Override
                public void logBeforeExecution(StatementContext context) {
                    statements.add(context.getRenderedSql());
                }
            });
            try (ActiveKnowledge active = new ActiveKnowledge(releases, overrides, compiler, new KnowledgeHolder(Knowledge.EMPTY))) {
                assertThat(active.refresh()).isTrue();
                statements.clear();

                for (int i = 0; i < 100; i++) {
                    assertThat(active.refresh()).isFalse();
                }

                assertThat(statements).as("two small reads a poll").hasSize(200)
                        .noneMatch(sql -> sql.contains("release_rules") || sql.contains("blobs") || sql.contains("FROM overrides"));
                overrides.add("a", new OverrideChange.Disable());
                assertThat(active.refresh()).as("an override changed: rebuilt").isTrue();
                assertThat(active.holder().current().rules()).extracting(r -> r.id()).containsExactly("b");
            }
        }
    }

    private static void awaitRelease(KnowledgeHolder holder, String releaseId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!holder.current().releaseId().equals(releaseId) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(holder.current().releaseId()).isEqualTo(releaseId);
    }
}
