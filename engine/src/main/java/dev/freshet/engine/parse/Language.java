package dev.freshet.engine.parse;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The languages rules name, with their names and file extensions. Most are parsed (tree-sitter) and
 * apply to files of their extensions; {@code generic} and {@code regex} read any text file as it is.
 */
public enum Language {
    PYTHON("python", List.of("python", "py", "python3"), List.of("py", "pyi"), "#"),
    JAVASCRIPT("javascript", List.of("javascript", "js"), List.of("js", "jsx", "mjs", "cjs"), "//"),
    TYPESCRIPT("typescript", List.of("typescript", "ts"), List.of("ts", "mts", "cts"), "//"),
    TSX("tsx", List.of("tsx"), List.of("tsx"), "//"),
    JAVA("java", List.of("java"), List.of("java"), "//"),
    GO("go", List.of("go", "golang"), List.of("go"), "//"),
    RUBY("ruby", List.of("ruby", "rb"), List.of("rb"), "#"),
    PHP("php", List.of("php"), List.of("php"), "//"),
    CSHARP("c-sharp", List.of("csharp", "c#", "cs"), List.of("cs"), "//"),
    OCAML("ocaml", List.of("ocaml", "ml"), List.of("ml", "mli"), null),
    /** Files named {@code Dockerfile} have no extension: the whole name stands for one. */
    DOCKERFILE("dockerfile", List.of("dockerfile", "docker"), List.of("dockerfile"), "#"),
    SCALA("scala", List.of("scala"), List.of("scala"), "//"),
    KOTLIN("kotlin", List.of("kotlin", "kt"), List.of("kt", "kts"), "//"),
    C("c", List.of("c"), List.of("c", "h"), "//"),
    CPP("cpp", List.of("cpp", "c++"), List.of("cpp", "cc", "cxx", "hpp", "hh"), "//"),
    RUST("rust", List.of("rust", "rs"), List.of("rs"), "//"),
    BASH("bash", List.of("bash", "sh"), List.of("bash", "sh"), "#"),
    JSON("json", List.of("json"), List.of("json"), null),
    ELIXIR("elixir", List.of("elixir", "ex"), List.of("ex", "exs"), "#"),
    SWIFT("swift", List.of("swift"), List.of("swift"), "//"),
    HTML("html", List.of("html"), List.of("html", "htm"), null),
    YAML("yaml", List.of("yaml"), List.of("yaml", "yml"), "#"),
    /** Terraform and other HCL files; the grammar is built from npm at build time (engine/grammars). */
    HCL("hcl", List.of("hcl", "terraform", "tf"), List.of("tf", "hcl", "tfvars"), "#"),
    /** Built from npm at build time, like {@link #HCL}. */
    SOLIDITY("solidity", List.of("solidity", "sol"), List.of("sol"), "//"),
    /** Salesforce Apex; built from npm at build time, like {@link #HCL} (tree-sitter-sfapex's apex grammar). */
    APEX("apex", List.of("apex"), List.of("cls"), "//"),
    /**
     * Read by the engine's own s-expression reader ({@link ClojureReader}), not tree-sitter: no grammar
     * on npm or Maven Central speaks tree-sitter's current ABI. Test annotations are written {@code //},
     * as in Semgrep's Clojure tests (its test runner knows no {@code ;} comment); the reader takes that
     * for a symbol, as Semgrep's parser does.
     */
    CLOJURE("clojure", List.of("clojure", "clj"), List.of("clj", "cljs", "cljc", "edn"), "//"),
    DART("dart", List.of("dart"), List.of("dart"), "//"),
    /** Built from npm at build time, like {@link #HCL}. */
    LUA("lua", List.of("lua"), List.of("lua"), "--"),
    /** Semgrep's generic mode ("spacegrep"): patterns match words, punctuation and indentation, not a parse. */
    GENERIC(null, List.of("generic"), List.of(), null),
    /** Only {@code pattern-regex} and its kin, over the raw text ({@code none} is Semgrep's older name). */
    REGEX(null, List.of("regex", "none"), List.of(), null);

    /** The languages whose rules read any text file, whatever its extension. */
    public static final List<Language> TEXT = List.of(GENERIC, REGEX);

    private final String grammar;
    private final List<String> names;
    private final List<String> extensions;
    private final String lineComment;

    /**
     * @param grammar the tree-sitter grammar's name, null for the text languages: the parser loads library
     *     {@code freshet-<grammar>} where the build compiled it (engine/grammars), else {@code tree-sitter-<grammar>}
     *     (from the Maven artifact {@code io.github.bonede:tree-sitter-<grammar>})
     *     and calls its {@code tree_sitter_<grammar>} function, dashes read as underscores
     */
    Language(String grammar, List<String> names, List<String> extensions, String lineComment) {
        this.names = names;
        this.extensions = extensions;
        this.lineComment = lineComment;
        this.grammar = grammar;
    }

    public String id() {
        return names.get(0);
    }

    /**
     * The tree-sitter grammar's name, as in its C symbol {@code tree_sitter_<name>}; null for the
     * text languages.
     */
    public String grammar() {
        return grammar;
    }

    public List<String> extensions() {
        return extensions;
    }

    public String lineComment() {
        return lineComment;
    }

    /** Whether files are parsed into a syntax tree; text languages see a file as one node of text. */
    public boolean parsed() {
        return grammar != null;
    }

    /**
     * Whether the grammar's library is on the class path. The bonede artifacts always ship theirs;
     * those the build compiles from npm ({@code engine/grammars}) are missing where it had no npm or C compiler.
     * Clojure's reader is Java code, always there.
     */
    public boolean hasGrammar() {
        return grammar != null && (this == CLOJURE || NativeLibraries.present(TreeSitterApi.grammarLibrary(grammar, true)));
    }

    /** The language a rule names, e.g. {@code js} or {@code python}. */
    public static Optional<Language> byName(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(l -> l.names.contains(key)).findFirst();
    }

    /** The parsed language of a file, by extension; text languages are never a file's language. */
    public static Optional<Language> forFile(Path file) {
        String name = file.getFileName().toString();
        // A name without a dot (Dockerfile) is its own extension.
        String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return Optional.ofNullable(ByExtension.LANGUAGES.get(ext));
    }

    /** Each extension's language, the first in declaration order that lists it; asked for every file a scan lists. */
    private static final class ByExtension {
        static final Map<String, Language> LANGUAGES = new HashMap<>();

        static {
            for (Language language : values()) {
                language.extensions.forEach(ext -> LANGUAGES.putIfAbsent(ext, language));
            }
        }
    }

    /** Whether a rule written for this language also applies to files of {@code fileLanguage}. */
    public boolean covers(Language fileLanguage) {
        return this == fileLanguage || (this == TYPESCRIPT && fileLanguage == TSX);
    }
}
