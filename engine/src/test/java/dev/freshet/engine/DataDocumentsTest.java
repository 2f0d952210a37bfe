package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.scan.Finding;
import dev.freshet.engine.scan.ScanResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * YAML and JSON are matched as data, as Semgrep reads them (Yaml_to_generic, Json_to_generic,
 * Generic_vs_generic): mappings are dictionaries, sequences are ordered lists, plain scalars are typed.
 */
class DataDocumentsTest extends EngineTestSupport {

    /** A mapping of several entries matches exactly those keys, in any order, unless {@code ...} allows more. */
    @Test
    void mappingsMatchTheirKeysInAnyOrderAndOthersOnlyWithAnEllipsis() {
        String document = """
                - {b: 2, a: 1}
                - {a: 1, b: 2, c: 3}
                - {a: 1}
                """;
        assertThat(lines(scan(pattern("yaml", "a: 1\nb: 2"), "d.yaml", document))).containsExactly(1);
        assertThat(lines(scan(pattern("yaml", "a: 1\n...\nb: 2"), "d.yaml", document))).containsExactly(1, 2);
        // One entry is the entry itself, wherever it sits.
        assertThat(lines(scan(pattern("yaml", "a: 1"), "d.yaml", document))).containsExactly(1, 2, 3);
    }

    /** Plain booleans, nulls and numbers are values, however written; a quoted scalar is a string. */
    @Test
    void plainScalarsAreTypedAndQuotedOnesAreStrings() {
        String document = """
                a: true
                b: yes
                c: "true"
                d: True
                e: 'true'
                """;
        assertThat(lines(scan(pattern("yaml", "$K: true"), "d.yaml", document))).containsExactly(1, 2, 4);
        assertThat(lines(scan(pattern("yaml", "$K: \"true\""), "d.yaml", document))).containsExactly(3, 5);
        assertThat(lines(scan(pattern("yaml", "port: 80"), "d.yaml", "port: 80.0\nother: {port: '80'}\n"))).containsExactly(1);
    }

    /** A string is the same whether plain or quoted, and a plain one is all content (quotes inside it included). */
    @Test
    void plainAndQuotedStringsAreTheSameString() {
        String document = """
                image: nginx
                other: {image: "nginx"}
                message: don't 'quote' me
                """;
        assertThat(lines(scan(pattern("yaml", "image: \"nginx\""), "d.yaml", document))).containsExactly(1, 2);
        assertThat(lines(scan(pattern("yaml", "image: nginx"), "d.yaml", document))).containsExactly(1, 2);
        assertThat(lines(scan(rule("yaml", """
                patterns:
                  - pattern: "message: $M"
                  - metavariable-regex:
                      metavariable: $M
                      regex: ^don't 'quote' me$
                """), "d.yaml", document))).containsExactly(3);
    }

    /**
     * Scalars compare by their values (Semgrep's {@code Yaml_to_generic}): a quoted string's escapes
     * and a block's folding count, an empty scalar is the empty string; a block scalar is reported,
     * and read by metavariable-regex, as its lines after the {@code |} or {@code >} indicator.
     */
    @Test
    void scalarsCompareByValueAndBlockScalarsKeepTheirLinesAsText() {
        String document = """
                a: |
                  x
                  y
                b: >-
                  x
                  y
                c: "x\\ny"
                d: >-
                e:
                f: x y
                """;
        assertThat(lines(scan(pattern("yaml", "$K: \"=~/[\\n]/\""), "d.yaml", document))).containsExactly(1, 7);
        assertThat(lines(scan(pattern("yaml", "$K: x y"), "d.yaml", document))).containsExactly(4, 10);
        assertThat(lines(scan(pattern("yaml", "$K: \"\""), "d.yaml", document))).containsExactly(8, 9);
        assertThat(lines(scan(pattern("yaml", "$K: null"), "d.yaml", document))).isEmpty();
        List<Finding> values = scan(rule("yaml", """
                patterns:
                  - pattern: "$K: $V"
                  - focus-metavariable: $V
                  - metavariable-regex:
                      metavariable: $V
                      regex: \\s+x\\s+y
                """), "d.yaml", document);
        assertThat(spans(values)).containsExactly("1:5-4:1", "4:6-7:1");
        // A metavariable written as a block scalar's only line is a metavariable in a pattern.
        assertThat(lines(scan(pattern("yaml", "$K: >-\n  $V"), "d.yaml", "k: |\n  text\n"))).containsExactly(1);
    }

    /** Sequences match item by item; a {@code ...} line beside items stands for items. */
    @Test
    void sequencesMatchInOrderWithEllipses() {
        String document = """
                a: [--privileged, x]
                b:
                  - x
                  - --privileged
                c: [x, --privileged, y]
                """;
        assertThat(lines(scan(pattern("yaml", "$K:\n  ...\n  - --privileged"), "d.yaml", document))).containsExactly(2);
        assertThat(lines(scan(pattern("yaml", "$K: [..., --privileged, ...]"), "d.yaml", document))).containsExactly(1, 2, 5);
        // A lone "..." under a key is any value.
        assertThat(lines(scan(pattern("yaml", "b:\n  ..."), "d.yaml", document))).containsExactly(2);
    }

    /** JSON objects are dictionaries too; the file may carry comments, and an entry pattern its comma. */
    @Test
    void jsonObjectsMatchByKeysWithCommentsInTheFile() {
        String document = """
                {
                  "Statement": [
                    // a comment, as JavaScript allows
                    {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"AWS": "*"}},
                    {"Effect": "Deny", /* and another */ "Principal": {"AWS": "*"}}
                  ]
                }
                """;
        assertThat(lines(scan(pattern("json", "{..., \"Effect\": \"Allow\", ...}"), "p.json", document))).containsExactly(4);
        assertThat(lines(scan(pattern("json", "\"Principal\": {..., \"AWS\": \"*\", ...},"), "p.json", document))).containsExactly(4, 5);
        // Braces make a dictionary of exactly these keys.
        assertThat(lines(scan(pattern("json", "{\"AWS\": \"*\"}"), "p.json", document))).containsExactly(4, 5);
        assertThat(lines(scan(pattern("json", "{\"Effect\": \"Deny\"}"), "p.json", document))).isEmpty();
    }

    /** A file that is not YAML, or nested deeply, finds nothing and stops nothing. */
    @Test
    void malformedAndDeeplyNestedDocumentsAreSurvived() {
        ScanResult broken = scanFiles(pattern("yaml", "a: $X"), "d.yaml", "a: [1, 2\nb: {c: : :\n\t- x\n");
        assertThat(broken.findings()).isEmpty();
        String deep = "a: " + "[".repeat(3000) + "]".repeat(3000) + "\n";
        assertThat(scanFiles(pattern("yaml", "a: $X"), "deep.yaml", deep).findings()).hasSizeLessThanOrEqualTo(1);
        assertThat(scanFiles(pattern("json", "\"a\": 1"), "truncated.json", "{\"a\": 1, \"b\": [").findings()).isEmpty();
    }
}
