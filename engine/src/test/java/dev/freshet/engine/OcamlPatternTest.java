package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** OCaml as Semgrep's ocaml_to_generic reads it: match as a switch, $M.f as a qualified name; string regexes. */
class OcamlPatternTest extends EngineTestSupport {

    /** The cases a match pattern names are found among the file's cases, in any order, more allowed. */
    @Test
    void matchCasesInAnyOrderAmongOthers() {
        String source = """
                let a x = match x with | 0 -> "zero" | _ -> "many"
                let b x = match x with | _ -> "many" | 0 -> "zero" | 1 -> "one"
                let c x = match x with | 1 -> "one" | _ -> "many"
                """;
        assertThat(lines(scan(pattern("ocaml", "match $X with | 0 -> $A"), "t.ml", source))).containsExactly(1, 2);
        assertThat(lines(scan(pattern("ocaml", "match $X with | ... -> ..."), "t.ml", source))).containsExactly(1, 2, 3);
    }

    /** $M.f, a field access as OCaml parses it, also matches a function qualified by its module, binding the module. */
    @Test
    void aFieldAccessPatternMatchesAQualifiedName() {
        String source = """
                let a = Int.compare x y
                let b = String.compare x y
                let c = Int.equal x y
                let d = r.compare
                """;
        assertThat(lines(scan(pattern("ocaml", "$M.compare $X $Y"), "t.ml", source))).containsExactly(1, 2);
        assertThat(lines(scan(pattern("ocaml", "$M.compare"), "t.ml", source))).containsExactly(1, 2, 4);
    }

    /** A pattern that is one "=~/re/" string is a regex over string literals, its escapes the regex's own (\/ in OCaml). */
    @Test
    void aWholeStringRegexPatternNeedsNoLanguageEscapes() {
        String source = """
                let a = "/var/tmp/x"
                let b = "/home/x"
                """;
        assertThat(lines(scan(pattern("ocaml", "\"=~/\\/tmp\\//\""), "t.ml", source))).containsExactly(1);
    }
}
