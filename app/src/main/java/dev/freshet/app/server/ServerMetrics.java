package dev.freshet.app.server;

import dev.freshet.engine.knowledge.KnowledgeHolder;
import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.feeds.FeedStatus;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.rollout.Updater;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import dev.freshet.updates.notify.Channel;
import dev.freshet.updates.notify.Message;
import dev.freshet.updates.notify.Notifier;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The service's Prometheus metrics: HTTP latency per route template, update checks (attempts,
 * failures, activations, rollbacks, durations), feed staleness per feed, scans (durations,
 * findings, queue depth), the active release, the event log counted per type and severity, and the
 * JVM's memory, threads, CPU and uptime.
 * Values that live in the store are read once per scrape; the event counts, like the feed and queue
 * gauges, are the cluster's (every node reports the same), the others this node's.
 */
public final class ServerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MultiGauge feedAge;
    private final MultiGauge feedStale;
    private final MultiGauge feedTarget;
    private final MultiGauge feedFailing;
    private final MultiGauge activeRelease;
    private final MultiGauge activeModel;
    private final AtomicInteger queueDepth = new AtomicInteger();
    private final AtomicLong notificationsOverdue = new AtomicLong();
    private final Map<String, Timer> requestTimers = new ConcurrentHashMap<>();
    /** Events counted so far per (type, severity), and the newest id counted: the metrics' position in the log. */
    private final Map<List<String>, AtomicLong> eventCounts = new ConcurrentHashMap<>();
    private long eventsCounted;

    public ServerMetrics() {
        feedAge = MultiGauge.builder("freshet.feed.age").baseUnit("seconds")
                .description("Seconds since the feed's last successful sync (NaN: never synced)").register(registry);
        feedStale = MultiGauge.builder("freshet.feed.stale")
                .description("1 when the feed is older than its freshness target or never synced").register(registry);
        feedTarget = MultiGauge.builder("freshet.feed.freshness.target").baseUnit("seconds")
                .description("The feed's freshness target: older than this, it is stale").register(registry);
        feedFailing = MultiGauge.builder("freshet.feed.failing")
                .description("1 when the feed's last sync attempt failed").register(registry);
        activeRelease = MultiGauge.builder("freshet.active.release")
                .description("1 for the release whose rules the engine applies now").register(registry);
        activeModel = MultiGauge.builder("freshet.model.active")
                .description("1 for each model version (release) the engine scores with now; candidate=true for a rollout's").register(registry);
        Gauge.builder("freshet.notifications.overdue", notificationsOverdue, AtomicLong::get).baseUnit("seconds")
                .description("How long the oldest notification of any channel has waited past its due time (the store's)")
                .register(registry);
        Gauge.builder("freshet.scan.queue.depth", queueDepth, AtomicInteger::get)
                .description("Scans accepted and not yet finished").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        // Series that alerts compare over time exist from the start at zero, so their first increase counts.
        for (Trigger trigger : Trigger.values()) {
            for (String outcome : List.of("failed", "changed", "unchanged")) {
                counter("freshet.update.checks", "trigger", name(trigger), "outcome", outcome);
            }
            counter("freshet.update.activations", "trigger", name(trigger));
            counter("freshet.update.rollbacks", "trigger", name(trigger));
            checkTimer(trigger);
        }
        for (EventType type : EventType.values()) {
            eventCount(type.name(), type.severity().name());
        }
        scanTimer(true);
        scanTimer(false);
        findings();
    }

    /** Times one request to a route template. */
    void request(String method, String route, int status, Duration took) {
        requestTimers.computeIfAbsent(method + " " + route + " " + status, key -> Timer.builder("freshet.http.requests")
                .tags("method", method, "route", route, "status", String.valueOf(status))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)).record(took);
    }

    /** Runs one update check, counting and timing it. */
    Updater.CheckResult check(Trigger trigger, Supplier<Updater.CheckResult> check) {
        Timer.Sample sample = Timer.start(registry);
        try {
            Updater.CheckResult result = check.get();
            checked(trigger, result);
            return result;
        } catch (RuntimeException e) {
            counter("freshet.update.checks", "trigger", name(trigger), "outcome", "failed").increment();
            throw e;
        } finally {
            sample.stop(checkTimer(trigger));
        }
    }

    /** Counts a check's outcome (a scheduled check reports through here; its time is taken by {@link #timeJob}). */
    public void checked(Trigger trigger, Updater.CheckResult result) {
        boolean failed = result.sources().stream().anyMatch(o -> o.status() == Updater.SourceStatus.FAILED);
        counter("freshet.update.checks", "trigger", name(trigger), "outcome", failed ? "failed" : result.changed() ? "changed" : "unchanged")
                .increment();
        result.activation().ifPresent(a -> activated(a.trigger(), false));
        result.automaticRollback().ifPresent(a -> activated(Trigger.AUTOMATIC, true));
    }

    public void activated(Trigger trigger, boolean rollback) {
        counter(rollback ? "freshet.update.rollbacks" : "freshet.update.activations", "trigger", name(trigger)).increment();
    }

    /** Wraps a scheduled job so its run time is recorded under {@code name}. */
    public Runnable timeJob(String metric, String tagKey, String tagValue, Runnable work) {
        return () -> {
            Timer.Sample sample = Timer.start(registry);
            try {
                work.run();
            } finally {
                sample.stop(Timer.builder(metric).tags(tagKey, tagValue).publishPercentileHistogram().register(registry));
            }
        };
    }

    /** One request scored by a model version: counted by verdict (the anomaly rate is anomalous over all), timed. */
    void modelScored(String track, String release, boolean anomalous, long nanos) {
        counter("freshet.model.scored", "track", track, "release", release, "anomalous", Boolean.toString(anomalous)).increment();
        Timer.builder("freshet.model.score.duration").tags("track", track).publishPercentileHistogram().register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** An operator reported a model version's verdict wrong. */
    void modelFeedback(String track, String release, String kind) {
        counter("freshet.model.feedback", "track", track, "release", release, "kind", kind).increment();
    }

    void scanFinished(ScanService.Finished finished) {
        scanTimer(finished.succeeded()).record(finished.took());
        findings().record(finished.findings());
    }

    /**
     * Counts notifications by channel (its id, free of secrets) and outcome:
     * {@code freshet_notifications_delivered_total} and {@code freshet_notifications_failed_total}.
     */
    public Notifier.Listener notifications() {
        return new Notifier.Listener() {
            @Override
            public void delivered(Channel channel, Message message) {
                counter("freshet.notifications.delivered", "channel", channel.id(), "kind", message.kind().name().toLowerCase(Locale.ROOT))
                        .increment();
            }

            @Override
            public void failed(Channel channel, Message message, String error) {
                counter("freshet.notifications.failed", "channel", channel.id()).increment();
            }
        };
    }

    /** Reads the store-backed values, then writes everything in Prometheus' text format. */
    String scrape(List<FeedStatus> feeds, KnowledgeHolder knowledge, int scansQueued, EventLog events, Duration notificationsOverdue) {
        this.notificationsOverdue.set(notificationsOverdue.toSeconds());
        feedAge.register(perFeed(feeds, f -> f.age() == null ? Double.NaN : (double) f.age().toSeconds()), true);
        feedStale.register(perFeed(feeds, f -> f.stale() ? 1 : 0), true);
        feedTarget.register(perFeed(feeds, f -> (double) f.freshnessTarget().toSeconds()), true);
        feedFailing.register(perFeed(feeds, f -> f.lastError() != null ? 1 : 0), true);
        activeRelease.register(List.of(MultiGauge.Row.of(Tags.of("release", knowledge.current().releaseId()), 1)), true);
        List<MultiGauge.Row<?>> models = new ArrayList<>();
        knowledge.current().tracks().forEach((track, t) -> {
            if (t.active().model().isPresent()) {
                models.add(MultiGauge.Row.of(Tags.of("track", track, "release", t.active().releaseId(), "candidate", "false"), 1));
                if (t.candidate() != null) {
                    models.add(MultiGauge.Row.of(Tags.of("track", track, "release", t.candidate().release().releaseId(), "candidate", "true"), 1));
                }
            }
        });
        activeModel.register(models, true);
        queueDepth.set(scansQueued);
        countEvents(events);
        return registry.scrape();
    }

    private static List<MultiGauge.Row<?>> perFeed(List<FeedStatus> feeds, ToDoubleFunction<FeedStatus> value) {
        return feeds.stream().<MultiGauge.Row<?>>map(f -> MultiGauge.Row.of(Tags.of("feed", f.feed()), value.applyAsDouble(f))).toList();
    }

    /** Adds the events appended since the last scrape; the first scrape counts the whole log. */
    private synchronized void countEvents(EventLog events) {
        for (EventLog.Tally tally : events.countAfter(eventsCounted)) {
            eventCount(tally.type(), tally.severity()).addAndGet(tally.count());
            eventsCounted = Math.max(eventsCounted, tally.newestId());
        }
    }

    private AtomicLong eventCount(String type, String severity) {
        return eventCounts.computeIfAbsent(List.of(type, severity), key -> {
            AtomicLong count = new AtomicLong();
            FunctionCounter.builder("freshet.events", count, AtomicLong::doubleValue)
                    .tags("type", type.toLowerCase(Locale.ROOT), "severity", severity.toLowerCase(Locale.ROOT))
                    .description("Events in the store's event log (the cluster's, not this node's)").register(registry);
            return count;
        });
    }

    private Timer checkTimer(Trigger trigger) {
        return Timer.builder("freshet.update.check.duration").tags("trigger", name(trigger)).publishPercentileHistogram().register(registry);
    }

    private DistributionSummary findings() {
        return DistributionSummary.builder("freshet.scan.findings").publishPercentileHistogram().register(registry);
    }

    private Timer scanTimer(boolean succeeded) {
        return Timer.builder("freshet.scan.duration").tags("outcome", succeeded ? "succeeded" : "failed")
                .publishPercentileHistogram().register(registry);
    }

    private Counter counter(String name, String... tags) {
        return Counter.builder(name).tags(tags).register(registry);
    }

    private static String name(Trigger trigger) {
        return trigger.name().toLowerCase(Locale.ROOT);
    }
}
