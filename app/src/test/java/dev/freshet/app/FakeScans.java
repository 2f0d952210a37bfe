package dev.freshet.app;

import dev.freshet.app.server.ScanService;
import dev.freshet.updates.rollout.Cohorts;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A test double of the scan queue (the real one is the other module's ScanJobs): it keeps scans per
 * tenant in memory, "finishes" a path scan at once, and can hold a submission until released, to
 * catch a request in flight.
 */
final class FakeScans implements ScanService {
    record Stored(String tenant, ScanView view, String input) {
    }

    final Map<String, Stored> scans = new ConcurrentHashMap<>();
    final List<Consumer<Finished>> listeners = new CopyOnWriteArrayList<>();
    final AtomicInteger archivesReceived = new AtomicInteger();
    private final AtomicInteger ids = new AtomicInteger();
    volatile CountDownLatch entered;
    volatile CountDownLatch release;

    private volatile int refuseWith;

    /** The next path submission is refused with {@code status} (429: the tenant's quota; 503: the queue is full). */
    void refuseNext(int status) {
        refuseWith = status;
    }

    /** The next path submission waits in the handler until {@link #release} opens. */
    void holdNextSubmission() {
        entered = new CountDownLatch(1);
        release = new CountDownLatch(1);
    }

    @Override
    public Submission submitPath(String tenant, Path directory, Cohorts.Requested cohort) {
        int refused = refuseWith;
        if (refused != 0) {
            refuseWith = 0;
            return new Submission.Rejected(refused, "the scan queue is full; try again later");
        }
        CountDownLatch hold = release;
        if (hold != null) {
            entered.countDown();
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            release = null;
        }
        return finished(tenant, directory.toString());
    }

    @Override
    public Submission submitArchive(String tenant, String fileName, byte[] archive, Cohorts.Requested cohort) {
        archivesReceived.incrementAndGet();
        if (archive.length < 4 || archive[0] != 'P' || archive[1] != 'K') {
            return new Submission.Rejected(400, "upload '" + fileName + "' is not a zip archive");
        }
        return finished(tenant, fileName);
    }

    private Submission finished(String tenant, String input) {
        String id = "scan-" + ids.incrementAndGet();
        Instant now = Instant.now();
        ScanView view = new ScanView(id, "succeeded", now, now, now, 2, "release", null);
        scans.put(id, new Stored(tenant, view, input));
        listeners.forEach(l -> l.accept(new Finished(id, true, Duration.ofMillis(42), 2)));
        return new Submission.Accepted(view);
    }

    @Override
    public Optional<ScanView> find(String tenant, String scanId) {
        return Optional.ofNullable(scans.get(scanId)).filter(s -> s.tenant().equals(tenant)).map(Stored::view);
    }

    @Override
    public Optional<InputStream> results(String tenant, String scanId, ResultFormat format) {
        return find(tenant, scanId).map(v -> format == ResultFormat.SARIF
                ? "{\"version\":\"2.1.0\",\"runs\":[{\"results\":[]}]}" : "{\"scan\":\"" + v.id() + "\",\"findings\":[]}")
                .map(text -> new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public int queueDepth() {
        return 0;
    }

    @Override
    public void onFinished(Consumer<Finished> listener) {
        listeners.add(listener);
    }
}
