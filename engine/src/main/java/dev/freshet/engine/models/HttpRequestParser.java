package dev.freshet.engine.models;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.freshet.engine.models.HttpRequest.Location;
import dev.freshet.engine.models.HttpRequest.Parameter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads HTTP requests into {@link HttpRequest}s: raw HTTP/1.x text, or the parts a log line holds.
 * Every request passes the limits here (size, parameter count, JSON depth), whatever its source.
 */
public final class HttpRequestParser {
    /** Requests longer than this are refused rather than profiled. */
    public static final int MAX_REQUEST_CHARS = 1 << 20;
    public static final int MAX_PARAMETERS = 1_000;
    public static final int MAX_JSON_DEPTH = 32;

    /** Headers whose values say nothing about the request's intent or are read into other parameters. */
    private static final Set<String> UNPROFILED_HEADERS = Set.of("cookie", "content-length");

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_JSON_DEPTH).build())
            .build();

    private HttpRequestParser() {
    }

    /** Parses a raw request: request line, headers, a blank line, then the body. */
    public static HttpRequest parseRaw(String text) throws RequestParseException {
        if (text.length() > MAX_REQUEST_CHARS) {
            throw new RequestParseException("request is larger than " + MAX_REQUEST_CHARS + " characters");
        }
        String normalized = text.replace("\r\n", "\n");
        int headerEnd = normalized.indexOf("\n\n");
        String head = headerEnd < 0 ? normalized : normalized.substring(0, headerEnd);
        String body = headerEnd < 0 ? "" : normalized.substring(headerEnd + 2).strip();
        String[] lines = head.strip().split("\n");
        String[] requestLine = lines[0].strip().split(" ");
        if (requestLine.length < 2 || requestLine.length > 3 || !isToken(requestLine[0])) {
            throw new RequestParseException("not an HTTP request line: '" + abbreviate(lines[0]) + "'");
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new RequestParseException("malformed header line " + (i + 1) + ": '" + abbreviate(lines[i]) + "'");
            }
            headers.add(Map.entry(lines[i].substring(0, colon).strip(), lines[i].substring(colon + 1).strip()));
        }
        return fromParts(requestLine[0], requestLine[1], headers, body);
    }

    /**
     * Builds a request from its parts. {@code target} is the request target as sent: origin form
     * ({@code /a?b=c}) or absolute ({@code http://host/a?b=c}).
     */
    public static HttpRequest fromParts(String method, String target, List<Map.Entry<String, String>> headers, String body)
            throws RequestParseException {
        if (!isToken(method)) {
            throw new RequestParseException("not an HTTP method: '" + abbreviate(method) + "'");
        }
        if (target.length() + body.length() > MAX_REQUEST_CHARS) {
            throw new RequestParseException("request is larger than " + MAX_REQUEST_CHARS + " characters");
        }
        List<Parameter> parameters = new ArrayList<>();
        String pathAndQuery = stripOrigin(target);
        int question = pathAndQuery.indexOf('?');
        String rawPath = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
        int fragment = rawPath.indexOf('#');
        if (fragment >= 0) {
            rawPath = rawPath.substring(0, fragment);
        }
        Decoded path = percentDecode(rawPath, false);
        if (question >= 0) {
            readForm(pathAndQuery.substring(question + 1), Location.QUERY, parameters);
        }
        String contentType = "";
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("cookie")) {
                readCookies(header.getValue(), parameters);
            } else if (name.equals("content-type")) {
                contentType = header.getValue().toLowerCase(Locale.ROOT);
            }
            if (!UNPROFILED_HEADERS.contains(name)) {
                add(parameters, new Parameter(Location.HEADER, name, header.getValue()));
            }
        }
        if (!body.isEmpty()) {
            readBody(body, contentType, parameters);
        }
        if (path.malformed()) {
            add(parameters, new Parameter(Location.QUERY, "(path)", rawPath, true));
        }
        return new HttpRequest(method.toUpperCase(Locale.ROOT), path.text(), parameters);
    }

    private static void readBody(String body, String contentType, List<Parameter> parameters) throws RequestParseException {
        if (contentType.contains("json") || (contentType.isEmpty() && (body.startsWith("{") || body.startsWith("[")))) {
            readJson(body, parameters);
        } else if (contentType.isEmpty() || contentType.startsWith("application/x-www-form-urlencoded")) {
            readForm(body, Location.BODY, parameters);
        } else {
            add(parameters, new Parameter(Location.BODY, "(body)", body));
        }
    }

    /** Reads {@code a=1&b=2} pairs; a name without {@code =} has an empty value. */
    static void readForm(String form, Location location, List<Parameter> parameters) throws RequestParseException {
        int start = 0;
        while (start <= form.length()) {
            int end = form.indexOf('&', start);
            if (end < 0) {
                end = form.length();
            }
            if (end > start) {
                String pair = form.substring(start, end);
                int equals = pair.indexOf('=');
                Decoded name = percentDecode(equals < 0 ? pair : pair.substring(0, equals), true);
                Decoded value = percentDecode(equals < 0 ? "" : pair.substring(equals + 1), true);
                add(parameters, new Parameter(location, name.text(), value.text(), name.malformed() || value.malformed()));
            }
            start = end + 1;
        }
    }

    private static void readCookies(String header, List<Parameter> parameters) throws RequestParseException {
        for (String cookie : header.split(";")) {
            String pair = cookie.strip();
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            add(parameters, new Parameter(Location.COOKIE, equals < 0 ? pair : pair.substring(0, equals).strip(),
                    equals < 0 ? "" : pair.substring(equals + 1).strip()));
        }
    }

    private static void readJson(String body, List<Parameter> parameters) throws RequestParseException {
        try (JsonParser json = JSON.createParser(body)) {
            JsonToken first = json.nextToken();
            if (first == null) {
                return;
            }
            readJsonValue(json, first, "", parameters);
            if (json.nextToken() != null) {
                throw new RequestParseException("JSON body has content after its end");
            }
        } catch (IOException e) {
            throw new RequestParseException("malformed JSON body: " + firstLine(e.getMessage()));
        }
    }

    private static void readJsonValue(JsonParser json, JsonToken token, String name, List<Parameter> parameters)
            throws IOException, RequestParseException {
        switch (token) {
            case START_OBJECT -> {
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String field = json.currentName();
                    readJsonValue(json, json.nextToken(), name.isEmpty() ? field : name + "." + field, parameters);
                }
            }
            case START_ARRAY -> {
                JsonToken next;
                while ((next = json.nextToken()) != JsonToken.END_ARRAY && next != null) {
                    readJsonValue(json, next, name + "[]", parameters);
                }
            }
            case VALUE_NULL -> add(parameters, new Parameter(Location.BODY, name.isEmpty() ? "(body)" : name, "null"));
            default -> add(parameters, new Parameter(Location.BODY, name.isEmpty() ? "(body)" : name, json.getText()));
        }
    }

    private static void add(List<Parameter> parameters, Parameter parameter) throws RequestParseException {
        if (parameters.size() >= MAX_PARAMETERS) {
            throw new RequestParseException("request has more than " + MAX_PARAMETERS + " parameters");
        }
        parameters.add(parameter);
    }

    /** {@code http://host:8080/a/b?c} becomes {@code /a/b?c}. */
    private static String stripOrigin(String target) {
        int scheme = target.indexOf("://");
        if (scheme > 0 && scheme < 10 && target.indexOf('/') > scheme) {
            int slash = target.indexOf('/', scheme + 3);
            return slash < 0 ? "/" : target.substring(slash);
        }
        return target;
    }

    record Decoded(String text, boolean malformed) {
    }

    /**
     * Decodes percent escapes (and {@code +} as a space in forms). The bytes are read as UTF-8 when
     * they are valid UTF-8, else as ISO-8859-1, as older applications send. A broken escape stays as
     * written and is reported.
     */
    static Decoded percentDecode(String text, boolean plusIsSpace) {
        if (text.indexOf('%') < 0 && (!plusIsSpace || text.indexOf('+') < 0)) {
            return new Decoded(text, false);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        boolean malformed = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length() && hex(text.charAt(i + 1)) >= 0 && hex(text.charAt(i + 2)) >= 0) {
                bytes.write(hex(text.charAt(i + 1)) * 16 + hex(text.charAt(i + 2)));
                i += 2;
            } else if (c == '%') {
                malformed = true;
                bytes.write('%');
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        byte[] raw = bytes.toByteArray();
        try {
            String utf8 = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
            return new Decoded(utf8, malformed);
        } catch (CharacterCodingException e) {
            return new Decoded(new String(raw, StandardCharsets.ISO_8859_1), malformed);
        }
    }

    private static int hex(char c) {
        return Character.digit(c, 16) >= 0 && c < 128 ? Character.digit(c, 16) : -1;
    }

    private static boolean isToken(String text) {
        if (text.isEmpty() || text.length() > 32) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    private static String firstLine(String message) {
        return message == null ? "unreadable" : message.lines().findFirst().orElse("unreadable");
    }
}
