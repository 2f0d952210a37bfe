package dev.freshet.updates.notify;

import dev.freshet.updates.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the event log to the channels: each channel on a loop of its own (a slow receiver delays
 * nobody else) files new events into deliveries and sends what is due, in order. When a receiver
 * fails, its channel waits with exponential backoff and then tries the same delivery again, so a
 * receiver that was down gets everything afterwards, once per delivery id.
 */
public final class Notifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    /** Deliveries claimed per round; a node that dies holding them frees them after the lease. */
    private static final int CLAIM = 50;
    private static final Duration LEASE = Duration.ofMinutes(2);

    private final List<Channel> channels;
    private final Routing routing;
    private final NotificationStore store;
    private final Clock clock;
    private final Backoff backoff;
    private final Duration poll;
    private final ConcurrentHashMap<String, Instant> waitUntil = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> failuresInARow = new ConcurrentHashMap<>();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final List<Thread> loops = new ArrayList<>();
    private volatile Listener listener = Listener.NONE;

    /** Hears of every delivery tried, for metrics. */
    public interface Listener {
        void delivered(Channel channel, Message message);

        void failed(Channel channel, Message message, String error);

        Listener NONE = new Listener() {
            @Override
            public void delivered(Channel channel, Message message) {
            }

            @Override
            public void failed(Channel channel, Message message, String error) {
            }
        };
    }

    /** Waits between tries of a failing channel: {@code first}, doubling, at most {@code max}. */
    public record Backoff(Duration first, Duration max) {
        public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

        public Duration after(int failures) {
            int doublings = Math.min(Math.max(failures - 1, 0), 30);
            Duration wait = first.multipliedBy(1L << doublings);
            return wait.compareTo(max) > 0 ? max : wait;
        }
    }

    /** What a test message to one channel did. */
    public record TestResult(String channel, boolean delivered, String error, Duration took) {
    }

    /** How often each channel looks for new events: the floor of a security alert's delay. */
    public static final Duration POLL = Duration.ofMillis(500);

    public Notifier(List<Channel> channels, Routing routing, NotificationStore store, Clock clock, Backoff backoff, Duration poll) {
        this.channels = List.copyOf(channels);
        this.routing = routing;
        this.store = store;
        this.clock = clock;
        this.backoff = backoff;
        this.poll = poll;
    }

    public List<Channel> channels() {
        return channels;
    }

    /** Starts one loop per channel; each first takes its cursor, so events from now on are sent. */
    public void start() {
        start(Listener.NONE);
    }

    /** {@link #start()}, telling {@code listener} of every delivery tried. */
    public void start(Listener listener) {
        this.listener = listener;
        for (Channel channel : channels) {
            store.collect(channel.id(), routing, clock.instant());
            loops.add(Thread.ofVirtual().name("notify-" + channel.id()).start(() -> loop(channel)));
        }
        if (!channels.isEmpty()) {
            LOG.info("notifications: {} channel(s): {}", channels.size(), channels.stream().map(Channel::label).toList());
        }
    }

    private void loop(Channel channel) {
        try {
            while (!stop.await(poll.toMillis(), TimeUnit.MILLISECONDS)) {
                try {
                    round(channel);
                } catch (StoreException | IllegalStateException e) {
                    LOG.warn("notifications to {}: store not available, trying again: {}", channel.label(), e.getMessage());
                } catch (RuntimeException e) {
                    LOG.error("notifications to {}: internal error", channel.label(), e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One round for one channel: file new events, then send what is due until the receiver refuses
     * one (the rest wait for the channel's backoff, keeping their order).
     *
     * @return deliveries the receiver accepted
     */
    public int round(Channel channel) {
        Instant now = clock.instant();
        while (store.collect(channel.id(), routing, now) == NotificationStore.BATCH) {
            now = clock.instant();
        }
        if (now.isBefore(waitUntil.getOrDefault(channel.id(), Instant.MIN))) {
            return 0;
        }
        int sent = 0;
        List<NotificationStore.Due> due = store.claim(channel.id(), now, LEASE, CLAIM);
        for (int i = 0; i < due.size(); i++) {
            Message message = due.get(i).message();
            try {
                channel.send(message);
            } catch (DeliveryException e) {
                store.failed(message.deliveryId(), e.getMessage());
                listener.failed(channel, message, e.getMessage());
                int failures = failuresInARow.merge(channel.id(), 1, Integer::sum);
                Duration wait = backoff.after(failures);
                waitUntil.put(channel.id(), clock.instant().plus(wait));
                LOG.warn("notification {} to {} failed (attempt {}), next try in {} ms: {}", message.deliveryId(), channel.label(),
                        due.get(i).attempts() + 1, wait.toMillis(), e.getMessage());
                due.subList(i + 1, due.size()).forEach(rest -> store.release(rest.message().deliveryId()));
                return sent;
            }
            store.delivered(message.deliveryId(), clock.instant());
            listener.delivered(channel, message);
            failuresInARow.remove(channel.id());
            waitUntil.remove(channel.id());
            sent++;
        }
        return sent;
    }

    /** Sends a test message to every channel now, outside the event log, and says what each did. */
    public List<TestResult> test() {
        List<TestResult> results = new ArrayList<>();
        for (Channel channel : channels) {
            Instant started = clock.instant();
            Message message = new Message("test-" + UUID.randomUUID(), Message.Kind.TEST, List.of(), started);
            try {
                channel.send(message);
                results.add(new TestResult(channel.label(), true, null, Duration.between(started, clock.instant())));
            } catch (DeliveryException e) {
                results.add(new TestResult(channel.label(), false, e.getMessage(), Duration.between(started, clock.instant())));
            }
        }
        return results;
    }

    public List<NotificationStore.ChannelStatus> status() {
        return channels.stream().map(c -> store.status(c.id(), clock.instant())).toList();
    }

    @Override
    public void close() {
        stop.countDown();
        for (Thread loop : loops) {
            try {
                loop.join(JsonPost.TIMEOUT.plusSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
