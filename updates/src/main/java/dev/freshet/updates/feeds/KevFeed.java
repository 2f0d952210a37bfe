package dev.freshet.updates.feeds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.freshet.engine.deps.Advisory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CISA's Known Exploited Vulnerabilities catalog, one JSON document. Downloaded only when it
 * changed ({@code If-None-Match}; a catalog whose {@code catalogVersion} is the stored one is not
 * stored again); each entry becomes an advisory with the CVE id and the KEV flag, which merging by
 * id carries onto every other feed's record of that CVE.
 */
public final class KevFeed implements Feed {
    public static final String NAME = "kev";
    public static final URI DEFAULT_ENDPOINT =
            URI.create("https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json");
    private static final Logger LOG = LoggerFactory.getLogger(KevFeed.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final FeedTransport transport;
    private final URI endpoint;

    /** The cursor: the download's validator and the catalog version stored. */
    record Cursor(String etag, String catalogVersion) {
        String encode() {
            try {
                return JSON.writeValueAsString(JSON.createObjectNode().put("etag", etag).put("catalogVersion", catalogVersion));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        static Cursor decode(String text) {
            if (text == null) {
                return new Cursor(null, null);
            }
            try {
                JsonNode node = JSON.readTree(text);
                return new Cursor(node.path("etag").textValue(), node.path("catalogVersion").textValue());
            } catch (IOException e) {
                return new Cursor(null, null);
            }
        }
    }

    public KevFeed(FeedTransport transport, URI endpoint) {
        this.transport = transport;
        this.endpoint = endpoint;
    }

    @Override
    public String name() {
        return NAME;
    }


    @Override
    public void sync(String cursorText, PageSink sink) throws FeedException, InterruptedException {
        Cursor cursor = Cursor.decode(cursorText);
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).GET().header("Accept", "application/json");
        if (cursor.etag() != null) {
            request.header("If-None-Match", cursor.etag());
        }
        HttpResponse<byte[]> response = transport.send(NAME, request.build());
        if (response.statusCode() == 304) {
            return;
        }
        JsonNode root;
        try {
            root = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new FeedException(NAME, "catalog from " + endpoint + " is not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.path("vulnerabilities").isArray() || !root.path("catalogVersion").isTextual()) {
            throw new FeedException(NAME, "answer from " + endpoint + " is not a KEV catalog (no catalogVersion or vulnerabilities)");
        }
        String version = root.get("catalogVersion").asText();
        Cursor after = new Cursor(response.headers().firstValue("ETag").orElse(null), version);
        if (version.equals(cursor.catalogVersion())) {
            sink.accept(new FeedPage(List.of(), after.encode()));
            return;
        }
        List<Advisory> advisories = new ArrayList<>();
        int skipped = 0;
        for (JsonNode entry : root.get("vulnerabilities")) {
            Advisory advisory = advisory(entry);
            if (advisory == null) {
                skipped++;
            } else {
                advisories.add(advisory);
            }
        }
        if (skipped > 0) {
            LOG.warn("feed kev: catalog {} has {} entries without a CVE id or valid dates; skipped them", version, skipped);
        }
        sink.accept(new FeedPage(advisories, after.encode(), true));
    }

    /** One catalog entry, or null when it lacks a CVE id or a readable dateAdded. */
    static Advisory advisory(JsonNode entry) {
        String cve = entry.path("cveID").asText("");
        if (!cve.matches("CVE-\\d{4}-\\d{4,}")) {
            return null;
        }
        LocalDate added = date(entry.path("dateAdded").asText(""));
        if (added == null) {
            return null;
        }
        boolean ransomware = "Known".equalsIgnoreCase(entry.path("knownRansomwareCampaignUse").asText(""));
        List<String> cwes = new ArrayList<>();
        entry.path("cwes").forEach(cwe -> {
            if (cwe.asText("").matches("CWE-\\d+")) {
                cwes.add(cwe.asText());
            }
        });
        String summary = entry.path("shortDescription").asText("").strip();
        return new Advisory(cve, List.of(), summary, null, null, null, List.of(), List.of(), cwes,
                new Advisory.Kev(added, date(entry.path("dueDate").asText("")), ransomware));
    }

    private static LocalDate date(String text) {
        try {
            return text.isBlank() ? null : LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
