package dev.freshet.engine.rules;

import dev.freshet.engine.rules.TaintSpec.LabelCondition;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code requires:} formula: label names combined with {@code and}, {@code or},
 * {@code not} and parentheses, as in Python. Names are numbered through the rule's label list,
 * so a label that no source produces simply never holds.
 */
final class LabelConditionParser {
    private static final Pattern TOKEN = Pattern.compile("\\s*(\\(|\\)|[A-Za-z_][A-Za-z0-9_]*)");
    static final int MAX_LABELS = 63;

    private final String text;
    private final List<String> labels;
    private int position;
    private String token;

    private LabelConditionParser(String text, List<String> labels) {
        this.text = text;
        this.labels = labels;
    }

    /**
     * @param labels the rule's label names by bit; names seen for the first time are added
     * @throws IllegalArgumentException naming what is wrong
     */
    static LabelCondition parse(String text, List<String> labels) {
        LabelConditionParser parser = new LabelConditionParser(text, labels);
        parser.advance();
        LabelCondition condition = parser.or();
        if (parser.token != null) {
            throw new IllegalArgumentException("unexpected '" + parser.token + "'");
        }
        return condition;
    }

    /** The bit of a label name, adding it when new. */
    static int bit(String label, List<String> labels) {
        int at = labels.indexOf(label);
        if (at >= 0) {
            return at;
        }
        if (labels.size() >= MAX_LABELS) {
            throw new IllegalArgumentException("more than " + MAX_LABELS + " taint labels");
        }
        labels.add(label);
        return labels.size() - 1;
    }

    private void advance() {
        if (position >= text.length() || text.substring(position).isBlank()) {
            token = null;
            return;
        }
        Matcher m = TOKEN.matcher(text);
        if (!m.find(position) || m.start() != position) {
            throw new IllegalArgumentException("unexpected text at '" + text.substring(position).strip() + "'");
        }
        token = m.group(1);
        position = m.end();
    }

    private LabelCondition or() {
        LabelCondition left = and();
        while ("or".equals(token)) {
            advance();
            left = new LabelCondition.Or(left, and());
        }
        return left;
    }

    private LabelCondition and() {
        LabelCondition left = not();
        while ("and".equals(token)) {
            advance();
            left = new LabelCondition.And(left, not());
        }
        return left;
    }

    private LabelCondition not() {
        if ("not".equals(token)) {
            advance();
            return new LabelCondition.Not(not());
        }
        return atom();
    }

    private LabelCondition atom() {
        if (token == null) {
            throw new IllegalArgumentException("unexpected end");
        }
        String current = token;
        advance();
        switch (current) {
            case "(" -> {
                LabelCondition inner = or();
                if (!")".equals(token)) {
                    throw new IllegalArgumentException("missing ')'");
                }
                advance();
                return inner;
            }
            case ")", "and", "or" -> throw new IllegalArgumentException("unexpected '" + current + "'");
            case "True", "true" -> {
                return new LabelCondition.Constant(true);
            }
            case "False", "false" -> {
                return new LabelCondition.Constant(false);
            }
            default -> {
                return new LabelCondition.Label(bit(current, labels));
            }
        }
    }
}
