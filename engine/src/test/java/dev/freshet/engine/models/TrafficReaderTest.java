package dev.freshet.engine.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficReaderTest {
    private static List<TrafficReader.Item> readAll(String text, TrafficFormat format) throws IOException {
        List<TrafficReader.Item> items = new ArrayList<>();
        try (TrafficReader reader = new TrafficReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), format, 0)) {
            for (TrafficReader.Item item = reader.next(); item != null; item = reader.next()) {
                items.add(item);
            }
        }
        return items;
    }

    private static List<TrafficRecord> records(List<TrafficReader.Item> items) {
        return items.stream().filter(TrafficReader.Read.class::isInstance).map(item -> ((TrafficReader.Read) item).record()).toList();
    }

    @Test
    void rawRequestsWithGarbageAndATruncatedLastOne() throws IOException {
        String text = """
                garbage before the first request
                GET http://localhost:8080/a.jsp?x=1 HTTP/1.1
                Host: localhost:8080

                POST http://localhost:8080/b.jsp HTTP/1.1
                Content-Type: application/x-www-form-urlencoded
                Content-Length: 7

                id=2&y=

                GET http://localhost:8080/c.jsp HTTP/1.1
                Host: loc""";
        List<TrafficReader.Item> items = readAll(text, TrafficFormat.CSIC);
        assertThat(items.getFirst()).isInstanceOf(TrafficReader.Malformed.class);
        List<TrafficRecord> records = records(items);
        assertThat(records).extracting(record -> record.request().path()).containsExactly("/a.jsp", "/b.jsp", "/c.jsp");
        assertThat(records.get(1).request().parameters()).extracting(HttpRequest.Parameter::name).contains("id", "y");
        assertThat(items.getLast().endOffset()).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void combinedAndCommonLogLines() throws IOException {
        String text = """
                10.0.0.1 - - [10/Oct/2026:13:55:36 +0000] "GET /search?q=red+shoes HTTP/1.1" 200 2326 "https://shop/" "Mozilla/5.0"
                10.0.0.2 - frank [10/Oct/2026:13:55:37 +0000] "POST /login HTTP/1.1" 302 0
                10.0.0.3 - - [10/Oct/2026:13:55:38 +0000] "GET /q?s=\\x22quoted\\x22 HTTP/1.1" 404 12 "-" "curl/8"
                not a log line at all
                10.0.0.4 - - [10/Oct/2026:13:55:39 +0000] "-" 400 0 "-" "-"
                """;
        List<TrafficReader.Item> items = readAll(text, TrafficFormat.COMBINED);
        List<TrafficRecord> records = records(items);
        assertThat(records).extracting(TrafficRecord::status).containsExactly(200, 302, 404);
        assertThat(records).extracting(TrafficRecord::client).containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3");
        assertThat(records.getFirst().request().parameters()).anyMatch(p -> p.name().equals("q") && p.value().equals("red shoes"));
        assertThat(records.get(2).request().parameters()).anyMatch(p -> p.name().equals("s") && p.value().equals("\"quoted\""));
        assertThat(items).filteredOn(TrafficReader.Malformed.class::isInstance).hasSize(2);
    }

    @Test
    void lastLineWithoutNewlineIsLeftForTheNextRead() throws IOException {
        String complete = "10.0.0.1 - - [10/Oct/2026:13:55:36 +0000] \"GET /a HTTP/1.1\" 200 1\n";
        List<TrafficReader.Item> items = readAll(complete + "10.0.0.1 - - [10/Oct/2026:13:55:3", TrafficFormat.COMBINED);
        assertThat(items).hasSize(1);
        assertThat(items.getFirst().endOffset()).isEqualTo(complete.length());
    }

    @Test
    void jsonLinesInBothShapesAndBrokenOnes() throws IOException {
        String text = """
                {"method":"POST","url":"/api/items?page=2","headers":{"User-Agent":"app/1"},"body":{"name":"lamp","tags":["a"]},"status":201,"client":"10.1.1.1"}
                {"request":"GET /raw?x=1 HTTP/1.1\\nHost: h\\n\\n","status":200,"ip":"10.1.1.2"}
                {"method":"GET"}
                {"method":"GET","url":"/a"
                [1,2,3]
                """;
        List<TrafficReader.Item> items = readAll(text, TrafficFormat.JSONL);
        List<TrafficRecord> records = records(items);
        assertThat(records).hasSize(2);
        assertThat(records.getFirst().request().parameters()).anyMatch(p -> p.name().equals("tags[]") && p.value().equals("a"));
        assertThat(records.getFirst().status()).isEqualTo(201);
        assertThat(records.get(1).client()).isEqualTo("10.1.1.2");
        assertThat(items).filteredOn(TrafficReader.Malformed.class::isInstance)
                .extracting(item -> ((TrafficReader.Malformed) item).reason())
                .anyMatch(reason -> reason.contains("needs 'method' and 'url'"))
                .anyMatch(reason -> reason.contains("not a JSON object"))
                .hasSize(3);
    }

    @Test
    void overlongLineIsSkippedAsMalformed() throws IOException {
        String text = "x".repeat(TrafficReader.MAX_LINE_BYTES + 10) + "\n"
                + "10.0.0.1 - - [10/Oct/2026:13:55:36 +0000] \"GET /a HTTP/1.1\" 200 1\n";
        List<TrafficReader.Item> items = readAll(text, TrafficFormat.COMBINED);
        assertThat(items.getFirst()).isInstanceOfSatisfying(TrafficReader.Malformed.class,
                bad -> assertThat(bad.reason()).contains("longer than"));
        assertThat(records(items)).hasSize(1);
    }
}
