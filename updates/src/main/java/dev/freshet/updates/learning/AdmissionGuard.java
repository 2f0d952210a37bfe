package dev.freshet.updates.learning;

import dev.freshet.engine.models.Assessment;
import dev.freshet.engine.models.HttpAnomalyModel;
import dev.freshet.engine.models.HttpRequest.Parameter;
import dev.freshet.engine.models.HttpRequest;
import dev.freshet.engine.models.ProfileSet;
import dev.freshet.engine.models.TrafficRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides which collected requests a model may learn from, so that an attacker cannot teach it
 * their traffic. A request is learned only when independent signals say it is benign: a 2xx
 * status where the log has one, a score below the current threshold (not counting names that are
 * merely new), and no hit in the attack payload lists. A new route or parameter is learned only
 * once requests with it came from {@code minClients} distinct clients.
 */
public final class AdmissionGuard {
    public static final int DEFAULT_MIN_CLIENTS = 3;

    /** Why a request was not learned. */
    public enum Reason { NON_2XX_STATUS, ABOVE_THRESHOLD, ATTACK_PAYLOAD }

    public record Quarantined(TrafficRecord record, Reason reason, String detail) {
    }

    /** The outcome for a batch; {@code waiting} requests carry new names too few clients sent. */
    public record Admission(List<HttpRequest> admitted, List<Quarantined> quarantined, int waiting) {
    }

    private final HttpAnomalyModel current;
    private final AttackPayloads payloads;
    private final int minClients;

    public AdmissionGuard(HttpAnomalyModel current, AttackPayloads payloads, int minClients) {
        this.current = current;
        this.payloads = payloads;
        this.minClients = minClients;
    }

    public Admission admit(List<TrafficRecord> records) {
        List<HttpRequest> admitted = new ArrayList<>();
        List<Quarantined> quarantined = new ArrayList<>();
        Map<String, Set<String>> clientsPerNewName = new HashMap<>();
        List<Map.Entry<HttpRequest, Set<String>>> waiting = new ArrayList<>();
        for (TrafficRecord record : records) {
            HttpRequest request = record.request();
            if (record.hasStatus() && (record.status() < 200 || record.status() > 299)) {
                quarantined.add(new Quarantined(record, Reason.NON_2XX_STATUS, "status " + record.status()));
                continue;
            }
            String payload = payloads.hit(request);
            if (payload != null) {
                quarantined.add(new Quarantined(record, Reason.ATTACK_PAYLOAD, abbreviate(payload)));
                continue;
            }
            Assessment assessment = current.assess(request);
            double score = assessment.scoreWithout(finding -> finding.feature().isNovelName());
            if (score > current.threshold()) {
                quarantined.add(new Quarantined(record, Reason.ABOVE_THRESHOLD,
                        "score " + round(score) + " > " + round(current.threshold()) + ": " + assessment.findings().getFirst().reason()));
                continue;
            }
            Set<String> newNames = newNames(request);
            if (newNames.isEmpty()) {
                admitted.add(request);
            } else {
                newNames.forEach(name -> clientsPerNewName.computeIfAbsent(name, key -> new HashSet<>()).add(record.client()));
                waiting.add(Map.entry(request, newNames));
            }
        }
        int stillWaiting = 0;
        for (Map.Entry<HttpRequest, Set<String>> entry : waiting) {
            if (entry.getValue().stream().allMatch(name -> clientsPerNewName.get(name).size() >= minClients)) {
                admitted.add(entry.getKey());
            } else {
                stillWaiting++;
            }
        }
        return new Admission(admitted, quarantined, stillWaiting);
    }

    /** The route (if new) and the parameters the current model has never seen on it. */
    private Set<String> newNames(HttpRequest request) {
        ProfileSet profiles = current.profiles();
        Set<String> names = new TreeSet<>();
        String route = ProfileSet.routeKey(request);
        if (!profiles.knowsRoute(request)) {
            names.add(route);
        }
        for (Parameter parameter : request.parameters()) {
            if (!profiles.knowsName(request, parameter)) {
                names.add(route + " " + parameter.key());
            }
        }
        return names;
    }

    private static String round(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
