package dev.freshet.engine.parse;

/** Turns source text into a syntax tree. Implementations are thread-safe. */
public interface SourceParser {
    SyntaxTree parse(Language language, String source);
}
