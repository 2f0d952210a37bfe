package dev.freshet.updates.schedule;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.rollout.Updater;
import dev.freshet.updates.sources.SourceRegistry;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each enabled source's update check on its own cron schedule, from db-scheduler's task
 * table in the store: the schedule survives restarts, and nodes sharing a database run each
 * check once.
 */
public final class CheckScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CheckScheduler.class);

    private final Scheduler scheduler;

    public CheckScheduler(DataSource dataSource, SourceRegistry registry, Updater updater, Duration pollingInterval) {
        List<RecurringTask<Void>> tasks = registry.list().stream()
                .filter(entry -> entry.source().settings().enabled())
                .map(entry -> {
                    String source = entry.source().name();
                    return Tasks.recurring("check-source-" + source, Schedules.cron(entry.source().settings().schedule()))
                            .execute((instance, context) -> {
                                Updater.CheckResult result = updater.check(Trigger.SCHEDULE, source::equals);
                                LOG.info("scheduled check of source {}: {}", source, result.sources());
                            });
                })
                .toList();
        this.scheduler = Scheduler.create(dataSource)
                .startTasks(tasks)
                .pollingInterval(pollingInterval)
                .threads(1)
                .registerShutdownHook()
                .build();
    }

    public void start() {
        scheduler.start();
    }

    @Override
    public void close() {
        scheduler.stop();
    }
}
