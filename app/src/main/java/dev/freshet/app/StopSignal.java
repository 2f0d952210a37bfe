package dev.freshet.app;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * Ctrl-C and SIGTERM as a request to stop. Handling the signals (instead of a shutdown hook) lets
 * the command stop its parts in order and return, so a requested stop exits 0 rather than 130 or
 * 143. Install it before the work starts: a signal that arrives early is kept, not lost.
 */
final class StopSignal {
    private final CountDownLatch requested = new CountDownLatch(1);

    private StopSignal() {
    }

    static StopSignal install() {
        StopSignal stop = new StopSignal();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> stop.requested.countDown());
        }
        return stop;
    }

    void await() throws InterruptedException {
        requested.await();
    }
}
