package dev.freshet.app;

/** Process exit codes, the same for every command. */
public final class ExitCodes {
    /** Done; for scans: nothing found. For tests: everything passed. */
    public static final int OK = 0;
    /** Done; for scans: findings reported. For tests: some failed. */
    public static final int FINDINGS = 1;
    /** Could not do the job: bad input, bad usage or an internal error (the message says which). */
    public static final int ERROR = 2;

    private ExitCodes() {
    }
}
