package dev.freshet.updates.release;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/**
 * A line of releases of one kind of knowledge: {@code rules} (the global rule set, advisory rules
 * included), {@code models/<name>}, {@code features/<name>} (the feature schema models need),
 * {@code tenants/<id>/rules}. Releases, activation, rollback,
 * history and rollouts work the same on every track.
 */
public record Track(@JsonValue String name) {
    private static final Pattern NAME = Pattern.compile(
            "rules|models/[a-z0-9][a-z0-9._-]{0,62}|features/[a-z0-9][a-z0-9._-]{0,62}|tenants/[A-Za-z0-9][A-Za-z0-9._-]{0,62}/rules");
    public static final Track RULES = new Track("rules");

    public Track {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ReleaseException("'" + name + "' is not a track. Use rules, models/<name>, features/<name> or tenants/<id>/rules.");
        }
    }

    /** The track of model {@code name}. */
    public static Track model(String name) {
        return new Track("models/" + name);
    }

    public boolean isModel() {
        return name.startsWith("models/");
    }

    @JsonCreator
    public static Track of(String name) {
        return new Track(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
