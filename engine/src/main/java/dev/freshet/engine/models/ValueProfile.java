package dev.freshet.engine.models;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import dev.freshet.engine.models.Finding.Feature;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What benign values of one parameter look like, in the family of Kruegel and Vigna's models:
 * length (mean and variance, kept exactly with Welford's update), the character classes seen and
 * the most of each class one value held, the structures seen (runs of character classes), and the
 * values themselves while there are few enough to be an enumeration. Every statistic updates
 * exactly and cheaply with one more value. Mutated only while a model is being trained.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class ValueProfile {
    static final int MAX_SHAPES = 64;
    static final int MAX_VALUES = 32;
    /** Below this many observations a never-seen character class is only a soft finding. */
    static final int MIN_FOR_HARD = 10;
    static final int MIN_FOR_STRUCTURE = 20;
    static final int MIN_FOR_ENUMERATION = 50;

    private long count;
    private int minLength = Integer.MAX_VALUE;
    private int maxLength;
    private double meanLength;
    private double squaredDeviations;
    private long classMask;
    private int[] maxClassCounts = new int[CharacterClasses.COUNT];
    /** Hashes of structures seen; null once there were too many to mean anything. */
    private Set<Long> shapes = new HashSet<>();
    /** Distinct values seen; null once there were too many for an enumeration. */
    private Set<String> values = new HashSet<>();

    public long count() {
        return count;
    }

    ValueProfile copy() {
        ValueProfile copy = new ValueProfile();
        copy.count = count;
        copy.minLength = minLength;
        copy.maxLength = maxLength;
        copy.meanLength = meanLength;
        copy.squaredDeviations = squaredDeviations;
        copy.classMask = classMask;
        copy.maxClassCounts = maxClassCounts.clone();
        copy.shapes = shapes == null ? null : new HashSet<>(shapes);
        copy.values = values == null ? null : new HashSet<>(values);
        return copy;
    }

    boolean isFreeText() {
        return values == null && (classMask & (1L << CharacterClasses.LOWER)) != 0;
    }

    /** Adds one benign value. */
    public void learn(String value) {
        ValueFeatures features = ValueFeatures.of(value);
        count++;
        int length = value.length();
        minLength = Math.min(minLength, length);
        maxLength = Math.max(maxLength, length);
        double delta = length - meanLength;
        meanLength += delta / count;
        squaredDeviations += delta * (length - meanLength);
        classMask |= features.classMask();
        for (int c = 0; c < CharacterClasses.COUNT; c++) {
            maxClassCounts[c] = Math.max(maxClassCounts[c], features.classCounts()[c]);
        }
        if (shapes != null) {
            shapes.add(features.shape());
            if (shapes.size() > MAX_SHAPES) {
                shapes = null;
            }
        }
        if (values != null) {
            values.add(value);
            if (values.size() > MAX_VALUES) {
                values = null;
            }
        }
    }

    /** Adds to {@code findings} what is unusual about {@code value} against this profile. */
    public void judge(String where, String value, List<Finding> findings) {
        ValueFeatures features = ValueFeatures.of(value);
        long newClasses = features.classMask() & ~classMask;
        if (newClasses != 0) {
            boolean hard = count >= MIN_FOR_HARD;
            findings.add(new Finding(where, Feature.NEW_CHARACTERS,
                    "characters never seen in its " + count + " benign values: " + describe(newClasses), hard ? 1 : 0.5, hard));
        }
        double excess = 0;
        int worstClass = -1;
        for (int c = 0; c < CharacterClasses.COUNT; c++) {
            int seen = features.classCounts()[c];
            if (seen > maxClassCounts[c] && (classMask & (1L << c)) != 0) {
                double ratio = (seen - maxClassCounts[c]) / (double) (maxClassCounts[c] + 1);
                if (ratio > excess) {
                    excess = ratio;
                    worstClass = c;
                }
            }
        }
        if (worstClass >= 0) {
            findings.add(new Finding(where, Feature.CHARACTER_COUNT, features.classCounts()[worstClass] + " "
                    + CharacterClasses.describe(worstClass) + ", benign values held at most " + maxClassCounts[worstClass],
                    Math.min(1, excess) * 0.5, false));
        }
        int length = value.length();
        if (length > maxLength || length < minLength) {
            double variance = count > 1 ? squaredDeviations / (count - 1) : 0;
            double distance = length - meanLength;
            // Chebyshev's bound on how likely a benign value lies this far from the mean.
            double likelihood = distance == 0 ? 1 : Math.min(1, variance / (distance * distance));
            findings.add(new Finding(where, Feature.LENGTH, "length " + length + ", benign values were " + minLength + ".."
                    + maxLength + " (mean " + Math.round(meanLength) + ")", 0.2 + 0.8 * (1 - likelihood), false));
        }
        if (shapes != null && count >= MIN_FOR_STRUCTURE && !shapes.contains(features.shape())) {
            findings.add(new Finding(where, Feature.STRUCTURE,
                    "a structure none of its " + shapes.size() + " benign structures has", 0.3, false));
        }
        if (values != null && count >= MIN_FOR_ENUMERATION && !values.contains(value)) {
            findings.add(new Finding(where, Feature.UNSEEN_VALUE,
                    "not one of the " + values.size() + " values benign requests use", 0.6, false));
        }
    }

    private static String describe(long classes) {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < CharacterClasses.COUNT; c++) {
            if ((classes & (1L << c)) != 0) {
                names.add(CharacterClasses.describe(c));
            }
        }
        return String.join(" ", names);
    }

    /** The character statistics of one value, computed in one pass. */
    record ValueFeatures(int[] classCounts, long classMask, long shape) {
        private static final long FNV_OFFSET = 0xcbf29ce484222325L;
        private static final long FNV_PRIME = 0x100000001b3L;

        static ValueFeatures of(String value) {
            int[] counts = new int[CharacterClasses.COUNT];
            long mask = 0;
            long shape = FNV_OFFSET;
            int previous = -1;
            for (int i = 0; i < value.length(); i++) {
                int characterClass = CharacterClasses.of(value.charAt(i));
                counts[characterClass]++;
                mask |= 1L << characterClass;
                // Structure: letters of any case and script are one symbol; runs collapse to one.
                int symbol = characterClass == CharacterClasses.UPPER || characterClass == CharacterClasses.OTHER_LETTER
                        ? CharacterClasses.LOWER : characterClass;
                if (symbol != previous) {
                    shape = (shape ^ symbol) * FNV_PRIME;
                    previous = symbol;
                }
            }
            return new ValueFeatures(counts, mask, shape);
        }
    }
}
