package dev.freshet.updates.schedule;

import dev.freshet.updates.community.Community;
import dev.freshet.updates.feeds.Feed;
import dev.freshet.updates.feeds.FeedSync;
import dev.freshet.updates.projects.ProjectFinding;
import dev.freshet.updates.projects.ProjectMonitor;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.rollout.ActiveKnowledge;
import dev.freshet.updates.rollout.Updater;
import dev.freshet.updates.sources.AdvisorySource;
import dev.freshet.updates.sources.SourceRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What runs on schedules, for {@code update watch} and {@code serve} alike: each enabled source's
 * check, each feed's sync and the processing of feedback; a check that activates a release rescans the watched projects, and
 * a sync that stored advisories releases them as rules at once.
 *
 * @param jobs               the scheduled jobs
 * @param feedSchedule       the cron schedule every feed is synced on
 * @param rescan             rescans the watched projects after a check that activated a release
 * @param afterNewAdvisories the check of the advisory sources, for a sync started otherwise
 * @param checkNow           every enabled source checked and every feed synced at once, as a watcher does when it starts
 *                           (a watcher would otherwise sit idle until the next slot of each schedule)
 */
public record WatchPlan(List<CheckScheduler.Job> jobs, List<Feed> feeds, String feedSchedule, FeedSync feedSync,
                        Consumer<Updater.CheckResult> rescan, Runnable afterNewAdvisories, Runnable checkNow) {
    private static final Logger LOG = LoggerFactory.getLogger(WatchPlan.class);

    /** Feeds are synced hourly unless configured otherwise. */
    public static final String FEED_SCHEDULE = "0 0 * * * *";

    public WatchPlan {
        jobs = List.copyOf(jobs);
        feeds = List.copyOf(feeds);
    }

    /** The parts a plan runs on. */
    public record Parts(SourceRegistry sources, Updater updater, ActiveKnowledge knowledge, ProjectMonitor projects,
                        FeedSync feedSync, Community community, Clock clock) {
    }

    /**
     * The plan over {@code parts}; {@code observer} also hears of every check the plan runs.
     *
     * @param feedSchedule the feeds' cron schedule, or null for {@link #FEED_SCHEDULE}
     */
    public static WatchPlan of(Parts parts, List<Feed> feeds, String feedSchedule, Consumer<Updater.CheckResult> observer) {
        Consumer<Updater.CheckResult> rescan = result -> rescanAfterActivation(result, parts.knowledge(), parts.projects());
        Consumer<Updater.CheckResult> afterCheck = observer.andThen(rescan);
        List<CheckScheduler.Job> jobs = new ArrayList<>();
        jobs.add(CheckScheduler.sourceChecks(parts.sources(), parts.updater(), parts.clock(), CheckScheduler.SOURCE_DISPATCH, afterCheck));
        jobs.add(CheckScheduler.heldReleases(parts.updater(), CheckScheduler.HELD_RELEASE_DISPATCH));
        jobs.add(CheckScheduler.feedbackBatches(parts.community(), parts.knowledge()::refresh));
        String schedule = feedSchedule == null ? FEED_SCHEDULE : feedSchedule;
        // New advisories are released as rules at once, not at the advisory sources' next turn.
        Runnable afterNewAdvisories = () -> {
            Set<String> advisorySources = parts.sources().list().stream()
                    .filter(e -> e.source() instanceof AdvisorySource && e.source().settings().enabled())
                    .map(e -> e.source().name()).collect(Collectors.toSet());
            if (!advisorySources.isEmpty()) {
                afterCheck.accept(parts.updater().check(Trigger.SCHEDULE, advisorySources::contains));
            }
        };
        jobs.addAll(CheckScheduler.feedSyncs(feeds, schedule, parts.feedSync(), afterNewAdvisories));
        Runnable checkNow = () -> {
            afterCheck.accept(parts.updater().check(Trigger.SCHEDULE));
            try {
                List<FeedSync.Result> synced = parts.feedSync().syncAll(feeds, FeedSync.Listener.NONE);
                synced.stream().filter(result -> !result.succeeded())
                        .forEach(result -> LOG.warn("sync of feed {} failed, stored data kept: {}", result.feed(), result.error()));
                if (synced.stream().anyMatch(result -> result.records() > 0)) {
                    afterNewAdvisories.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        return new WatchPlan(jobs, feeds, schedule, parts.feedSync(), rescan, afterNewAdvisories, checkNow);
    }

    /** This plan with one more scheduled job (a model's learning runs, the research job). */
    public WatchPlan with(CheckScheduler.Job job) {
        List<CheckScheduler.Job> more = new ArrayList<>(jobs);
        more.add(job);
        return new WatchPlan(more, feeds, feedSchedule, feedSync, rescan, afterNewAdvisories, checkNow);
    }

    /** After a check that activated a release, the watched projects are matched against it at once. */
    public static List<ProjectFinding> rescanAfterActivation(Updater.CheckResult result, ActiveKnowledge active, ProjectMonitor projects) {
        if (result.activation().isEmpty() || projects.list().isEmpty()) {
            return List.of();
        }
        active.refresh();
        List<ProjectFinding> fresh = projects.scanAll(active.holder().current());
        for (ProjectFinding finding : fresh) {
            switch (finding) {
                case ProjectFinding.Dependency f -> LOG.warn("new finding in watched project {}: {} {}@{} ({})", f.project(), f.advisoryId(),
                        f.packageName(), f.version(), f.lockfile());
                case ProjectFinding.Code f -> LOG.info("new finding in watched project {}: {} at {}:{}", f.project(), f.ruleId(), f.path(),
                        f.line());
            }
        }
        return fresh;
    }
}
