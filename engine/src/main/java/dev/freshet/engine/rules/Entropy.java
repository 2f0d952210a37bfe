package dev.freshet.engine.rules;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Semgrep's {@code metavariable-analysis} analyzer {@code entropy} ({@code src/engine/Entropy.ml}):
 * whether a string looks like a secret. Its information is estimated from how rare its letter trigrams
 * are in English; it is high when it holds more than 64 bits and more than 0.6 bits per bit of text.
 * Bytes of the UTF-8 text are read, letters without case, as Semgrep reads them.
 */
public final class Entropy {
    static final double ENTROPY_THRESHOLD = 64;
    static final double DENSITY_THRESHOLD = 0.6;
    /** Bits of a character the trigram table has no count for (digits, punctuation): one of [A-Za-z0-9] at random. */
    private static final double UNKNOWN_CHAR_ENTROPY = log2(62);

    private static final Tables TABLES = Tables.load();

    private Entropy() {
    }

    /** Trigram bits (-log2 of each trigram's frequency) and character bits by byte value. */
    private record Tables(Map<String, Double> trigrams, double[] characters) {
        static Tables load() {
            Map<String, Long> counts = new HashMap<>();
            try (InputStream in = Entropy.class.getResourceAsStream("english-trigrams.txt");
                 BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (!line.startsWith("#")) {
                        int space = line.indexOf(' ');
                        counts.put(line.substring(0, space), Long.parseLong(line.substring(space + 1)));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            long total = counts.values().stream().mapToLong(Long::longValue).sum();
            Map<String, Double> trigrams = new HashMap<>();
            long[] characterCounts = new long[256];
            counts.forEach((trigram, count) -> {
                trigrams.put(trigram, log2((double) total / count));
                trigram.chars().forEach(c -> characterCounts[c] += count);
            });
            double[] characters = new double[256];
            for (int c = 0; c < 256; c++) {
                characters[c] = characterCounts[c] == 0 ? UNKNOWN_CHAR_ENTROPY : log2(3.0 * total / characterCounts[c]);
            }
            return new Tables(Map.copyOf(trigrams), characters);
        }
    }

    /** Semgrep's {@code has_high_score}: both the information and its density are above their thresholds. */
    public static boolean isHigh(String text) {
        if (text.isEmpty()) {
            return false;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        double bits = bits(bytes);
        return bits > ENTROPY_THRESHOLD && bits / (8.0 * bytes.length) > DENSITY_THRESHOLD;
    }

    /** Estimated bits of information in the text. */
    static double bits(String text) {
        return bits(text.getBytes(StandardCharsets.UTF_8));
    }

    private static double bits(byte[] bytes) {
        if (repeatsOneByte(bytes)) {
            return 1; // a run of one character ("xxxxxxxx") carries next to nothing
        }
        int[] upper = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            upper[i] = b >= 'a' && b <= 'z' ? b - 'a' + 'A' : b;
        }
        // Each position starts a trigram, or at the end the longest shorter piece; a trigram spans three
        // positions, so a third of its bits counts for each (two-character ends: the mean of the two).
        double sum = 0;
        for (int i = 0; i + 3 <= upper.length; i++) {
            String trigram = new String(new char[] {(char) upper[i], (char) upper[i + 1], (char) upper[i + 2]});
            Double known = TABLES.trigrams.get(trigram);
            sum += (known != null ? known : characterBits(upper[i]) + characterBits(upper[i + 1]) + characterBits(upper[i + 2])) / 3;
        }
        int n = upper.length;
        if (n >= 2) {
            sum += (characterBits(upper[n - 2]) + characterBits(upper[n - 1])) / 2;
        }
        if (n >= 1) {
            sum += characterBits(upper[n - 1]);
        }
        return sum;
    }

    private static double characterBits(int b) {
        return TABLES.characters[b];
    }

    private static boolean repeatsOneByte(byte[] bytes) {
        for (byte b : bytes) {
            if (b != bytes[0]) {
                return false;
            }
        }
        return bytes.length > 0;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
