package dev.freshet.updates.access;

/** A key just made: the only time its secret exists outside the caller's hands. */
public record NewKey(ApiKey key, String secret) {
    @Override
    public String toString() {
        return "NewKey[" + key + ", secret hidden]";
    }
}
