package dev.freshet.updates.rollout;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves rollouts on in a running node: every {@code interval} it judges the rollouts whose window
 * has passed and, when one changed, brings the knowledge snapshot up to date at once. Every node
 * runs one; the store's rollout lock lets only one of them move a rollout.
 */
public final class RolloutDriver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutDriver.class);

    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "freshet-rollouts");
        thread.setDaemon(true);
        return thread;
    });

    private RolloutDriver() {
    }

    public static RolloutDriver start(RolloutEngine engine, ActiveKnowledge knowledge, Duration interval) {
        return start(engine, knowledge, interval, () -> { });
    }

    /** @param beforeTick writes what this node summed in memory (scored requests) to the store before judging */
    public static RolloutDriver start(RolloutEngine engine, ActiveKnowledge knowledge, Duration interval, Runnable beforeTick) {
        RolloutDriver driver = new RolloutDriver();
        driver.ticker.scheduleWithFixedDelay(() -> {
            try {
                beforeTick.run();
                if (!engine.tick().isEmpty()) {
                    knowledge.refresh();
                }
            } catch (RuntimeException e) {
                LOG.warn("could not judge the rollouts under way; trying again in {}", interval, e);
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return driver;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
