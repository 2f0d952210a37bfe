package dev.freshet.updates.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.updates.community.FeedbackPolicy;
import dev.freshet.updates.rollout.RolloutPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpdatePolicyTest {
    @TempDir
    Path dir;

    private UpdatePolicy read(String toml) throws IOException {
        Path file = dir.resolve("policy.toml");
        Files.writeString(file, toml);
        return UpdatePolicy.read(file);
    }

    @Test
    void securityUpdatesApplyInsideTheWindowOthersWaitForApproval() throws IOException {
        UpdatePolicy policy = read("""
                [updates]
                automatic = true
                security = "automatic"
                others = "approval"

                [[maintenance_windows]]
                days = ["sat", "sun"]
                start = "02:00"
                end = "04:00"
                time_zone = "Europe/Berlin"
                """);
        Instant saturdayInWindow = Instant.parse("2026-11-21T02:30:00Z"); // 03:30 in Berlin
        Instant saturdayAfter = Instant.parse("2026-11-21T05:00:00Z");
        Instant monday = Instant.parse("2026-11-23T02:30:00Z");
        assertThat(policy.decide(saturdayInWindow, true)).isEqualTo(UpdatePolicy.Decision.APPLY);
        assertThat(policy.decide(saturdayAfter, true)).isEqualTo(UpdatePolicy.Decision.WAIT_FOR_WINDOW);
        assertThat(policy.decide(monday, true)).isEqualTo(UpdatePolicy.Decision.WAIT_FOR_WINDOW);
        assertThat(policy.decide(saturdayInWindow, false)).isEqualTo(UpdatePolicy.Decision.WAIT_FOR_APPROVAL);
    }

    @Test
    void windowsCrossingMidnightBelongToTheDayTheyStart() throws IOException {
        UpdatePolicy policy = read("""
                [[maintenance_windows]]
                days = ["fri"]
                start = "23:00"
                end = "01:00"
                time_zone = "UTC"
                """);
        assertThat(policy.decide(Instant.parse("2026-11-20T23:30:00Z"), true)).isEqualTo(UpdatePolicy.Decision.APPLY);
        assertThat(policy.decide(Instant.parse("2026-11-21T00:30:00Z"), true)).isEqualTo(UpdatePolicy.Decision.APPLY);
        assertThat(policy.decide(Instant.parse("2026-11-21T23:30:00Z"), true)).isEqualTo(UpdatePolicy.Decision.WAIT_FOR_WINDOW);
    }

    @Test
    void feedbackKeysOverrideTheirDefaultsAndBadValuesAreRefusedByName() throws IOException {
        UpdatePolicy policy = read("[feedback]\nmin_feedback_threshold = 25\nconfidence_threshold = 0.95\nanonymous_tenants = [\"public\"]\n");
        assertThat(policy.feedback().minFeedbackThreshold()).isEqualTo(25);
        assertThat(policy.feedback().confidenceThreshold()).isEqualTo(0.95);
        assertThat(policy.feedback().precisionFloor()).isEqualTo(FeedbackPolicy.DEFAULT.precisionFloor());
        assertThat(policy.feedback().allowsAnonymous("public")).isTrue();
        assertThat(read("[rollback]\nautomatic = true\nmax_scan_errors = 0\nmax_scan_seconds = 60\n").feedback())
                .isEqualTo(FeedbackPolicy.DEFAULT);
        assertThatThrownBy(() -> read("[feedback]\nconfidence_threshold = 1.5\n")).hasMessageContaining("confidence_threshold");
        assertThatThrownBy(() -> read("[feedback]\nauto_approve_kinds = [\"everything\"]\n")).hasMessageContaining("unknown contribution kind");
        assertThatThrownBy(() -> read("[feedback]\nmin_feedbak_threshold = 3\n")).hasMessageContaining("min_feedbak_threshold");
    }

    @Test
    void missingSectionsTakeDefaults() throws IOException {
        UpdatePolicy policy = read("[rollback]\nautomatic = false\nmax_scan_errors = 2\nmax_scan_seconds = 30\n");
        assertThat(policy.updates()).isEqualTo(UpdatePolicy.DEFAULT.updates());
        assertThat(policy.rollback().automatic()).isFalse();
        assertThat(policy.decide(Instant.now(), true)).isEqualTo(UpdatePolicy.Decision.APPLY);
        assertThat(policy.decide(Instant.now(), false)).isEqualTo(UpdatePolicy.Decision.APPLY);
    }

    @Test
    void badFilesFailWithOneClearMessage() {
        assertThatThrownBy(() -> read("[updates]\nautomatc = true\n")).hasMessageContaining("policy.toml").hasMessageContaining("automatc");
        assertThatThrownBy(() -> read("[updates\n")).hasMessageContaining("not valid TOML");
        assertThatThrownBy(() -> read("[[maintenance_windows]]\ndays=[\"someday\"]\nstart=\"02:00\"\nend=\"03:00\"\ntime_zone=\"UTC\"\n"))
                .hasMessageContaining("unknown day 'someday'");
        assertThatThrownBy(() -> read("[[maintenance_windows]]\ndays=[\"mon\"]\nstart=\"2am\"\nend=\"03:00\"\ntime_zone=\"UTC\"\n"))
                .hasMessageContaining("times like 02:00");
        assertThatThrownBy(() -> read("[[maintenance_windows]]\ndays=[\"mon\"]\nstart=\"02:00\"\nend=\"03:00\"\ntime_zone=\"Mars/Base\"\n"))
                .hasMessageContaining("unknown time zone");
        assertThatThrownBy(() -> read("[updates]\nsecurity = \"sometimes\"\n")).hasMessageContaining("policy.toml");
    }

    @Test
    void theDesignsRollbackTestingAndNotificationKeysAreRead() throws IOException {
        UpdatePolicy policy = read("""
                [rollback]
                automatic = true
                rollback_timeout_minutes = 15
                max_rollback_attempts = 2
                [testing]
                pre_update_tests = true
                post_update_validation = false
                test_timeout_minutes = 5
                [notifications]
                webhook_urls = ["https://hooks.example.com/freshet"]
                email_recipients = ["secops@example.com"]
                security_alert_immediate = false
                digest = "daily"
                min_severity = "warning"
                event_types = ["feed_stale", "ROLLOUT_ROLLED_BACK"]
                smtp_host = "smtp.example.com"
                smtp_from = "freshet@example.com"
                """);
        assertThat(policy.rollback().rollbackTimeout()).isEqualTo(java.time.Duration.ofMinutes(15));
        assertThat(policy.rollback().maxRollbackAttempts()).isEqualTo(2);
        assertThat(policy.testing()).isEqualTo(new UpdatePolicy.Testing(true, false, 5));
        assertThat(policy.notifications().routing()).isEqualTo(new dev.freshet.updates.notify.Routing(false,
                dev.freshet.updates.notify.Routing.Digest.DAILY, dev.freshet.updates.events.EventType.Severity.WARNING,
                java.util.Set.of(dev.freshet.updates.events.EventType.FEED_STALE, dev.freshet.updates.events.EventType.ROLLOUT_ROLLED_BACK)));
        assertThat(read("[updates]\nautomatic = true\n").testing()).isEqualTo(UpdatePolicy.Testing.DEFAULT);
    }

    @Test
    void badNotificationAndTestingKeysFailWithOneClearMessage() {
        assertThatThrownBy(() -> read("[notifications]\nwebhook_url = [\"https://x\"]\n")).hasMessageContaining("webhook_url");
        assertThatThrownBy(() -> read("[notifications]\nwebhook_urls = [\"ftp://x/y\"]\n")).hasMessageContaining("not an absolute http(s) URL");
        assertThatThrownBy(() -> read("[notifications]\nevent_types = [\"NO_SUCH\"]\n")).hasMessageContaining("unknown event type 'NO_SUCH'");
        assertThatThrownBy(() -> read("[notifications]\nemail_recipients = [\"a@example.com\"]\n")).hasMessageContaining("needs smtp_host");
        assertThatThrownBy(() -> read("[notifications]\ndigest = \"weekly\"\n")).hasMessageContaining("policy.toml");
        assertThatThrownBy(() -> read("[testing]\ntest_timeout_minutes = 0\n"))
                .hasMessageEndingWith("[testing] test_timeout_minutes must be 1 or more, not 0");
        assertThatThrownBy(() -> read("[rollback]\nmax_rollback_attempt = 2\n")).hasMessageContaining("max_rollback_attempt");
    }

    @Test
    void aRolloutSectionGivesAPlanWithDefaultsForWhatItLeavesOut() throws IOException {
        assertThat(read("[updates]\nautomatic = true\n").rolloutPlan()).as("no section: live at once").isEmpty();
        var plan = read("""
                [rollout]
                steps = ["shadow", "50", "100"]
                interval_seconds = 30
                inconclusive = "wait"
                """).rolloutPlan().orElseThrow();
        assertThat(plan.steps()).containsExactly("shadow", "50", "100");
        assertThat(plan.interval()).hasSeconds(30);
        assertThat(plan.inconclusive()).isEqualTo(RolloutPlan.Inconclusive.WAIT);
        assertThat(plan.failureLimit()).isEqualTo(RolloutPlan.DEFAULT.failureLimit());
    }

    @Test
    void aRolloutPlanThatCannotWorkIsRefusedWhenThePolicyIsRead() {
        for (String steps : List.of("[\"5\", \"50\"]", "[\"50\", \"5\", \"100\"]", "[\"5\", \"shadow\", \"100\"]", "[\"half\", \"100\"]", "[]")) {
            assertThatThrownBy(() -> read("[rollout]\nsteps = " + steps + "\n")).as(steps)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("policy.toml: rollout step");
        }
        assertThatThrownBy(() -> read("[rollout]\nintervall_seconds = 5\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("intervall_seconds");
    }
}
