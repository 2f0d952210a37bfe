package dev.freshet.engine.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads {@link TrafficRecord}s from a traffic file from a byte offset on, one item at a time, and
 * says how far it has read: the offset after the last complete item is the cursor to resume from.
 * A bad entry becomes a {@link Malformed} item and reading goes on. In line formats a last line
 * without its newline may still be being written: it is left for the next read.
 */
public final class TrafficReader implements Closeable {
    /** Lines longer than this are skipped as malformed, whatever the format. */
    public static final int MAX_LINE_BYTES = HttpRequestParser.MAX_REQUEST_CHARS;

    private static final Pattern REQUEST_LINE = Pattern.compile("^[A-Za-z]{1,32} \\S+ HTTP/\\d(\\.\\d)?$");
    // host ident user [time] "request" status size ["referer" "user-agent"]
    private static final Pattern ACCESS_LOG = Pattern.compile(
            "^(\\S+) \\S+ \\S+ \\[[^\\]]*\\] \"((?:[^\"\\\\]|\\\\.)*)\" (\\d{3}|-) \\S+(?: \"((?:[^\"\\\\]|\\\\.)*)\" \"((?:[^\"\\\\]|\\\\.)*)\")?");
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(HttpRequestParser.MAX_JSON_DEPTH).build());
    }

    /** One thing read: a record or a malformed entry, each with the offset just after it. */
    public sealed interface Item {
        long endOffset();
    }

    public record Read(TrafficRecord record, long endOffset) implements Item {
    }

    public record Malformed(long startOffset, String reason, long endOffset) implements Item {
    }

    private record Line(String text, long start, long end, boolean terminated) {
    }

    private final InputStream in;
    private final TrafficFormat format;
    private long position;
    private Line lookahead;
    private boolean exhausted;

    /** {@code in} must be positioned at {@code startOffset}. */
    public TrafficReader(InputStream in, TrafficFormat format, long startOffset) {
        this.in = new BufferedInputStream(in, 1 << 16);
        this.format = format;
        this.position = startOffset;
    }

    /** The next item, or null at the end of what is complete. */
    public Item next() throws IOException {
        return format == TrafficFormat.CSIC ? nextRawRequest() : nextLogLine();
    }

    private Item nextLogLine() throws IOException {
        while (true) {
            Line line = readLine();
            if (line == null || !line.terminated()) {
                return null;
            }
            if (line.text() == null) {
                return new Malformed(line.start(), "line longer than " + MAX_LINE_BYTES + " bytes", line.end());
            }
            if (line.text().isBlank()) {
                continue;
            }
            try {
                TrafficRecord record = format == TrafficFormat.JSONL ? fromJson(line.text()) : fromAccessLog(line.text());
                return new Read(record, line.end());
            } catch (RequestParseException e) {
                return new Malformed(line.start(), e.getMessage(), line.end());
            }
        }
    }

    /** Raw requests: a request line, headers, a blank line, a body up to the next request line. */
    private Item nextRawRequest() throws IOException {
        Line first = take();
        while (first != null && (first.text() == null || first.text().isBlank())) {
            if (first.text() == null) {
                return new Malformed(first.start(), "line longer than " + MAX_LINE_BYTES + " bytes", first.end());
            }
            first = take();
        }
        if (first == null) {
            return null;
        }
        if (!REQUEST_LINE.matcher(first.text().strip()).matches()) {
            Line skipped = first;
            while (peek() != null && !isRequestLine(peek())) {
                skipped = take();
            }
            return new Malformed(first.start(), "not an HTTP request line: '" + abbreviate(first.text()) + "'", skipped.end());
        }
        StringBuilder text = new StringBuilder(first.text()).append('\n');
        long end = first.end();
        while (peek() != null && !isRequestLine(peek())) {
            Line line = take();
            if (line.text() == null) {
                return new Malformed(first.start(), "request with a line longer than " + MAX_LINE_BYTES + " bytes", line.end());
            }
            text.append(line.text()).append('\n');
            end = line.end();
            if (text.length() > HttpRequestParser.MAX_REQUEST_CHARS) {
                while (peek() != null && !isRequestLine(peek())) {
                    end = take().end();
                }
                return new Malformed(first.start(), "request larger than " + HttpRequestParser.MAX_REQUEST_CHARS + " characters", end);
            }
        }
        try {
            return new Read(new TrafficRecord(HttpRequestParser.parseRaw(text.toString()), TrafficRecord.NO_STATUS, ""), end);
        } catch (RequestParseException e) {
            return new Malformed(first.start(), e.getMessage(), end);
        }
    }

    private static boolean isRequestLine(Line line) {
        return line.text() != null && REQUEST_LINE.matcher(line.text().strip()).matches();
    }

    private Line peek() throws IOException {
        if (lookahead == null && !exhausted) {
            lookahead = readLine();
            exhausted = lookahead == null;
        }
        return lookahead;
    }

    private Line take() throws IOException {
        Line line = peek();
        lookahead = null;
        return line;
    }

    /** Reads one line; its text is null when it was too long (the rest of it is skipped). */
    private Line readLine() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        long start = position;
        boolean tooLong = false;
        int b;
        while ((b = in.read()) >= 0) {
            position++;
            if (b == '\n') {
                return new Line(tooLong ? null : decode(bytes), start, position, true);
            }
            if (bytes.size() < MAX_LINE_BYTES) {
                bytes.write(b);
            } else {
                tooLong = true;
            }
        }
        if (position == start) {
            return null;
        }
        return new Line(tooLong ? null : decode(bytes), start, position, false);
    }

    private static String decode(ByteArrayOutputStream bytes) {
        String text = bytes.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private static TrafficRecord fromAccessLog(String line) throws RequestParseException {
        Matcher matcher = ACCESS_LOG.matcher(line);
        if (!matcher.lookingAt()) {
            throw new RequestParseException("not a common or combined log line: '" + abbreviate(line) + "'");
        }
        String[] request = unescape(matcher.group(2)).split(" ");
        if (request.length < 2 || request.length > 3) {
            throw new RequestParseException("log line without a request: '" + abbreviate(matcher.group(2)) + "'");
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        if (matcher.group(4) != null && !matcher.group(4).equals("-")) {
            headers.add(Map.entry("Referer", unescape(matcher.group(4))));
        }
        if (matcher.group(5) != null && !matcher.group(5).equals("-")) {
            headers.add(Map.entry("User-Agent", unescape(matcher.group(5))));
        }
        int status = matcher.group(3).equals("-") ? TrafficRecord.NO_STATUS : Integer.parseInt(matcher.group(3));
        return new TrafficRecord(HttpRequestParser.fromParts(request[0], request[1], headers, ""), status, matcher.group(1));
    }

    /** nginx writes {@code \x22} for a quote, Apache {@code \"}. */
    private static String unescape(String text) {
        if (text.indexOf('\\') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 3 < text.length() && text.charAt(i + 1) == 'x'
                    && Character.digit(text.charAt(i + 2), 16) >= 0 && Character.digit(text.charAt(i + 3), 16) >= 0) {
                out.append((char) Integer.parseInt(text.substring(i + 2, i + 4), 16));
                i += 3;
            } else if (c == '\\' && i + 1 < text.length()) {
                out.append(text.charAt(++i));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static TrafficRecord fromJson(String line) throws RequestParseException {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new RequestParseException("not a JSON object: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new RequestParseException("not a JSON object");
        }
        int status = node.path("status").canConvertToInt() ? node.path("status").asInt() : TrafficRecord.NO_STATUS;
        String client = firstText(node, "client", "ip", "remote_addr");
        if (node.path("request").isTextual()) {
            return new TrafficRecord(HttpRequestParser.parseRaw(node.path("request").asText()), status, client);
        }
        String method = node.path("method").asText("");
        String target = firstText(node, "url", "uri", "target", "path");
        if (method.isEmpty() || target.isEmpty()) {
            throw new RequestParseException("JSON line needs 'method' and 'url' (or 'request' with the raw request)");
        }
        if (node.path("query").isTextual() && !node.path("query").asText().isEmpty() && target.indexOf('?') < 0) {
            target = target + "?" + node.path("query").asText();
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        node.path("headers").properties().forEach(header -> {
            if (header.getValue().isArray()) {
                header.getValue().forEach(value -> headers.add(Map.entry(header.getKey(), value.asText())));
            } else {
                headers.add(Map.entry(header.getKey(), header.getValue().asText()));
            }
        });
        JsonNode body = node.path("body");
        String bodyText = body.isMissingNode() || body.isNull() ? "" : body.isTextual() ? body.asText() : body.toString();
        if (!bodyText.isEmpty() && !body.isTextual() && headers.stream().noneMatch(h -> h.getKey().equalsIgnoreCase("content-type"))) {
            headers.add(Map.entry("Content-Type", "application/json"));
        }
        return new TrafficRecord(HttpRequestParser.fromParts(method, target, headers, bodyText), status, client);
    }

    private static String firstText(JsonNode node, String... names) {
        for (String name : names) {
            if (node.path(name).isValueNode() && !node.path(name).asText().isEmpty()) {
                return node.path(name).asText();
            }
        }
        return "";
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
