package dev.freshet.updates.feeds;

import java.time.Duration;

/**
 * One advisory feed (NVD, OSV, GitHub advisories, CISA KEV). A sync pulls what changed after a
 * cursor and hands it over page by page, each page with the cursor to resume from once that page
 * is stored, so an interrupted sync resumes where it stopped instead of starting over.
 */
public interface Feed {
    /** A stable name such as {@code nvd}, {@code kev}, {@code ghsa}, {@code osv-PyPI}; the store keys cursors by it. */
    String name();

    /** How old this feed's data may get before it counts as stale; a day unless a feed says otherwise. */
    default Duration freshnessTarget() {
        return Duration.ofHours(24);
    }

    /**
     * Delivers every page that changed after {@code cursor} ({@code null}: from the beginning) to
     * {@code sink}, in order. Returns normally when the feed has nothing more.
     */
    void sync(String cursor, PageSink sink) throws FeedException, InterruptedException;

    /** Receives pages; a page counts as done once accept returns. */
    @FunctionalInterface
    interface PageSink {
        void accept(FeedPage page) throws FeedException;
    }
}
