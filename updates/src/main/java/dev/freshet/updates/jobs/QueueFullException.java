package dev.freshet.updates.jobs;

/** The scan queue holds as many waiting jobs as it may; the caller should try again later. */
public final class QueueFullException extends RuntimeException {
    public QueueFullException(int maxQueued) {
        super("the scan queue is full (" + maxQueued + " jobs waiting); try again later");
    }
}
