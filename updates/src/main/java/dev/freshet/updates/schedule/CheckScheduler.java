package dev.freshet.updates.schedule;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import dev.freshet.updates.feeds.Feed;
import dev.freshet.updates.feeds.FeedSync;
import dev.freshet.updates.community.Community;
import dev.freshet.updates.community.CommunityException;
import dev.freshet.updates.community.FeedbackProcessor;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.rollout.Updater;
import dev.freshet.updates.sources.SourceRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs recurring jobs (source checks, feed syncs) each on its own cron schedule, from
 * db-scheduler's task table in the store: the schedule survives restarts, and nodes sharing a
 * database run each job once.
 */
public final class CheckScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CheckScheduler.class);

    private final Scheduler scheduler;

    /** One recurring job: what it is (which names its task), a cron schedule with seconds, and the work. */
    public record Job(Kind kind, String cron, Runnable work) {
        public Job(String name, String cron, Runnable work) {
            this(new Kind.Other(name), cron, work);
        }

        /** The task's name in the store, unique among the jobs. */
        public String name() {
            return kind.taskName();
        }
    }

    /** The kinds of recurring work, so that callers (metrics) tell them apart by type, not by name. */
    public sealed interface Kind {
        String taskName();

        record SourceChecks() implements Kind {
            @Override
            public String taskName() {
                return "check-sources";
            }
        }

        record FeedSync(String feed) implements Kind {
            @Override
            public String taskName() {
                return "sync-feed-" + feed;
            }
        }

        record HeldReleases() implements Kind {
            @Override
            public String taskName() {
                return "activate-held-releases";
            }
        }

        record FeedbackBatches() implements Kind {
            @Override
            public String taskName() {
                return "process-feedback";
            }
        }

        /** Housekeeping known only to whoever added it. */
        record Other(String taskName) implements Kind {
        }
    }

    /** How often {@link #heldReleases} looks whether a maintenance window has opened: every minute. */
    public static final String HELD_RELEASE_DISPATCH = "0 * * * * *";

    /**
     * One job that activates the release held for a maintenance window as soon as a window
     * allows it, without waiting for a source to change again.
     */
    public static Job heldReleases(Updater updater, String tick) {
        return new Job(new Kind.HeldReleases(), tick, () -> updater.activateHeld(Trigger.SCHEDULE)
                .ifPresent(a -> LOG.info("maintenance window open: release {} activated", a.releaseId())));
    }

    public CheckScheduler(DataSource dataSource, List<Job> jobs, Duration pollingInterval) {
        List<RecurringTask<Void>> tasks = jobs.stream()
                .map(job -> Tasks.recurring(job.name(), Schedules.cron(job.cron()))
                        .execute((instance, context) -> job.work().run()))
                .toList();
        this.scheduler = Scheduler.create(dataSource)
                // Unique per process, so the task table tells which node ran what even with two nodes on one host.
                .schedulerName(new SchedulerName.Fixed(nodeName()))
                .startTasks(tasks)
                .pollingInterval(pollingInterval)
                .threads(1)
                .build();
    }

    /**
     * One job that processes the feedback stored so far on the feedback policy's schedule. When
     * probations began or ended, the running knowledge takes the changed overrides at once; a rule
     * put on probation gets a patch proposed from its feedback, released (shadow first) if the gate
     * accepts it.
     */
    public static Job feedbackBatches(Community community, Runnable afterChange) {
        return new Job(new Kind.FeedbackBatches(), community.policy().schedule(), () -> {
            FeedbackProcessor.BatchResult batch = community.processor().runBatch();
            if (!batch.probationsStarted().isEmpty() || !batch.probationsEnded().isEmpty()) {
                afterChange.run();
            }
            for (String rule : batch.probationsStarted()) {
                try {
                    community.patcher().propose(rule, true);
                } catch (CommunityException e) {
                    LOG.info("no patch for rule {} on probation: {}", rule, e.getMessage());
                }
            }
        });
    }

    /** How often {@link #sourceChecks} looks for sources that have come due: every ten seconds. */
    public static final String SOURCE_DISPATCH = "*/10 * * * * *";

    /**
     * One job that, every {@code tick}, checks the enabled sources whose own schedule has fired
     * since their last check (or that were never checked), all in one update check, then hands
     * the result to {@code afterCheck}. The registry is read at each tick, so sources added,
     * removed, disabled or rescheduled while the service runs take effect without a restart.
     */
    public static Job sourceChecks(SourceRegistry registry, Updater updater, Clock clock, String tick,
                                   Consumer<Updater.CheckResult> afterCheck) {
        return new Job(new Kind.SourceChecks(), tick, () -> {
            Instant now = clock.instant();
            Set<String> due = registry.list().stream()
                    .filter(entry -> entry.source().settings().enabled() && isDue(entry, now))
                    .map(entry -> entry.source().name())
                    .collect(Collectors.toSet());
            if (due.isEmpty()) {
                return;
            }
            Updater.CheckResult result = updater.check(Trigger.SCHEDULE, due::contains);
            LOG.info("scheduled check of source(s) {}: {}", due, result.sources());
            afterCheck.accept(result);
        });
    }

    /** Whether a fire time of the source's schedule lies after its last check and not after {@code now}. */
    static boolean isDue(SourceRegistry.Entry entry, Instant now) {
        Schedule schedule;
        try {
            schedule = Schedules.cron(entry.source().settings().schedule());
        } catch (RuntimeException e) {
            LOG.warn("source {} has an unusable schedule '{}': {}", entry.source().name(), entry.source().settings().schedule(),
                    e.getMessage());
            return false;
        }
        return !schedule.isDisabled() && entry.lastCheckedAt()
                .map(last -> !schedule.getInitialExecutionTime(last).isAfter(now))
                .orElse(true);
    }

    /**
     * One job per feed: a sync on {@code cron}, and when it stored anything, {@code afterNewRecords}
     * (which typically rebuilds the advisory rules right away instead of waiting for their schedule).
     */
    public static List<Job> feedSyncs(List<Feed> feeds, String cron, FeedSync sync, Runnable afterNewRecords) {
        return feeds.stream().map(feed -> new Job(new Kind.FeedSync(feed.name()), cron, () -> {
            try {
                FeedSync.Result result = sync.sync(feed);
                if (result.succeeded()) {
                    LOG.info("scheduled sync of feed {}: {} record(s) in {} page(s)", feed.name(), result.records(), result.pages());
                } else {
                    LOG.warn("scheduled sync of feed {} failed after {} page(s), stored data kept: {}", feed.name(), result.pages(),
                            result.error());
                }
                if (result.records() > 0) {
                    afterNewRecords.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })).toList();
    }

    private static String nodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "-" + ProcessHandle.current().pid() + "-" + Integer.toHexString(System.identityHashCode(new Object()));
    }

    public void start() {
        scheduler.start();
    }

    @Override
    public void close() {
        scheduler.stop();
    }
}
