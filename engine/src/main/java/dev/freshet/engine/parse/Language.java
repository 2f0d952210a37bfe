package dev.freshet.engine.parse;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The languages rules name, with their names and file extensions. Most are parsed (tree-sitter) and
 * apply to files of their extensions; {@code generic} and {@code regex} read any text file as it is.
 */
public enum Language {
    PYTHON(List.of("python", "py", "python3"), List.of("py", "pyi"), "#"),
    JAVASCRIPT(List.of("javascript", "js"), List.of("js", "jsx", "mjs", "cjs"), "//"),
    TYPESCRIPT(List.of("typescript", "ts"), List.of("ts", "mts", "cts"), "//"),
    TSX(List.of("tsx"), List.of("tsx"), "//"),
    JAVA(List.of("java"), List.of("java"), "//"),
    GO(List.of("go", "golang"), List.of("go"), "//"),
    /** Semgrep's generic mode ("spacegrep"): patterns match words, punctuation and indentation, not a parse. */
    GENERIC(List.of("generic"), List.of(), null),
    /** Only {@code pattern-regex} and its kin, over the raw text ({@code none} is Semgrep's older name). */
    REGEX(List.of("regex", "none"), List.of(), null);

    /** The languages whose rules read any text file, whatever its extension. */
    public static final List<Language> TEXT = List.of(GENERIC, REGEX);

    private final List<String> names;
    private final List<String> extensions;
    private final String lineComment;
    private final String grammar;

    /** A language whose tree-sitter grammar is named like its first name (e.g. {@code python}). */
    Language(List<String> names, List<String> extensions, String lineComment) {
        this(names, extensions, lineComment, names.get(0));
    }

    /**
     * @param grammar the tree-sitter grammar's name: the parser loads library {@code tree-sitter-<grammar>}
     *     (from the Maven artifact {@code io.github.bonede:tree-sitter-<grammar>}) and calls its
     *     {@code tree_sitter_<grammar>} function, dashes read as underscores
     */
    Language(List<String> names, List<String> extensions, String lineComment, String grammar) {
        this.names = names;
        this.extensions = extensions;
        this.lineComment = lineComment;
        this.grammar = grammar;
    }

    public String id() {
        return names.get(0);
    }

    public List<String> extensions() {
        return extensions;
    }

    public String lineComment() {
        return lineComment;
    }

    /** The tree-sitter grammar's name, or null for the text languages. */
    public String grammar() {
        return parsed() ? grammar : null;
    }

    /** Whether files are parsed into a syntax tree; text languages see a file as one node of text. */
    public boolean parsed() {
        return !TEXT.contains(this);
    }

    /** The language a rule names, e.g. {@code js} or {@code python}. */
    public static Optional<Language> byName(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(l -> l.names.contains(key)).findFirst();
    }

    /** The parsed language of a file, by extension; text languages are never a file's language. */
    public static Optional<Language> forFile(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String ext = name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(l -> l.extensions.contains(ext)).findFirst();
    }

    /** Whether a rule written for this language also applies to files of {@code fileLanguage}. */
    public boolean covers(Language fileLanguage) {
        return this == fileLanguage || (this == TYPESCRIPT && fileLanguage == TSX);
    }
}
