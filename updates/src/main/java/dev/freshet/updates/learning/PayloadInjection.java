package dev.freshet.updates.learning;

import dev.freshet.engine.models.HttpRequest.Parameter;
import dev.freshet.engine.models.HttpRequest;
import dev.freshet.engine.models.ProfileSet;
import java.util.ArrayList;
import java.util.List;

/** Attack requests made by putting payloads into the free-text parameters of benign requests. */
public final class PayloadInjection {
    private PayloadInjection() {
    }

    /**
     * One attack per payload: benign requests with a free-text parameter (as {@code profiles}
     * know it) are taken in turn, and the payload replaces the value of one such parameter.
     */
    public static List<HttpRequest> inject(List<HttpRequest> benign, List<String> payloads, ProfileSet profiles) {
        List<HttpRequest> carriers = new ArrayList<>();
        List<Integer> targets = new ArrayList<>();
        for (HttpRequest request : benign) {
            List<Parameter> parameters = request.parameters();
            for (int i = 0; i < parameters.size(); i++) {
                if (profiles.holdsFreeText(request, parameters.get(i))) {
                    carriers.add(request);
                    targets.add(i);
                    break;
                }
            }
        }
        List<HttpRequest> attacks = new ArrayList<>();
        if (carriers.isEmpty()) {
            return attacks;
        }
        for (int p = 0; p < payloads.size(); p++) {
            HttpRequest carrier = carriers.get(p % carriers.size());
            List<Parameter> parameters = new ArrayList<>(carrier.parameters());
            Parameter target = parameters.get(targets.get(p % carriers.size()));
            parameters.set(targets.get(p % carriers.size()), new Parameter(target.location(), target.name(), payloads.get(p)));
            attacks.add(new HttpRequest(carrier.method(), carrier.path(), parameters));
        }
        return attacks;
    }
}
