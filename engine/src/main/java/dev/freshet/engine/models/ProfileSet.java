package dev.freshet.engine.models;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import dev.freshet.engine.models.Finding.Feature;
import dev.freshet.engine.models.HttpRequest.Location;
import dev.freshet.engine.models.HttpRequest.Parameter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Profiles of benign traffic: per route, the query and body parameters; across routes, headers and
 * cookies (clients, not routes, decide those). Learning one more request updates the profiles
 * exactly, so fine-tuning with new traffic gives the same profiles as training on all of it.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class ProfileSet {
    private static final int MIN_FOR_PRESENCE = 10;
    private static final int MIN_FOR_ORDER = 20;

    private long requests;
    private Map<String, RouteProfile> routes = new LinkedHashMap<>();
    private Map<String, ValueProfile> shared = new LinkedHashMap<>();

    public long requests() {
        return requests;
    }

    /** A deep copy to fine-tune while this one keeps scoring. */
    public ProfileSet copy() {
        ProfileSet copy = new ProfileSet();
        copy.requests = requests;
        routes.forEach((key, route) -> copy.routes.put(key, route.copy()));
        shared.forEach((key, profile) -> copy.shared.put(key, profile.copy()));
        return copy;
    }

    public int routeCount() {
        return routes.size();
    }

    public boolean knowsRoute(HttpRequest request) {
        return routes.containsKey(routeKey(request));
    }

    /** Whether the route of {@code request} knows {@code parameter}'s name (headers and cookies: across routes). */
    public boolean knowsName(HttpRequest request, Parameter parameter) {
        if (routed(parameter)) {
            RouteProfile route = routes.get(routeKey(request));
            return route != null && route.parameters.containsKey(parameter.key());
        }
        return shared.containsKey(parameter.key());
    }

    /**
     * Whether {@code parameter} of {@code request} is free text on its route: a known query or
     * body parameter, not an enumeration, whose benign values hold letters.
     */
    public boolean holdsFreeText(HttpRequest request, Parameter parameter) {
        RouteProfile route = routed(parameter) ? routes.get(routeKey(request)) : null;
        ValueProfile profile = route == null ? null : route.parameters.get(parameter.key());
        return profile != null && profile.isFreeText();
    }

    /** Adds one benign request. */
    public void learn(HttpRequest request) {
        learn(request, parameter -> true);
    }

    /**
     * Adds one benign request, learning the values only of the parameters {@code learnsValue}
     * accepts (the rest still count as present, in their order).
     */
    public void learn(HttpRequest request, Predicate<Parameter> learnsValue) {
        requests++;
        RouteProfile route = routes.computeIfAbsent(routeKey(request), key -> new RouteProfile());
        route.count++;
        Set<String> present = new HashSet<>();
        for (Parameter parameter : request.parameters()) {
            if (routed(parameter)) {
                ValueProfile profile = route.parameters.computeIfAbsent(parameter.key(), key -> new ValueProfile());
                if (learnsValue.test(parameter)) {
                    profile.learn(parameter.value());
                }
                if (present.add(parameter.key())) {
                    route.presence.merge(parameter.key(), 1L, Long::sum);
                }
            } else if (learnsValue.test(parameter)) {
                shared.computeIfAbsent(parameter.key(), key -> new ValueProfile()).learn(parameter.value());
            }
        }
        route.addOrder(orderOf(request));
    }

    /** Adds to {@code findings} what is unusual about {@code request}. */
    void judge(HttpRequest request, List<Finding> findings) {
        String routeKey = routeKey(request);
        RouteProfile route = routes.get(routeKey);
        if (route == null) {
            findings.add(new Finding(routeKey, Feature.UNSEEN_ROUTE, "route never seen in benign traffic", 1, true));
        }
        boolean unseenParameter = false;
        Set<String> present = new HashSet<>();
        for (Parameter parameter : request.parameters()) {
            String where = parameter.key();
            if (parameter.malformedEncoding()) {
                findings.add(new Finding(where, Feature.MALFORMED_ENCODING, "a broken percent escape", 1, true));
            }
            if (routed(parameter)) {
                present.add(where);
                if (route == null) {
                    continue;
                }
                ValueProfile profile = route.parameters.get(where);
                if (profile == null) {
                    unseenParameter = true;
                    findings.add(new Finding(where, Feature.UNSEEN_PARAMETER,
                            "parameter never seen on " + routeKey + " in " + route.count + " benign requests", 1, true));
                } else {
                    profile.judge(where, parameter.value(), findings);
                }
            } else {
                ValueProfile profile = shared.get(where);
                if (profile == null) {
                    findings.add(new Finding(where, Feature.UNSEEN_HEADER, "never seen in benign traffic", 0.3, false));
                } else {
                    profile.judge(where, parameter.value(), findings);
                }
            }
        }
        if (route == null) {
            return;
        }
        if (route.count >= MIN_FOR_PRESENCE) {
            for (Map.Entry<String, Long> entry : route.presence.entrySet()) {
                if (entry.getValue() == route.count && !present.contains(entry.getKey())) {
                    findings.add(new Finding(entry.getKey(), Feature.MISSING_PARAMETER,
                            "missing, though all " + route.count + " benign requests of " + routeKey + " carry it", 0.4, false));
                }
            }
        }
        if (!unseenParameter && route.orders != null && route.count >= MIN_FOR_ORDER && !route.orders.contains(orderOf(request))) {
            findings.add(new Finding(routeKey, Feature.PARAMETER_ORDER,
                    "parameters in an order none of " + route.count + " benign requests used", 0.3, false));
        }
    }

    /** Query and body parameters belong to a route; headers and cookies to the client. */
    private static boolean routed(Parameter parameter) {
        return parameter.location() == Location.QUERY || parameter.location() == Location.BODY;
    }

    private static long orderOf(HttpRequest request) {
        long hash = 17;
        for (Parameter parameter : request.parameters()) {
            if (routed(parameter)) {
                hash = hash * 31 + parameter.key().hashCode();
            }
        }
        return hash;
    }

    /**
     * {@code GET /users/{n}/orders}: the method and the path, where segments that are numbers or
     * long hexadecimal identifiers stand for any value, so that one route is one profile.
     */
    public static String routeKey(HttpRequest request) {
        String path = request.path();
        StringBuilder key = new StringBuilder(request.method().length() + path.length() + 1).append(request.method()).append(' ');
        int start = 0;
        while (start <= path.length()) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? path.length() : slash;
            key.append(placeholder(path, start, end));
            if (slash < 0) {
                break;
            }
            key.append('/');
            start = slash + 1;
        }
        return key.toString();
    }

    private static CharSequence placeholder(String path, int start, int end) {
        if (end == start) {
            return "";
        }
        boolean digits = true;
        boolean hex = true;
        for (int i = start; i < end; i++) {
            char c = path.charAt(i);
            digits &= c >= '0' && c <= '9';
            hex &= c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '-';
        }
        if (digits) {
            return "{n}";
        }
        return hex && end - start >= 16 ? "{id}" : path.subSequence(start, end);
    }
}
