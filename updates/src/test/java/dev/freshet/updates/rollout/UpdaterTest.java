package dev.freshet.updates.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.updates.TestParts;
import dev.freshet.updates.events.Event;
import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.policy.UpdatePolicy;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Track;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.sources.LocalDirectorySource;
import dev.freshet.updates.sources.SourceRegistry;
import dev.freshet.updates.sources.SourceSettings;
import dev.freshet.updates.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The whole road on the production parts: a directory source, the real gate, a real store of each kind. */
@ParameterizedClass
@EnumSource(Database.Kind.class)
class UpdaterTest {
    @Parameter
    Database.Kind kind;

    @RegisterExtension
    final TestParts parts = new TestParts(() -> kind);

    private Path tmp;
    private ReleaseStore releases;
    private SourceRegistry registry;

    @BeforeEach
    void open() {
        tmp = parts.dir();
        releases = parts.get().releases();
        registry = parts.get().sources();
    }

    private Updater updater(UpdatePolicy policy) {
        return parts.updater(policy);
    }

    static String rule(String id, String pattern) {
        return """
                rules:
                  - id: %s
                    message: found
                    severity: ERROR
                    languages: [python]
                    metadata:
                      category: security
                    pattern: %s
                """.formatted(id, pattern);
    }

    private Path source(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        registry.add(new LocalDirectorySource(name, dir, SourceSettings.defaults()));
        return dir;
    }

    @Test
    void aChangedSourceBecomesAnActiveReleaseAndAnUnchangedOneDoesNothing() throws IOException {
        Path dir = source("local");
        Files.writeString(dir.resolve("no-eval.yaml"), rule("no-eval", "eval(...)"));
        Updater updater = updater(UpdatePolicy.DEFAULT);

        Updater.CheckResult first = updater.check(Trigger.USER);
        assertThat(first.activation()).isPresent();
        assertThat(releases.active().map(Release::rules).orElseThrow()).extracting(r -> r.id()).containsExactly("no-eval");

        Updater.CheckResult again = updater.check(Trigger.SCHEDULE);
        assertThat(again.changed()).isFalse();
        assertThat(again.sources()).extracting(Updater.SourceOutcome::status).containsExactly(Updater.SourceStatus.UNCHANGED);

        Files.writeString(dir.resolve("no-exec.yaml"), rule("no-exec", "exec(...)"));
        Updater.CheckResult second = updater.check(Trigger.SCHEDULE);
        assertThat(second.release().orElseThrow().diff().added()).extracting(r -> r.ruleId()).containsExactly("no-exec");
        assertThat(releases.active().orElseThrow().rules()).hasSize(2);
        assertThat(releases.history()).hasSize(2);
    }

    @Test
    void aPolicyWithARolloutPlanRollsAnUpdateOutInsteadOfActivatingIt() throws IOException {
        Path dir = source("local");
        Files.writeString(dir.resolve("no-eval.yaml"), rule("no-eval", "eval(...)"));
        UpdatePolicy policy = new UpdatePolicy(UpdatePolicy.DEFAULT.updates(), List.of(), UpdatePolicy.DEFAULT.rollback(),
                new UpdatePolicy.RolloutSettings(List.of("shadow", "100"), 60L, null, null, null, null, null, null, null));
        Updater updater = updater(policy);
        Release first = updater.check(Trigger.USER).release().orElseThrow();
        assertThat(releases.active().map(Release::id)).as("nothing to compare with: the first release is live at once").contains(first.id());

        Files.writeString(dir.resolve("no-exec.yaml"), rule("no-exec", "exec(...)"));
        Updater.CheckResult second = updater.check(Trigger.SCHEDULE);
        assertThat(second.activation()).isEmpty();
        assertThat(releases.active().map(Release::id)).contains(first.id());
        RolloutEngine engine = parts.get().rollouts();
        Rollout rollout = engine.unfinished(Track.RULES).orElseThrow();
        assertThat(rollout.releaseId()).isEqualTo(second.release().orElseThrow().id());
        assertThat(rollout.stepName()).isEqualTo("shadow");

        Files.writeString(dir.resolve("no-system.yaml"), rule("no-system", "os.system(...)"));
        Updater.CheckResult third = updater.check(Trigger.SCHEDULE);
        assertThat(third.release()).as("stored while the rollout is under way").isPresent();
        assertThat(engine.unfinished(Track.RULES).orElseThrow().id()).isEqualTo(rollout.id());
    }

    @Test
    void oneUpdateCanSkipThePolicysPlanOrFollowItsOwnSteps() throws IOException {
        Path dir = source("local");
        Files.writeString(dir.resolve("no-eval.yaml"), rule("no-eval", "eval(...)"));
        UpdatePolicy policy = new UpdatePolicy(UpdatePolicy.DEFAULT.updates(), List.of(), UpdatePolicy.DEFAULT.rollback(),
                new UpdatePolicy.RolloutSettings(List.of("shadow", "100"), 60L, 7, null, null, null, null, null, null));
        Updater updater = updater(policy);
        updater.check(Trigger.USER);

        Files.writeString(dir.resolve("no-exec.yaml"), rule("no-exec", "exec(...)"));
        Updater.CheckResult immediate = updater.check(Trigger.USER, PlanOverride.of(true, null, null));
        assertThat(immediate.activation()).as("--immediate skips the policy's plan").isPresent();
        assertThat(releases.active().map(Release::id)).contains(immediate.release().orElseThrow().id());
        RolloutEngine engine = parts.get().rollouts();
        assertThat(engine.unfinished(Track.RULES)).isEmpty();

        Files.writeString(dir.resolve("no-system.yaml"), rule("no-system", "os.system(...)"));
        Updater.CheckResult stepped = updater.check(Trigger.USER, PlanOverride.of(false, "5, 50,100", "10m"));
        assertThat(stepped.activation()).isEmpty();
        Rollout rollout = engine.unfinished(Track.RULES).orElseThrow();
        assertThat(rollout.releaseId()).isEqualTo(stepped.release().orElseThrow().id());
        assertThat(rollout.plan().steps()).containsExactly("5", "50", "100");
        assertThat(rollout.plan().intervalSeconds()).isEqualTo(600);
        assertThat(rollout.plan().failureLimit()).as("the policy's thresholds stay").isEqualTo(7);
    }

    @Test
    void aBadOverrideIsRefusedNamingWhatIsWrong() {
        assertThat(PlanOverride.of(false, null, null)).isSameAs(PlanOverride.POLICY);
        assertThatThrownBy(() -> PlanOverride.of(true, "shadow,100", null)).hasMessageContaining("immediate skips the rollout");
        assertThatThrownBy(() -> PlanOverride.of(false, null, "10m")).hasMessageContaining("an interval needs rollout steps");
        assertThatThrownBy(() -> PlanOverride.of(false, "5,50", null)).hasMessage("rollout steps must end at 100, not [5, 50]");
        assertThatThrownBy(() -> PlanOverride.of(false, "50,5,100", null)).hasMessageContaining("must grow");
        assertThatThrownBy(() -> PlanOverride.of(false, "shadow,100", "ten minutes")).hasMessageContaining("interval 'ten minutes'");
        assertThatThrownBy(() -> PlanOverride.of(false, "shadow,100", "0s")).hasMessageContaining("positive");
    }

    @Test
    void brokenRulesAreRejectedWithoutStoppingTheOthers() throws IOException {
        Path dir = source("local");
        Files.writeString(dir.resolve("good.yaml"), rule("good", "eval(...)"));
        Files.writeString(dir.resolve("bad.yaml"), rule("bad", "eval((("));
        Release release = updater(UpdatePolicy.DEFAULT).check(Trigger.USER).release().orElseThrow();
        assertThat(release.rules()).extracting(r -> r.id()).containsExactly("good");
        assertThat(release.report().verdicts()).anySatisfy(v -> {
            assertThat(v.ruleId()).isEqualTo("bad");
            assertThat(v.outcome().name()).isEqualTo("REJECTED");
        });
    }

    @Test
    void aFailedPostActivationCheckRollsBackAutomatically() throws IOException {
        Path dir = source("local");
        Files.writeString(dir.resolve("a.yaml"), rule("a", "eval(...)"));
        Updater updater = updater(UpdatePolicy.DEFAULT);
        Release first = updater.check(Trigger.USER).release().orElseThrow();

        Files.writeString(dir.resolve("b.yaml"), rule("b", "exec(...)"));
        parts.failPostActivationCheck("3 scan errors");
        Updater.CheckResult result = updater.check(Trigger.SCHEDULE);
        assertThat(result.automaticRollback()).isPresent();
        assertThat(result.automaticRollback().get().trigger()).isEqualTo(Trigger.AUTOMATIC);
        assertThat(releases.active().map(Release::id)).contains(first.id());
    }

    private List<EventType> eventTypes() {
        return new EventLog(parts.get().database().jdbi()).after(0, 1000).stream().map(Event::type).toList();
    }

    private static UpdatePolicy withRollbackAndTesting(UpdatePolicy.Rollback rollback, UpdatePolicy.Testing testing) {
        UpdatePolicy d = UpdatePolicy.DEFAULT;
        return new UpdatePolicy(d.updates(), d.maintenanceWindows(), rollback, null, null, testing, null);
    }

    @Test
    void afterMaxRollbackAttemptsAutomaticRollbacksInARowUpdatesWaitForApproval() throws IOException {
        Path dir = source("local");
        Files.writeString(dir.resolve("a.yaml"), rule("a", "eval(...)"));
        Updater updater = updater(withRollbackAndTesting(new UpdatePolicy.Rollback(true, 0, 120, 30, 2), null));
        updater.check(Trigger.USER);
        parts.failPostActivationCheck("scan errors");
        for (String next : List.of("b", "c")) {
            Files.writeString(dir.resolve(next + ".yaml"), rule(next, next + "(...)"));
            assertThat(updater.check(Trigger.SCHEDULE).automaticRollback()).isPresent();
        }
        Files.writeString(dir.resolve("d.yaml"), rule("d", "d(...)"));
        Updater.CheckResult third = updater.check(Trigger.SCHEDULE);
        assertThat(third.decision()).contains(UpdatePolicy.Decision.WAIT_FOR_APPROVAL);
        assertThat(third.activation()).isEmpty();
        assertThat(eventTypes()).contains(EventType.RELEASE_CREATED, EventType.RELEASE_ROLLED_BACK).endsWith(EventType.UPDATE_HELD);
    }

    @Test
    void preUpdateTestsKeepAFailingReleaseFromGoingLive() throws IOException {
        Path dir = source("local");
        Files.writeString(dir.resolve("a.yaml"), rule("a", "eval(...)"));
        Updater updater = updater(withRollbackAndTesting(UpdatePolicy.DEFAULT.rollback(), new UpdatePolicy.Testing(true, true, 10)));
        Release first = updater.check(Trigger.USER).activation().map(a -> releases.find(a.releaseId()).orElseThrow()).orElseThrow();
        Files.writeString(dir.resolve("b.yaml"), rule("b", "exec(...)"));
        parts.failPostActivationCheck("2 scan errors");
        Updater.CheckResult result = updater.check(Trigger.SCHEDULE);
        assertThat(result.activation()).isEmpty();
        assertThat(result.notReleased()).contains("pre-update tests failed: 2 scan errors");
        assertThat(releases.active().map(Release::id)).contains(first.id());
        assertThat(releases.history()).hasSize(1);
        assertThat(eventTypes()).endsWith(EventType.PRE_UPDATE_TESTS_FAILED);
    }

    @Test
    void withoutPostUpdateValidationAFailingCheckRollsNothingBack() throws IOException {
        Path dir = source("local");
        Files.writeString(dir.resolve("a.yaml"), rule("a", "eval(...)"));
        Updater updater = updater(withRollbackAndTesting(UpdatePolicy.DEFAULT.rollback(), new UpdatePolicy.Testing(false, false, 10)));
        updater.check(Trigger.USER);
        Files.writeString(dir.resolve("b.yaml"), rule("b", "exec(...)"));
        parts.failPostActivationCheck("3 scan errors");
        Updater.CheckResult result = updater.check(Trigger.SCHEDULE);
        assertThat(result.activation()).isPresent();
        assertThat(result.automaticRollback()).isEmpty();
    }

    @Test
    void updatesNeedingApprovalWaitAndLeaveTheActiveReleaseAlone() throws IOException {
        Path dir = source("local");
        Files.writeString(dir.resolve("a.yaml"), rule("a", "eval(...)"));
        UpdatePolicy approvalOnly = new UpdatePolicy(new UpdatePolicy.Updates(true, UpdatePolicy.Approval.APPROVAL,
                UpdatePolicy.Approval.APPROVAL), List.of(), UpdatePolicy.DEFAULT.rollback());
        Updater.CheckResult result = updater(approvalOnly).check(Trigger.SCHEDULE);
        assertThat(result.decision()).contains(UpdatePolicy.Decision.WAIT_FOR_APPROVAL);
        assertThat(result.activation()).isEmpty();
        assertThat(releases.active()).isEmpty();
        assertThat(releases.list()).hasSize(1);
        assertThat(parts.get().pending().pending()).singleElement()
                .satisfies(p -> assertThat(p.reason()).isEqualTo("WAIT_FOR_APPROVAL"));
    }

    @Test
    void anUnreachableSourceIsReportedAndTheOthersStillUpdate() throws IOException {
        Path good = source("good");
        Files.writeString(good.resolve("a.yaml"), rule("a", "eval(...)"));
        registry.add(new LocalDirectorySource("gone", tmp.resolve("does-not-exist"), SourceSettings.defaults()));
        Updater.CheckResult result = updater(UpdatePolicy.DEFAULT).check(Trigger.USER);
        assertThat(result.sources()).anySatisfy(o -> {
            assertThat(o.source()).isEqualTo("gone");
            assertThat(o.status()).isEqualTo(Updater.SourceStatus.FAILED);
            assertThat(o.error()).contains("gone");
        });
        assertThat(releases.active().orElseThrow().rules()).extracting(r -> r.id()).containsExactly("a");
        assertThat(registry.find("gone").orElseThrow().lastError()).isPresent();
    }

    @Test
    void theBetaChannelAlsoTakesRulesFromTheBetaFolder() throws IOException {
        Path stable = source("stable-only");
        Files.writeString(stable.resolve("a.yaml"), rule("a", "eval(...)"));
        Files.createDirectories(stable.resolve("beta"));
        Files.writeString(stable.resolve("beta/b.yaml"), rule("b", "exec(...)"));
        Updater updater = updater(UpdatePolicy.DEFAULT);
        assertThat(updater.check(Trigger.USER).release().orElseThrow().rules()).extracting(r -> r.id()).containsExactly("a");

        registry.update(registry.find("stable-only").orElseThrow().source().withSettings(
                new SourceSettings(dev.freshet.updates.sources.Channel.BETA, SourceSettings.HOURLY, 0, true, false)));
        assertThat(updater.check(Trigger.USER).release().orElseThrow().rules()).extracting(r -> r.id()).containsExactly("a", "b");
    }
}
