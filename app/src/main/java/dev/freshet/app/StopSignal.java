package dev.freshet.app;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * Waits for Ctrl-C or SIGTERM. Handling the signals (instead of a shutdown hook) lets the caller
 * stop its parts in order and return, so a requested stop exits 0 rather than 130 or 143.
 */
final class StopSignal {
    private StopSignal() {
    }

    static void await() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> stop.countDown());
        }
        stop.await();
    }
}
