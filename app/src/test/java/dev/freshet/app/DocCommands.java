package dev.freshet.app;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ./freshet ...} commands in a Markdown document's code blocks, read as a shell would split
 * them into words, with the documents' two notations expanded: {@code a|b|c} for alternatives and
 * {@code [--flag]} for an optional flag (kept). Placeholders such as {@code <release>} stay words.
 */
final class DocCommands {
    /** A fenced block: its language and its text. */
    record Block(String language, String text) { }

    /** A command as written (comment removed), and its words after the program name. */
    record Command(String written, List<String> words) { }

    /** A Markdown heading: its level and its text. */
    record Heading(int level, String text) { }

    private static final Pattern FENCE = Pattern.compile("(?m)^```([a-z]*)\\n(.*?)^```", Pattern.DOTALL);
    private static final Pattern ALTERNATIVES = Pattern.compile("[a-z][a-z-]*(\\|[a-z][a-z-]*)+");

    private DocCommands() {
    }

    static List<Block> blocks(String markdown) {
        List<Block> blocks = new ArrayList<>();
        Matcher m = FENCE.matcher(markdown);
        while (m.find()) {
            blocks.add(new Block(m.group(1), m.group(2)));
        }
        return blocks;
    }

    static List<Heading> headings(String markdown) {
        String outsideBlocks = FENCE.matcher(markdown).replaceAll("");
        return outsideBlocks.lines().filter(l -> l.matches("#{1,6} .*"))
                .map(l -> new Heading(l.indexOf(' '), l.substring(l.indexOf(' ') + 1).strip())).toList();
    }

    /** Every {@code ./freshet} command in the document's shell blocks, in order, alternatives expanded. */
    static List<Command> commands(String markdown) {
        List<Command> commands = new ArrayList<>();
        for (Block block : blocks(markdown)) {
            if (!block.language().equals("sh")) {
                continue;
            }
            for (String line : block.text().replace("\\\n", " ").lines().toList()) {
                for (String part : withoutComment(line).split("&&")) {
                    List<String> words = words(part.strip());
                    if (!words.isEmpty() && words.getFirst().equals("./freshet")) {
                        expand(words.subList(1, words.size()), commands, String.join(" ", words));
                    }
                }
            }
        }
        return commands;
    }

    private static void expand(List<String> words, List<Command> into, String written) {
        for (int i = 0; i < words.size(); i++) {
            if (ALTERNATIVES.matcher(words.get(i)).matches()) {
                for (String choice : words.get(i).split("\\|")) {
                    List<String> one = new ArrayList<>(words);
                    one.set(i, choice);
                    expand(one, into, written);
                }
                return;
            }
        }
        into.add(new Command(written, words.stream().map(w -> w.matches("\\[--[a-z-]+]") ? w.substring(1, w.length() - 1) : w).toList()));
    }

    /** The line up to a {@code #} that starts a shell comment (after a blank, outside quotes). */
    static String withoutComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i).stripTrailing();
            }
        }
        return line;
    }

    /** Shell words: blanks separate, single and double quotes group and are removed. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (char c : text.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unclosed quote in: " + text);
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
