package dev.freshet.updates.rollout;

import dev.freshet.updates.release.ReleaseException;
import dev.freshet.updates.release.ReleaseStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The order in which the releases of one update become live: a release after the releases of
 * other tracks it needs. A need outside the update must already be live (the store checks that
 * when it activates); needs that form a cycle are refused with the cycle named.
 */
final class DependencyOrder {
    private DependencyOrder() {
    }

    /** The releases (ids or unique prefixes), each after those it needs; refuses two releases of one track and cycles. */
    static List<String> of(Handle h, List<String> releaseIds) {
        Map<String, String> byTrack = new LinkedHashMap<>();
        for (String given : releaseIds) {
            String id = ReleaseStore.resolve(h, given);
            String track = ReleaseStore.trackOf(h, id).name();
            String other = byTrack.putIfAbsent(track, id);
            if (other != null && !other.equals(id)) {
                throw new ReleaseException("One update cannot make two releases of " + track + " live ("
                        + ReleaseStore.shortId(other) + " and " + ReleaseStore.shortId(id) + ").");
            }
        }
        Map<String, Map<String, String>> needs = new LinkedHashMap<>();
        byTrack.forEach((track, id) -> needs.put(track, ReleaseStore.needs(h, id)));
        List<String> order = new ArrayList<>();
        Map<String, Boolean> visiting = new LinkedHashMap<>(); // true while on the path, false once placed
        for (String track : byTrack.keySet()) {
            visit(track, byTrack, needs, visiting, new ArrayList<>(), order);
        }
        return order;
    }

    private static void visit(String track, Map<String, String> byTrack, Map<String, Map<String, String>> needs,
                              Map<String, Boolean> visiting, List<String> path, List<String> order) {
        Boolean state = visiting.get(track);
        if (Boolean.FALSE.equals(state)) {
            return;
        }
        if (Boolean.TRUE.equals(state)) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(track), path.size()));
            cycle.add(track);
            throw new ReleaseException("The releases of this update need each other in a cycle: " + String.join(" -> ", cycle)
                    + ". Release one of them without that need.");
        }
        visiting.put(track, true);
        path.add(track);
        for (String needed : needs.get(track).keySet()) {
            if (byTrack.containsKey(needed)) {
                visit(needed, byTrack, needs, visiting, path, order);
            }
        }
        path.removeLast();
        visiting.put(track, false);
        order.add(byTrack.get(track));
    }
}
