package dev.freshet.engine.parse;

/** A parsed source file. {@code errorCount} counts the parts the parser had to skip or guess. */
public record SyntaxTree(Language language, String source, SyntaxNode root, int errorCount) {
}
