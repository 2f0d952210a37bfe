package dev.freshet.engine.models;

import java.util.Objects;

/**
 * One request read from traffic, with what the log said about it: the response status
 * ({@link #NO_STATUS} where the format has none) and the client (an address; empty if unknown).
 */
public record TrafficRecord(HttpRequest request, int status, String client) {
    public static final int NO_STATUS = -1;

    public TrafficRecord {
        Objects.requireNonNull(request);
        Objects.requireNonNull(client);
    }

    public boolean hasStatus() {
        return status != NO_STATUS;
    }
}
