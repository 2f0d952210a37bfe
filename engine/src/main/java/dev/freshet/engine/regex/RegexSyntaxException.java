package dev.freshet.engine.regex;

/** A rule regex that cannot be compiled: invalid PCRE, or a PCRE feature this engine cannot run. */
public final class RegexSyntaxException extends Exception {
    private final boolean unsupported;

    RegexSyntaxException(String message, boolean unsupported) {
        super(message);
        this.unsupported = unsupported;
    }

    static RegexSyntaxException invalid(String message) {
        return new RegexSyntaxException(message, false);
    }

    static RegexSyntaxException unsupported(String feature) {
        return new RegexSyntaxException(feature, true);
    }

    /** True when the regex is valid PCRE but uses a feature (recursion, conditionals, ...) that cannot run here. */
    public boolean unsupported() {
        return unsupported;
    }
}
