package dev.freshet.updates.learning;

import dev.freshet.engine.models.TrafficFormat;
import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.release.ReleaseException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scheduled learning run of a model: reads the new traffic of its logs since the cursors,
 * fine-tunes the active version, evaluates it on the fixed validation sets and releases it (a
 * refused version is kept with its reasons, with its event); a passed one rolls out by the plan.
 * Then retention keeps the newest versions. A run that makes no version (too little admitted
 * traffic, unreadable logs, nothing to learn from) says why in the event log.
 *
 * @param afterRelease runs when a version was released (brings the running knowledge up to date)
 */
public record ModelLearningJob(HttpAnomalyLearning learning, ModelReleases versions, List<Path> logs, TrafficFormat format, int keep,
                               EventLog events, Clock clock, Runnable afterRelease) implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelLearningJob.class);

    public ModelLearningJob {
        logs = List.copyOf(logs);
    }

    /** The scheduled task's name. */
    public String name() {
        return "learn-" + versions.name();
    }

    @Override
    public void run() {
        try {
            HttpAnomalyLearning.Outcome outcome = learning.learn(logs, format, false);
            if (outcome.version().isEmpty()) {
                skipped(outcome.message(), outcome.provenance());
            } else {
                LOG.info("learning run of {}: {}", versions.name(), outcome.message());
                afterRelease.run();
            }
        } catch (IOException | ReleaseException e) {
            skipped(e.getMessage(), Map.of());
        }
        List<String> collected = versions.collect(keep);
        if (!collected.isEmpty()) {
            LOG.info("retention of {}: {} old version(s) deleted", versions.name(), collected.size());
        }
    }

    private void skipped(String why, Map<String, Object> provenance) {
        LOG.info("learning run of {} made no version: {}", versions.name(), why);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("track", versions.track().name());
        payload.put("reason", why);
        provenance.forEach((key, value) -> {
            if (value instanceof Number) {
                payload.put(key, value);
            }
        });
        events.append(clock.instant(), EventType.MODEL_LEARNING_SKIPPED, null, payload);
    }
}
