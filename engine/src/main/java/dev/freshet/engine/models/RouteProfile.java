package dev.freshet.engine.models;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The benign requests of one route (method and path): their parameters, how often each is present, their orders. */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
final class RouteProfile {
    static final int MAX_ORDERS = 256;

    long count;
    Map<String, ValueProfile> parameters = new LinkedHashMap<>();
    /** In how many requests each parameter appeared. */
    Map<String, Long> presence = new LinkedHashMap<>();
    /** Hashes of the parameter sequences seen; null once there were too many to mean anything. */
    Set<Long> orders = new HashSet<>();

    RouteProfile copy() {
        RouteProfile copy = new RouteProfile();
        copy.count = count;
        parameters.forEach((key, profile) -> copy.parameters.put(key, profile.copy()));
        copy.presence = new LinkedHashMap<>(presence);
        copy.orders = orders == null ? null : new HashSet<>(orders);
        return copy;
    }

    void addOrder(long order) {
        if (orders != null) {
            orders.add(order);
            if (orders.size() > MAX_ORDERS) {
                orders = null;
            }
        }
    }
}
