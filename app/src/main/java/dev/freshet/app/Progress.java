package dev.freshet.app;

import java.io.PrintStream;

/** A one-line progress counter on the terminal; silent when output is not a terminal. */
final class Progress {
    private final PrintStream err;
    private final String label;
    private final int total;
    private long lastPrint;

    private Progress(PrintStream err, String label, int total) {
        this.err = err;
        this.label = label;
        this.total = total;
    }

    static Progress onTerminal(boolean wanted, String label, int total) {
        return new Progress(wanted && System.console() != null ? System.err : null, label, total);
    }

    synchronized void update(int done) {
        if (err == null) {
            return;
        }
        long now = System.nanoTime();
        if (done == total || now - lastPrint > 100_000_000L) {
            lastPrint = now;
            err.print("\r" + label + " " + done + "/" + total + " files");
            err.flush();
        }
    }

    void finish() {
        if (err != null) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
