package dev.freshet.app;

import dev.freshet.updates.release.ReleaseException;
import dev.freshet.updates.release.Track;
import picocli.CommandLine.Option;

/** {@code --track}: which line of releases a command works on, {@code rules} unless given. */
final class TrackOption {
    @Option(names = "--track", paramLabel = "TRACK", defaultValue = "rules",
            description = "Track: rules (default), models/<name>, features/<name> or tenants/<id>/rules.")
    String name;

    Track track() {
        try {
            return Track.of(name);
        } catch (ReleaseException e) {
            throw new UserError("--track: " + e.getMessage());
        }
    }
}
