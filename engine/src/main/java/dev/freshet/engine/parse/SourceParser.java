package dev.freshet.engine.parse;

/** Turns source text into a syntax tree. Implementations are thread-safe. */
public interface SourceParser {
    SyntaxTree parse(Language language, String source);

    /**
     * The same, given also the source's UTF-8 encoding, which a parser that reads UTF-8 uses rather
     * than encoding the source again (a scan has the file's bytes).
     * @param utf8 exactly {@code source}'s UTF-8 encoding
     */
    default SyntaxTree parse(Language language, String source, byte[] utf8) {
        return parse(language, source);
    }
}
