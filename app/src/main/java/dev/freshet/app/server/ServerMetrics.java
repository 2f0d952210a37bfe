package dev.freshet.app.server;

import dev.freshet.engine.knowledge.KnowledgeHolder;
import dev.freshet.updates.feeds.FeedStatus;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.rollout.Updater;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import dev.freshet.updates.notify.Channel;
import dev.freshet.updates.notify.Message;
import dev.freshet.updates.notify.Notifier;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The service's Prometheus metrics: HTTP latency per route template, update checks (attempts,
 * failures, activations, rollbacks, durations), feed staleness per feed, scans (durations,
 * findings, queue depth) and the active release. Values that live in the store are read once per
 * scrape.
 */
public final class ServerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MultiGauge feedAge;
    private final MultiGauge feedStale;
    private final MultiGauge activeRelease;
    private final AtomicInteger queueDepth = new AtomicInteger();
    private final Map<String, Timer> requestTimers = new ConcurrentHashMap<>();

    public ServerMetrics() {
        feedAge = MultiGauge.builder("freshet.feed.age").baseUnit("seconds")
                .description("Seconds since the feed's last successful sync (NaN: never synced)").register(registry);
        feedStale = MultiGauge.builder("freshet.feed.stale")
                .description("1 when the feed is older than its freshness target or never synced").register(registry);
        activeRelease = MultiGauge.builder("freshet.active.release")
                .description("1 for the release whose rules the engine applies now").register(registry);
        Gauge.builder("freshet.scan.queue.depth", queueDepth, AtomicInteger::get)
                .description("Scans accepted and not yet finished").register(registry);
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
            sample.stop(Timer.builder("freshet.update.check.duration").tags("trigger", name(trigger))
                    .publishPercentileHistogram().register(registry));
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

    void activated(Trigger trigger, boolean rollback) {
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

    void scanFinished(ScanService.Finished finished) {
        Timer.builder("freshet.scan.duration").tags("outcome", finished.succeeded() ? "succeeded" : "failed")
                .publishPercentileHistogram().register(registry).record(finished.took());
        DistributionSummary.builder("freshet.scan.findings").publishPercentileHistogram().register(registry)
                .record(finished.findings());
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
    String scrape(List<FeedStatus> feeds, KnowledgeHolder knowledge, int scansQueued) {
        feedAge.register(feeds.stream().map(f -> MultiGauge.Row.of(Tags.of("feed", f.feed()),
                f.age() == null ? Double.NaN : (double) f.age().toSeconds())).toList(), true);
        feedStale.register(feeds.stream().map(f -> MultiGauge.Row.of(Tags.of("feed", f.feed()), f.stale() ? 1 : 0)).toList(), true);
        activeRelease.register(List.of(MultiGauge.Row.of(Tags.of("release", knowledge.current().releaseId()), 1)), true);
        queueDepth.set(scansQueued);
        return registry.scrape();
    }

    private Counter counter(String name, String... tags) {
        return Counter.builder(name).tags(tags).register(registry);
    }

    private static String name(Trigger trigger) {
        return trigger.name().toLowerCase(Locale.ROOT);
    }
}
