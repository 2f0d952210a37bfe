package dev.freshet.updates.learning;

import dev.freshet.engine.models.HttpRequest.Parameter;
import dev.freshet.engine.models.HttpRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Public attack payload lists, read as they are published: CSV files with a {@code label} column
 * (httpparams {@code payload_*.csv}: rows labelled {@code anom}) and lists of attack URLs, one a
 * line (fwaf {@code badqueries.txt}: the whole line and each of its query values). A request hits
 * the lists when its path or one of its values, normalised, is one of the payloads.
 */
public final class AttackPayloads {
    /** Shorter payloads ("1", "a") would hit benign values by chance. */
    static final int MIN_LENGTH = 4;
    /** Compiled once: normalising runs on every value of every collected request. */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final Set<String> normalized;

    AttackPayloads(Set<String> normalized) {
        this.normalized = Collections.unmodifiableSet(normalized);
    }

    public static AttackPayloads none() {
        return new AttackPayloads(Set.of());
    }

    /** The lookup for payloads as {@link #readList} read them. */
    public static AttackPayloads ofPayloads(List<String> payloads) {
        Set<String> normalized = new LinkedHashSet<>();
        payloads.forEach(payload -> addNormalized(normalized, payload));
        return new AttackPayloads(normalized);
    }

    /** Reads several payload lists into one, without repeats; an unreadable file is an {@link IOException}. */
    public static List<String> readLists(List<Path> files) throws IOException {
        Set<String> payloads = new LinkedHashSet<>();
        for (Path file : files) {
            payloads.addAll(readList(file));
        }
        return List.copyOf(payloads);
    }

    /** The payloads of one list, as written (not normalised), in order. */
    public static List<String> readList(Path file) throws IOException {
        List<String> payloads = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            if (file.getFileName().toString().endsWith(".csv")) {
                readCsv(reader, file, payloads);
            } else {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (!line.isBlank()) {
                        payloads.add(line.strip());
                        int question = line.indexOf('?');
                        if (question >= 0) {
                            for (String pair : line.substring(question + 1).split("&")) {
                                int equals = pair.indexOf('=');
                                payloads.add(decode(equals < 0 ? pair : pair.substring(equals + 1)));
                            }
                        }
                    }
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return payloads;
    }

    private static void readCsv(BufferedReader reader, Path file, List<String> payloads) throws IOException {
        List<String> header = CsvRows.next(reader);
        int payloadColumn = header == null ? -1 : header.indexOf("payload");
        int labelColumn = header == null ? -1 : header.indexOf("label");
        if (payloadColumn < 0 || labelColumn < 0) {
            throw new IOException(file + ": a payload CSV needs 'payload' and 'label' columns");
        }
        for (List<String> row = CsvRows.next(reader); row != null; row = CsvRows.next(reader)) {
            if (row.size() > Math.max(payloadColumn, labelColumn) && row.get(labelColumn).equals("anom")) {
                payloads.add(row.get(payloadColumn));
            }
        }
    }

    public int size() {
        return normalized.size();
    }

    public Set<String> normalizedPayloads() {
        return normalized;
    }

    /** The payload {@code request} carries, or null. */
    public String hit(HttpRequest request) {
        if (normalized.isEmpty()) {
            return null;
        }
        if (normalized.contains(normalize(request.path()))) {
            return request.path();
        }
        for (Parameter parameter : request.parameters()) {
            if (parameter.value().length() >= MIN_LENGTH && normalized.contains(normalize(parameter.value()))) {
                return parameter.value();
            }
        }
        return null;
    }

    private static void addNormalized(Set<String> normalized, String payload) {
        String value = normalize(payload);
        if (value.length() >= MIN_LENGTH) {
            normalized.add(value);
        }
    }

    static String normalize(String value) {
        return WHITESPACE.matcher(value.strip()).replaceAll(" ").toLowerCase(Locale.ROOT);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
