package dev.freshet.updates.policy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.freshet.updates.community.FeedbackPolicy;
import dev.freshet.updates.notify.NotificationSettings;
import dev.freshet.updates.rollout.RolloutPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * When updates may become active, read from the policy file ({@code policy.toml}):
 *
 * <pre>
 * [updates]
 * automatic = true            # apply updates without a person (within the windows)
 * security = "automatic"      # updates that change security rules: automatic | approval
 * others = "approval"         # all other updates (default: automatic)
 *
 * [[maintenance_windows]]
 * days = ["sat", "sun"]
 * start = "02:00"
 * end = "04:00"
 * time_zone = "Europe/Berlin"
 *
 * [rollback]
 * automatic = true
 * max_scan_errors = 0         # scan failures after an activation that trigger a rollback
 * max_scan_seconds = 120      # a scan slower than this after an activation triggers one too
 * rollback_timeout_minutes = 30  # a post-activation check that fails later than this leaves the release to a person
 * max_rollback_attempts = 3   # automatic rollbacks in a row, then updates wait for approval
 *
 * [testing]
 * pre_update_tests = false    # try a release on the reference corpus before it goes live
 * post_update_validation = true  # ... and after (a failure rolls back when [rollback] automatic)
 * test_timeout_minutes = 10   # a check that takes longer fails
 *
 * [notifications]             # see NotificationSettings
 *
 * [rollout]                   # absent: an update is live for everyone at once
 * steps = ["shadow", "5", "25", "50", "100"]
 * interval_seconds = 600      # see RolloutPlan for every key; the others keep their defaults
 *
 * [feedback]                  # how feedback demotes rules; see FeedbackPolicy for every key
 * min_feedback_threshold = 10
 * confidence_threshold = 0.9
 * </pre>
 *
 * @param rollout  how an update is rolled out, or null to make it live at once
 * @param feedback how feedback puts rules on probation and who may skip review ({@link FeedbackPolicy#DEFAULT} when absent)
 */
public record UpdatePolicy(Updates updates, List<MaintenanceWindow> maintenanceWindows, Rollback rollback,
                           RolloutSettings rollout, FeedbackPolicy feedback, Testing testing, NotificationSettings notifications) {

    public static final UpdatePolicy DEFAULT = new UpdatePolicy(
            new Updates(true, Approval.AUTOMATIC, Approval.AUTOMATIC), List.of(), new Rollback(true, 0, 120));

    public UpdatePolicy {
        feedback = feedback == null ? FeedbackPolicy.DEFAULT : feedback;
        testing = testing == null ? Testing.DEFAULT : testing;
        notifications = notifications == null ? NotificationSettings.NONE : notifications;
    }

    public UpdatePolicy(Updates updates, List<MaintenanceWindow> maintenanceWindows, Rollback rollback) {
        this(updates, maintenanceWindows, rollback, null);
    }

    public UpdatePolicy(Updates updates, List<MaintenanceWindow> maintenanceWindows, Rollback rollback, RolloutSettings rollout) {
        this(updates, maintenanceWindows, rollback, rollout, null, null, null);
    }

    /**
     * {@code [testing]}: whether a release is tried on the reference corpus before it goes live
     * and after, and how long such a check may take.
     */
    public record Testing(Boolean preUpdateTests, Boolean postUpdateValidation, Integer testTimeoutMinutes) {
        public static final Testing DEFAULT = new Testing(false, true, 10);

        public Testing {
            preUpdateTests = preUpdateTests != null && preUpdateTests;
            postUpdateValidation = postUpdateValidation == null || postUpdateValidation;
            testTimeoutMinutes = testTimeoutMinutes == null ? 10 : testTimeoutMinutes;
            if (testTimeoutMinutes < 1) {
                throw new IllegalArgumentException("[testing] test_timeout_minutes must be 1 or more, not " + testTimeoutMinutes);
            }
        }

        public Duration testTimeout() {
            return Duration.ofMinutes(testTimeoutMinutes);
        }
    }

    /** The rollout plan, if the policy has one. */
    public Optional<RolloutPlan> rolloutPlan() {
        return Optional.ofNullable(rollout).map(RolloutSettings::plan);
    }

    /** {@code [rollout]} as written: keys left out take {@link RolloutPlan#DEFAULT}'s values. */
    public record RolloutSettings(List<String> steps, Long intervalSeconds, Integer failureLimit, Integer minScans,
                                  RolloutPlan.Inconclusive inconclusive, Double maxErrorRate, Double maxP95Ratio,
                                  Double maxFindingsRatio, Boolean dryRun) {
        public RolloutPlan plan() {
            RolloutPlan d = RolloutPlan.DEFAULT;
            return new RolloutPlan(steps == null ? d.steps() : steps, or(intervalSeconds, d.intervalSeconds()),
                    or(failureLimit, d.failureLimit()), or(minScans, d.minScans()), or(inconclusive, d.inconclusive()),
                    or(maxErrorRate, d.maxErrorRate()), or(maxP95Ratio, d.maxP95Ratio()), or(maxFindingsRatio, d.maxFindingsRatio()),
                    or(dryRun, d.dryRun()));
        }

        private static <T> T or(T value, T otherwise) {
            return value == null ? otherwise : value;
        }
    }

    public enum Approval { AUTOMATIC, APPROVAL }

    public record Updates(boolean automatic, Approval security, Approval others) {
    }

    /**
     * {@code [rollback]}.
     *
     * @param rollbackTimeoutMinutes how long after an activation a failed check still rolls back automatically
     * @param maxRollbackAttempts    automatic rollbacks in a row after which updates wait for a person's approval
     */
    public record Rollback(boolean automatic, int maxScanErrors, long maxScanSeconds, Integer rollbackTimeoutMinutes,
                           Integer maxRollbackAttempts) {
        public Rollback {
            rollbackTimeoutMinutes = rollbackTimeoutMinutes == null ? 30 : rollbackTimeoutMinutes;
            maxRollbackAttempts = maxRollbackAttempts == null ? 3 : maxRollbackAttempts;
            if (rollbackTimeoutMinutes < 1 || maxRollbackAttempts < 1) {
                throw new IllegalArgumentException("[rollback] rollback_timeout_minutes and max_rollback_attempts must be 1 or more");
            }
        }

        public Rollback(boolean automatic, int maxScanErrors, long maxScanSeconds) {
            this(automatic, maxScanErrors, maxScanSeconds, null, null);
        }

        public Duration maxScanDuration() {
            return Duration.ofSeconds(maxScanSeconds);
        }

        public Duration rollbackTimeout() {
            return Duration.ofMinutes(rollbackTimeoutMinutes);
        }
    }

    /**
     * A weekly window in a time zone; {@code end} before {@code start} means the window crosses
     * midnight (and then belongs to the day it starts on).
     */
    public record MaintenanceWindow(List<String> days, String start, String end, String timeZone) {

        boolean contains(Instant instant) {
            ZonedDateTime local = instant.atZone(ZoneId.of(timeZone));
            LocalTime from = LocalTime.parse(start);
            LocalTime to = LocalTime.parse(end);
            LocalTime now = local.toLocalTime();
            if (!from.isAfter(to)) {
                return covers(local.getDayOfWeek()) && !now.isBefore(from) && now.isBefore(to);
            }
            return covers(local.getDayOfWeek()) && !now.isBefore(from)
                    || covers(local.getDayOfWeek().minus(1)) && now.isBefore(to);
        }

        private boolean covers(DayOfWeek day) {
            String name = day.name().substring(0, 3).toLowerCase(Locale.ROOT);
            return days.isEmpty() || days.stream().anyMatch(d -> d.toLowerCase(Locale.ROOT).startsWith(name));
        }

        void check() {
            for (String day : days) {
                String d = day.toLowerCase(Locale.ROOT);
                if (d.length() < 3 || Arrays.stream(DayOfWeek.values())
                        .noneMatch(w -> w.name().toLowerCase(Locale.ROOT).startsWith(d))) {
                    throw new IllegalArgumentException("unknown day '" + day + "' (use mon, tue, ... sun)");
                }
            }
            try {
                LocalTime.parse(start);
                LocalTime.parse(end);
            } catch (DateTimeParseException | NullPointerException e) {
                throw new IllegalArgumentException("window start and end must be times like 02:00, not '" + start + "'/'" + end + "'");
            }
            try {
                ZoneId.of(timeZone);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("unknown time zone '" + timeZone + "'");
            }
        }
    }

    /** What to do with an update that is ready now. */
    public enum Decision { APPLY, WAIT_FOR_WINDOW, WAIT_FOR_APPROVAL }

    public Decision decide(Instant now, boolean changesSecurityRules) {
        Approval needed = changesSecurityRules ? updates.security() : updates.others();
        if (!updates.automatic() || needed == Approval.APPROVAL) {
            return Decision.WAIT_FOR_APPROVAL;
        }
        if (!maintenanceWindows.isEmpty() && maintenanceWindows.stream().noneMatch(w -> w.contains(now))) {
            return Decision.WAIT_FOR_WINDOW;
        }
        return Decision.APPLY;
    }

    private static final ObjectMapper TOML = TomlMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .build();

    /** Reads a policy file; anything missing takes the default. Bad files fail with one clear message. */
    public static UpdatePolicy read(Path file) throws IOException {
        String text = Files.readString(file);
        try {
            UpdatePolicy parsed = TOML.readValue(text, UpdatePolicy.class);
            UpdatePolicy policy = new UpdatePolicy(
                    parsed.updates() == null ? DEFAULT.updates() : withDefaults(parsed.updates()),
                    parsed.maintenanceWindows() == null ? List.of() : parsed.maintenanceWindows(),
                    parsed.rollback() == null ? DEFAULT.rollback() : parsed.rollback(), parsed.rollout(), parsed.feedback(), parsed.testing(),
                    parsed.notifications());
            policy.maintenanceWindows().forEach(MaintenanceWindow::check);
            policy.notifications().check();
            policy.rolloutPlan(); // refuses a plan that cannot work now, not at the first update
            return policy;
        } catch (ValueInstantiationException e) {
            // A section's own check refused a value: its message says which key and why.
            throw new IllegalArgumentException(file + ": " + (e.getCause() == null ? e.getOriginalMessage() : e.getCause().getMessage()), e);
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException(file + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not valid TOML: " + e.getMessage().lines().findFirst().orElse(""), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static Updates withDefaults(Updates updates) {
        return new Updates(updates.automatic(),
                updates.security() == null ? DEFAULT.updates().security() : updates.security(),
                updates.others() == null ? DEFAULT.updates().others() : updates.others());
    }
}
