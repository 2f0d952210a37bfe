package dev.freshet.updates.feeds;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Where an OSV sync stands: the newest {@code modified} time delivered, and, while a full archive
 * is only partly delivered, which archive (a hash of its bytes) and how many of its entries are done.
 * Text form: {@code <instant|->} when caught up, {@code <instant|-> all.zip <hash> <entries>} mid-archive.
 *
 * @param newest  the newest modified time delivered, or null when nothing was
 * @param archive the hash of the archive being delivered, or null when caught up
 */
record OsvCursor(Instant newest, String archive, long entriesDone) {
    private static final String NOTHING = "-";

    static OsvCursor caughtUp(Instant newest) {
        return new OsvCursor(newest, null, 0);
    }

    boolean midArchive() {
        return archive != null;
    }

    /** Whether a record modified at {@code modified} is newer than anything delivered. */
    boolean isNewer(Instant modified) {
        return newest == null || modified.isAfter(newest);
    }

    OsvCursor seen(Instant modified) {
        return isNewer(modified) ? new OsvCursor(modified, archive, entriesDone) : this;
    }

    String text() {
        String time = newest == null ? NOTHING : newest.toString();
        return archive == null ? time : time + " all.zip " + archive + " " + entriesDone;
    }

    static OsvCursor parse(String feed, String text) throws FeedException {
        if (text == null) {
            return caughtUp(null);
        }
        String[] parts = text.trim().split(" ");
        try {
            Instant newest = parts[0].equals(NOTHING) ? null : Instant.parse(parts[0]);
            if (parts.length == 1) {
                return caughtUp(newest);
            }
            if (parts.length == 4 && parts[1].equals("all.zip")) {
                long done = Long.parseLong(parts[3]);
                if (done >= 0) {
                    return new OsvCursor(newest, parts[2], done);
                }
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            // falls through to the one message below
        }
        throw new FeedException(feed, "stored cursor '" + text + "' is not an OSV cursor; reset the feed's cursor to sync from the start");
    }
}
