package dev.freshet.updates.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.updates.TestParts;
import dev.freshet.updates.billing.LedgerEntry;
import dev.freshet.updates.events.Event;
import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** A request that cannot be made is given up after {@link CustomRules#MAX_CLAIMS} attempts and refunded; a follow-up scan is queued once. */
@ParameterizedClass
@EnumSource(Database.Kind.class)
class CustomRulesAttemptsTest {
    private static final Duration SHORT = Duration.ofMillis(300);

    @Parameter
    Database.Kind kind;
    @RegisterExtension
    final TestParts parts = new TestParts(() -> kind);
    @TempDir
    Path temp;

    private CustomRules rules;

    @BeforeEach
    void wire() {
        rules = CustomRulesWorkersTest.wired(parts.get());
    }

    private CustomRules.Status await(String requestId, String state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            CustomRules.Status status = rules.status("acme", requestId, false).orElseThrow();
            if (status.state().equals(state)) {
                return status;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("request " + requestId + " not " + state + " in time");
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
            }
        }
        return to;
    }

    private static void delete(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    private List<Event> events(EventType type) {
        return new EventLog(parts.get().database().jdbi()).after(0, 500).stream().filter(e -> e.type() == type).toList();
    }

    @Test
    void aRequestThatFailsOnEveryAttemptIsGivenUpRefundedAndItsScanNotQueued() throws Exception {
        Path project = copy(CustomRulesTest.SHOP, temp.resolve("shop"));
        CustomRules.FollowUpScan scan = new CustomRules.FollowUpScan(project, "own-bucket");
        rules.accept(new CustomRules.Request(Optional.of("r1"), "acme", project, 3, Optional.empty(), Optional.of(scan)));
        assertThat(parts.get().credits().balance("acme")).isEqualTo(40 - 3);
        delete(project); // the project is gone before its rules are made: every attempt fails

        AtomicInteger scansQueued = new AtomicInteger();
        try (GenerationWorkers workers = new GenerationWorkers(rules, 1, (t, s) -> "scan-" + scansQueued.incrementAndGet(), "node-a", SHORT)) {
            workers.start();
            CustomRules.Status failed = await("r1", "failed");
            assertThat(failed.failure()).startsWith("given up after " + CustomRules.MAX_CLAIMS + " attempts; the last: ")
                    .endsWith("the project " + project + " no longer exists");
            assertThat(failed.finishedAt()).isNotNull();
            assertThat(failed.result().rules()).as("no rule was made").isEmpty();
            assertThat(failed.result().charges()).isEqualTo(new CustomRules.Charges(3, 0, 3, 0));
            assertThat(failed.scanId()).startsWith("not queued:");
        }
        assertThat(scansQueued).hasValue(0);
        assertThat(parts.get().credits().balance("acme")).as("the processing fee came back").isEqualTo(40);
        assertThat(parts.get().credits().entriesOf("r1")).extracting(LedgerEntry::kind)
                .containsExactly(LedgerEntry.Kind.PROCESSING, LedgerEntry.Kind.GRANT);
        assertThat(events(EventType.CUSTOM_RULES_FAILED)).singleElement()
                .satisfies(e -> assertThat(e.payload()).containsEntry("request", "r1").containsEntry("refunded", 3));
        assertThat(events(EventType.CUSTOM_RULES_GENERATED)).isEmpty();
        assertThat(rules.claimable()).isEmpty();
        assertThat(rules.claim("r1", "node-b", SHORT)).as("given up, never claimed again").isEmpty();
        assertThat(rules.finish("r1").failure()).isEqualTo(rules.status("acme", "r1", false).orElseThrow().failure());
        assertThat(parts.get().credits().balance("acme")).as("refunded once").isEqualTo(40);
    }

    @Test
    void whileItIsRetriedItsStatusSaysWhyTheLastAttemptFailed() throws Exception {
        Path project = copy(CustomRulesTest.SHOP, temp.resolve("shop"));
        rules.accept(new CustomRules.Request(Optional.of("r1"), "acme", project, 1, Optional.empty()));
        delete(project);
        CustomRules.Claim claim = rules.claim("r1", "node-a", Duration.ofMinutes(2)).orElseThrow();
        try {
            rules.finish(claim);
        } catch (IOException expected) {
            rules.failed(claim, expected.getMessage());
        }
        CustomRules.Status retried = rules.status("acme", "r1", false).orElseThrow();
        assertThat(retried.state()).isEqualTo("accepted");
        assertThat(retried.failure()).contains(project.getFileName().toString());
    }

    @Test
    void aRequestThatSucceedsOnALaterAttemptIsDoneWithoutAFailure() throws Exception {
        rules.accept(new CustomRules.Request(Optional.of("r1"), "acme", CustomRulesTest.SHOP, 1, Optional.empty()));
        CustomRules.Claim first = rules.claim("r1", "node-a", Duration.ofMillis(1)).orElseThrow();
        rules.failed(first, "the model server did not answer");
        Thread.sleep(20);
        CustomRules.Result result = rules.finish("r1"); // the second attempt
        assertThat(result.failure()).isNull();
        assertThat(rules.status("acme", "r1", false).orElseThrow()).satisfies(s -> {
            assertThat(s.state()).isEqualTo("done");
            assertThat(s.failure()).isNull();
        });
    }

    @Test
    void ofTwoNodesOnlyOneQueuesTheFollowUpScan() throws Exception {
        CustomRules.FollowUpScan scan = new CustomRules.FollowUpScan(CustomRulesTest.SHOP, "own-bucket");
        List<String> ids = List.of("r1", "r2", "r3");
        for (String id : ids) {
            rules.accept(new CustomRules.Request(Optional.of(id), "acme", CustomRulesTest.SHOP, 1, Optional.empty(), Optional.of(scan)));
        }
        AtomicInteger scansQueued = new AtomicInteger();
        GenerationWorkers.FollowUp queue = (t, s) -> "scan-" + scansQueued.incrementAndGet();
        try (GenerationWorkers a = new GenerationWorkers(rules, 2, queue, "node-a", Duration.ofMinutes(2));
             GenerationWorkers b = new GenerationWorkers(rules, 2, queue, "node-b", Duration.ofMinutes(2))) {
            a.start();
            b.start();
            for (int round = 0; round < 3; round++) { // both nodes are told of every request, again and again
                ids.forEach(a::submit);
                ids.forEach(b::submit);
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (ids.stream().anyMatch(id -> rules.status("acme", id, false).orElseThrow().scanId() == null)
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
        assertThat(ids).allSatisfy(id -> assertThat(rules.status("acme", id, false).orElseThrow().scanId()).startsWith("scan-"));
        assertThat(scansQueued).as("one scan per request").hasValue(ids.size());
        assertThat(rules.claimable()).isEmpty();
    }
}
