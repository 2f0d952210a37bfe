package dev.freshet.updates.feeds;

import dev.freshet.engine.deps.Advisory;
import java.util.List;

/**
 * One unit of a sync: advisories new or changed (each replaces any earlier copy from the same feed
 * with the same id), and the cursor to resume from after this page is stored.
 *
 * @param cursor   opaque to everything but the feed that made it; never null
 * @param snapshot the page is the feed's whole content (a catalog downloaded in one piece): records
 *                 of this feed that it does not contain are dropped when it is stored
 */
public record FeedPage(List<Advisory> advisories, String cursor, boolean snapshot) {
    public FeedPage {
        advisories = List.copyOf(advisories);
        if (cursor == null) {
            throw new IllegalArgumentException("a feed page needs a cursor");
        }
    }

    /** A page of changes, merged into what is stored. */
    public FeedPage(List<Advisory> advisories, String cursor) {
        this(advisories, cursor, false);
    }
}
