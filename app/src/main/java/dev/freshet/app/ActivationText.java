package dev.freshet.app;

import dev.freshet.updates.release.Activation;
import dev.freshet.updates.release.ReleaseStore;
import java.util.Locale;

/** One history row as the CLI prints it, outside the command classes so that every command may print one. */
final class ActivationText {
    private ActivationText() {
    }

    static String of(Activation a) {
        return String.format("%s %-8s %s -> %s by %s%s", a.at(), a.kind().name().toLowerCase(Locale.ROOT),
                a.previousReleaseId() == null ? "(none)" : ReleaseStore.shortId(a.previousReleaseId()),
                ReleaseStore.shortId(a.releaseId()), a.trigger().name().toLowerCase(Locale.ROOT),
                a.reason() == null ? "" : " (" + a.reason() + ")");
    }
}
