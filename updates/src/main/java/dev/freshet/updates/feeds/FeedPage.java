package dev.freshet.updates.feeds;

import dev.freshet.engine.deps.Advisory;
import java.util.List;

/**
 * One unit of a sync: advisories new or changed (each replaces any earlier copy from the same feed
 * with the same id), and the cursor to resume from after this page is stored.
 *
 * @param cursor opaque to everything but the feed that made it; never null
 */
public record FeedPage(List<Advisory> advisories, String cursor) {
    public FeedPage {
        advisories = List.copyOf(advisories);
    }
}
