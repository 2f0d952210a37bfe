package dev.freshet.updates.generation;

import java.util.Arrays;
import java.util.Optional;

/** A kind of flaw a custom rule looks for, with its CWE. */
public enum Weakness {
    SQL_INJECTION("sql-injection", "CWE-89: Improper Neutralization of Special Elements used in an SQL Command", "SQL injection"),
    NOSQL_INJECTION("nosql-injection", "CWE-943: Improper Neutralization of Special Elements in Data Query Logic", "NoSQL injection"),
    COMMAND_INJECTION("command-injection", "CWE-78: Improper Neutralization of Special Elements used in an OS Command",
            "OS command injection"),
    XSS("xss", "CWE-79: Improper Neutralization of Input During Web Page Generation", "cross-site scripting");

    private final String slug;
    private final String cwe;
    private final String title;

    Weakness(String slug, String cwe, String title) {
        this.slug = slug;
        this.cwe = cwe;
        this.title = title;
    }

    /** The weakness a CWE id ({@code CWE-89}) names, if it is one of these. */
    public static Optional<Weakness> ofCwe(String cweId) {
        return Arrays.stream(values()).filter(w -> w.cwe.startsWith(cweId + ":")).findFirst();
    }

    public String slug() {
        return slug;
    }

    public String cwe() {
        return cwe;
    }

    public String title() {
        return title;
    }
}
