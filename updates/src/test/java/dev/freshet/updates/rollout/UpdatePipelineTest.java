package dev.freshet.updates.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.updates.TestParts;
import dev.freshet.updates.events.Event;
import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.gate.GateReport;
import dev.freshet.updates.policy.UpdatePolicy;
import dev.freshet.updates.release.Activation;
import dev.freshet.updates.release.Fixtures;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.sources.LocalDirectorySource;
import dev.freshet.updates.sources.SourceRegistry;
import dev.freshet.updates.sources.SourceSettings;
import dev.freshet.updates.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The update road under hostile sources, failures and maintenance windows, on real sources, the
 * real gate and both kinds of store. Every activation goes through the activation service and
 * leaves its event.
 */
@ParameterizedClass
@EnumSource(Database.Kind.class)
class UpdatePipelineTest {
    /** Monday 2026-03-02 10:00 UTC; the test window is Monday 02:00-04:00 UTC. */
    private static final Instant MONDAY_MORNING = Instant.parse("2026-03-02T10:00:00Z");
    private static final UpdatePolicy NIGHTLY = new UpdatePolicy(
            new UpdatePolicy.Updates(true, UpdatePolicy.Approval.AUTOMATIC, UpdatePolicy.Approval.AUTOMATIC),
            List.of(new UpdatePolicy.MaintenanceWindow(List.of("tue"), "02:00", "04:00", "UTC")),
            new UpdatePolicy.Rollback(false, 0, 120));

    @Parameter
    Database.Kind kind;

    private final Fixtures.ManualClock clock = new Fixtures.ManualClock(MONDAY_MORNING);
    @RegisterExtension
    final TestParts parts = new TestParts(() -> kind, clock);

    private Path tmp;
    private Database database;
    private ReleaseStore releases;
    private SourceRegistry registry;
    private EventLog events;

    @BeforeEach
    void open() {
        tmp = parts.dir();
        database = parts.get().database();
        releases = parts.get().releases();
        registry = parts.get().sources();
        events = parts.get().activations().events();
    }

    private Updater updater(UpdatePolicy policy) {
        return parts.updater(policy);
    }

    private Path source(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        registry.add(new LocalDirectorySource(name, dir, SourceSettings.defaults()));
        return dir;
    }

    private static String rule(String id, String pattern) {
        return UpdaterTest.rule(id, pattern);
    }

    private List<String> activeRuleIds() {
        return releases.active().orElseThrow().rules().stream().map(AcceptedRule::id).toList();
    }

    private List<EventType> eventTypes() {
        return events.after(0, 100).stream().map(Event::type).toList();
    }

    @Test
    void aSourceNestedTwoHundredThousandLevelsIsRefusedAndTheOtherSourcesChangeIsReleased() throws IOException {
        Path good = source("good");
        Path hostile = source("hostile");
        Files.writeString(good.resolve("eval.yaml"), rule("no-eval", "eval(...)"));
        Files.writeString(hostile.resolve("exec.yaml"), rule("no-exec", "exec(...)"));
        Updater updater = updater(UpdatePolicy.DEFAULT);
        assertThat(updater.check(Trigger.USER).activation()).isPresent();

        Files.writeString(hostile.resolve("exec.yaml"), "rules: " + "[".repeat(200_000) + "]".repeat(200_000) + "\n");
        Files.writeString(good.resolve("pickle.yaml"), rule("no-pickle", "pickle.loads(...)"));
        Updater.CheckResult result = updater.check(Trigger.SCHEDULE);

        assertThat(result.activation()).as("the good source's change goes live").isPresent();
        assertThat(activeRuleIds()).as("the hostile source keeps its rules from the active release")
                .containsExactly("no-eval", "no-exec", "no-pickle");
        Updater.SourceOutcome refused = result.sources().stream().filter(o -> o.source().equals("hostile")).findFirst().orElseThrow();
        assertThat(refused.status()).isEqualTo(Updater.SourceStatus.FAILED);
        assertThat(refused.error()).contains("exec.yaml:1").contains("nested deeper than 100 levels")
                .contains("kept its 1 rule(s) from the active release");
        assertThat(registry.find("hostile").orElseThrow().lastError()).contains(refused.error());
        assertThat(registry.find("good").orElseThrow().lastError()).isEmpty();
        assertThat(result.release().orElseThrow().report().failedSources())
                .containsExactly(new GateReport.SourceFailure("hostile", "exec.yaml:1: collections nested deeper than 100 levels", 1));
        assertThat(eventTypes()).containsSubsequence(EventType.RELEASE_ACTIVATED, EventType.SOURCE_REFUSED, EventType.RELEASE_ACTIVATED);

        // Stored with the release, the refusal reads back the same.
        assertThat(releases.find(result.release().orElseThrow().id()).orElseThrow().report().failedSources())
                .isEqualTo(result.release().orElseThrow().report().failedSources());
    }

    @Test
    void anOversizedRuleFileFailsItsSourceWithTheReasonInsteadOfBeingLeftOut() throws IOException {
        Path dir = source("big");
        Files.writeString(dir.resolve("eval.yaml"), rule("no-eval", "eval(...)"));
        Updater updater = updater(UpdatePolicy.DEFAULT);
        assertThat(updater.check(Trigger.USER).activation()).isPresent();
        String revision = registry.find("big").orElseThrow().lastRevision().orElseThrow();

        Files.write(dir.resolve("huge.yaml"), new byte[2 * 1024 * 1024 + 1]);
        Updater.CheckResult result = updater.check(Trigger.USER);

        assertThat(result.sources()).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Updater.SourceStatus.FAILED);
            assertThat(o.error()).contains("huge.yaml has 2097153 bytes, over the limit of 2097152 bytes");
        });
        SourceRegistry.Entry entry = registry.find("big").orElseThrow();
        assertThat(entry.lastRevision()).as("the failed content is not taken as seen").contains(revision);
        assertThat(entry.lastError().orElseThrow()).contains("huge.yaml");
        assertThat(activeRuleIds()).containsExactly("no-eval");
    }

    @Test
    void whenTheOnlySourceFailsOnItsFirstCheckNoEmptyReleaseBecomesActive() throws IOException {
        Path dir = source("only");
        Files.writeString(dir.resolve("exec.yaml"), "rules: " + "[".repeat(1_000) + "]".repeat(1_000) + "\n");

        Updater.CheckResult result = updater(UpdatePolicy.DEFAULT).check(Trigger.USER);

        assertThat(result.release()).isEmpty();
        assertThat(result.activation()).isEmpty();
        assertThat(result.notReleased()).hasValueSatisfying(why -> assertThat(why).contains("no rules"));
        assertThat(releases.active()).isEmpty();
        assertThat(releases.list()).isEmpty();
        assertThat(eventTypes()).containsExactly(EventType.SOURCE_REFUSED, EventType.EMPTY_CANDIDATE_REFUSED);
    }

    @Test
    void aReleaseHeldForTheMaintenanceWindowGoesLiveWhenTheWindowOpens() throws IOException {
        Path dir = source("local");
        Files.writeString(dir.resolve("eval.yaml"), rule("no-eval", "eval(...)"));
        Updater updater = updater(NIGHTLY);
        Release first = releases.create(List.of(), new GateReport(List.of()));
        parts.get().activations().activate(first.id(), Trigger.USER, "baseline");

        Updater.CheckResult held = updater.check(Trigger.SCHEDULE);
        assertThat(held.decision()).contains(UpdatePolicy.Decision.WAIT_FOR_WINDOW);
        assertThat(updater.activateHeld(Trigger.SCHEDULE)).as("Monday: the window is closed").isEmpty();

        clock.set(Instant.parse("2026-03-03T02:00:30Z"));
        Optional<Activation> opened = updater.activateHeld(Trigger.SCHEDULE);

        assertThat(opened).hasValueSatisfying(a -> {
            assertThat(a.releaseId()).isEqualTo(held.release().orElseThrow().id());
            assertThat(a.trigger()).isEqualTo(Trigger.SCHEDULE);
        });
        assertThat(activeRuleIds()).containsExactly("no-eval");
        assertThat(parts.get().pending().pending()).as("resolved with the activation").isEmpty();
        assertThat(updater.activateHeld(Trigger.SCHEDULE)).as("nothing held any more").isEmpty();
        Event last = events.after(0, 100).getLast();
        assertThat(last.type()).isEqualTo(EventType.RELEASE_ACTIVATED);
        assertThat(last.releaseId()).isEqualTo(held.release().orElseThrow().id());
        assertThat(last.previousReleaseId()).isEqualTo(first.id());
        assertThat(last.payload()).containsEntry("trigger", "SCHEDULE");
    }

    @Test
    void activatingAndRollingBackSettlePendingUpdatesAndAppendOneEventEach() throws IOException {
        Path dir = source("local");
        Files.writeString(dir.resolve("eval.yaml"), rule("no-eval", "eval(...)"));
        Updater updater = updater(NIGHTLY);
        Release baseline = releases.create(List.of(), new GateReport(List.of()));
        ActivationService activations = parts.get().activations();
        activations.activate(baseline.id(), Trigger.USER, "baseline");
        Release waiting = updater.check(Trigger.SCHEDULE).release().orElseThrow();
        PendingUpdates pending = parts.get().pending();
        assertThat(pending.pending()).hasSize(1);

        Activation applied = activations.activate(waiting.id().substring(0, 10), Trigger.USER, "applied by hand");
        Activation again = activations.activate(waiting.id(), Trigger.USER, "twice");
        Activation back = activations.rollback(Optional.empty(), Trigger.USER, "changed my mind");

        assertThat(pending.pending()).isEmpty();
        assertThat(again).as("already live: no new row").isEqualTo(applied);
        assertThat(back.releaseId()).isEqualTo(baseline.id());
        List<Event> log = events.after(0, 100);
        assertThat(log).extracting(Event::type).containsExactly(EventType.RELEASE_CREATED, EventType.RELEASE_ACTIVATED,
                EventType.RELEASE_CREATED, EventType.UPDATE_HELD, EventType.RELEASE_ACTIVATED, EventType.RELEASE_ROLLED_BACK);
        assertThat(log).extracting(Event::id).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(log.get(5).severity()).isEqualTo(EventType.Severity.WARNING);
        assertThat(log.get(5).payload()).containsEntry("reason", "changed my mind").containsEntry("seq", 3);
        assertThat(releases.latestSeq()).isEqualTo(3);
    }
}
