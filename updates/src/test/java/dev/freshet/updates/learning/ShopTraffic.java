package dev.freshet.updates.learning;

import dev.freshet.engine.models.HttpRequest;
import dev.freshet.engine.models.HttpRequestParser;
import dev.freshet.engine.models.RequestParseException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Synthetic benign traffic of a small shop, the same in every run: the fixture of the learning tests. */
final class ShopTraffic {
    private static final String[] FIRST = {"Ana", "Luis", "Marta", "Jon", "Eva", "Iñaki", "Rosa", "Pau", "Sara", "Hugo", "Lía", "Teo"};
    private static final String[] LAST = {"Pérez", "García", "Ruiz", "Ortega", "Sanz", "Vidal", "Mora", "Gil", "Soler", "Prat"};

    private ShopTraffic() {
    }

    /** {@code count} benign requests over {@code routes} of: item, search, register, cart. */
    static List<String> targets(int count, long seed, List<String> routes) {
        Random random = new Random(seed);
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String route = routes.get(i % routes.size());
            String name = FIRST[random.nextInt(FIRST.length)] + (random.nextBoolean() ? " " + LAST[random.nextInt(LAST.length)] : "")
                    + (random.nextInt(50) == 0 ? random.nextInt(1000) : "");
            targets.add(switch (route) {
                case "item" -> "/shop/item?id=" + (1 + random.nextInt(500)) + "&name=" + encode(name);
                case "search" -> "/shop/search?q=" + encode(name.toLowerCase()) + "&page=" + random.nextInt(9);
                case "register" -> "/shop/register?login=" + encode(name.toLowerCase().replace(' ', '.')) + random.nextInt(100)
                        + "&email=" + encode(name.toLowerCase().replace(' ', '_')) + "%40mail.example&city=" + encode(LAST[random.nextInt(LAST.length)]);
                default -> "/shop/" + route + "?sku=" + (1000 + random.nextInt(9000)) + "&qty=" + (1 + random.nextInt(9));
            });
        }
        return targets;
    }

    static HttpRequest request(String target) {
        try {
            return HttpRequestParser.fromParts("GET", target, List.of(Map.entry("User-Agent", "Mozilla/5.0")), "");
        } catch (RequestParseException e) {
            throw new AssertionError(e);
        }
    }

    /** The targets as raw requests, one after the other (the CSIC format). */
    static String raw(List<String> targets) {
        StringBuilder text = new StringBuilder();
        targets.forEach(target -> text.append("GET http://localhost:8080").append(target)
                .append(" HTTP/1.1\nUser-Agent: Mozilla/5.0\nHost: localhost:8080\n\n\n"));
        return text.toString();
    }

    /** The targets as combined log lines, from {@code clients} distinct addresses, all with {@code status}. */
    static String combined(List<String> targets, int clients, int status) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < targets.size(); i++) {
            text.append("10.0.").append(i % clients).append(".9 - - [07/Dec/2026:03:00:00 +0000] \"GET ").append(targets.get(i))
                    .append(" HTTP/1.1\" ").append(status).append(" 512 \"-\" \"Mozilla/5.0\"\n");
        }
        return text.toString();
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
