package dev.freshet.updates.sources;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A source publishes pre-release rules under a top-level {@code beta/} folder. The stable channel
 * leaves that folder out; the beta channel takes it too, a file there replacing the stable file of
 * the same path. The same convention holds for every kind of source.
 */
public final class Channels {
    static final String BETA_FOLDER = "beta/";

    private Channels() {
    }

    public static SourceSnapshot select(SourceSnapshot snapshot, Channel channel) {
        Map<String, SourceFile> chosen = new LinkedHashMap<>();
        for (SourceFile file : snapshot.files()) {
            if (!file.path().startsWith(BETA_FOLDER)) {
                chosen.putIfAbsent(file.path(), file);
            }
        }
        if (channel == Channel.BETA) {
            for (SourceFile file : snapshot.files()) {
                if (file.path().startsWith(BETA_FOLDER)) {
                    String path = file.path().substring(BETA_FOLDER.length());
                    chosen.put(path, new SourceFile(path, file.content()));
                }
            }
        }
        return new SourceSnapshot(snapshot.source(), snapshot.revision(), List.copyOf(chosen.values()));
    }
}
