package dev.freshet.updates.learning;

import dev.freshet.engine.models.HttpRequest.Parameter;
import dev.freshet.engine.models.HttpRequest;
import dev.freshet.engine.models.ProfileSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Holds apart a benign validation split whose free values are new: no value of a free parameter
 * (one with many distinct values: names, addresses, search terms) in a validation request is
 * learned from training, since calibrating on values that recur in training underestimates the
 * false-positive rate. Training requests still teach their routes, parameters and orders, only
 * those values are left out of the value profiles. Parameters with few distinct values
 * (enumerations) necessarily recur and are not held.
 */
public record ValidationSplit(List<HttpRequest> training, List<HttpRequest> validation, Set<String> heldValues) {
    /** A parameter with more distinct values than this is free. */
    static final int FREE_DISTINCT_VALUES = 50;

    /** Holds about {@code fraction} of {@code requests} apart, chosen by a stable hash of their content. */
    public static ValidationSplit of(List<HttpRequest> requests, double fraction) {
        return of(requests, fraction, List.of());
    }

    /**
     * As {@link #of(List, double)}, and also holds from training the free values of an existing
     * validation set, so that fine-tuning does not learn the values it is then calibrated on.
     */
    public static ValidationSplit of(List<HttpRequest> requests, double fraction, List<HttpRequest> existingValidation) {
        List<HttpRequest> all = new ArrayList<>(requests);
        all.addAll(existingValidation);
        Set<String> free = freeParameters(all);
        Set<String> held = new HashSet<>();
        existingValidation.forEach(request -> hold(request, free, held));
        List<HttpRequest> training = new ArrayList<>();
        List<HttpRequest> validation = new ArrayList<>();
        long cut = (long) (fraction * 1_000_000);
        for (HttpRequest request : requests) {
            if (Math.floorMod(mix(stableHash(request)), 1_000_000) < cut) {
                validation.add(request);
                hold(request, free, held);
            } else {
                training.add(request);
            }
        }
        return new ValidationSplit(training, validation, held);
    }

    private static void hold(HttpRequest request, Set<String> free, Set<String> held) {
        String route = ProfileSet.routeKey(request);
        for (Parameter parameter : request.parameters()) {
            if (free.contains(route + '\u0000' + parameter.key()) && !parameter.value().isEmpty()) {
                held.add(pair(route, parameter));
            }
        }
    }

    /** Whether training may learn the value of {@code parameter} of {@code request} (it is not one of the validation's free values). */
    public boolean learnsValue(HttpRequest request, Parameter parameter) {
        return heldValues.isEmpty() || !heldValues.contains(pair(ProfileSet.routeKey(request), parameter));
    }

    private static String pair(String route, Parameter parameter) {
        return route + '\u0000' + parameter.key() + '\u0000' + parameter.value();
    }

    private static Set<String> freeParameters(List<HttpRequest> requests) {
        Map<String, Set<String>> distinct = new HashMap<>();
        Set<String> free = new HashSet<>();
        for (HttpRequest request : requests) {
            String route = ProfileSet.routeKey(request);
            for (Parameter parameter : request.parameters()) {
                String key = route + '\u0000' + parameter.key();
                if (free.contains(key)) {
                    continue;
                }
                Set<String> values = distinct.computeIfAbsent(key, k -> new HashSet<>());
                values.add(parameter.value());
                if (values.size() > FREE_DISTINCT_VALUES) {
                    free.add(key);
                    distinct.remove(key);
                }
            }
        }
        return free;
    }

    /** A hash that is the same in every run (a record's own hash code is not: enums hash by identity). */
    private static long stableHash(HttpRequest request) {
        long hash = request.method().hashCode() * 31L + request.path().hashCode();
        for (Parameter parameter : request.parameters()) {
            hash = hash * 31 + parameter.key().hashCode();
            hash = hash * 31 + parameter.value().hashCode();
        }
        return hash;
    }

    private static long mix(long x) {
        x = (x ^ (x >>> 33)) * 0xff51afd7ed558ccdL;
        x = (x ^ (x >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return x ^ (x >>> 33);
    }
}
