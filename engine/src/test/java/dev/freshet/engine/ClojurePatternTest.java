package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.rules.RuleProblem;
import dev.freshet.engine.rules.RuleSet;
import org.junit.jupiter.api.Test;

/**
 * Clojure patterns as Semgrep matches them, raw trees of forms (Generic_vs_generic.m_raw_tree): atoms
 * as written, {@code $X} one form, {@code ...} any forms, collections whole and in order.
 */
class ClojurePatternTest extends EngineTestSupport {
    private static final String CODE = """
            (ns app.core
              (:require [clojure.string :as str]
                        [app.db :refer [query]]))

            (defn lookup [id opts]
              (query "select" id)
              (query "select" id opts)
              (app.db/query (str "select " id)))
            """;

    @Test
    void aCallMatchesWithItsArgumentsAllOfThem() {
        assertThat(lines(scan(pattern("clojure", "(query $SQL $ID)"), "a.clj", CODE))).containsExactly(6);
        assertThat(lines(scan(pattern("clojure", "(query $SQL ...)"), "a.clj", CODE))).containsExactly(6, 7);
        assertThat(lines(scan(pattern("clojure", "(query ... opts)"), "a.clj", CODE))).containsExactly(7);
        assertThat(lines(scan(pattern("clojure", "(query)"), "a.clj", CODE))).isEmpty();
    }

    /** A repeated metavariable stands for the same form; {@code "..."} for any string but not another form. */
    @Test
    void metavariablesBindFormsAndStringEllipsisOnlyStrings() {
        assertThat(lines(scan(pattern("clojure", "(defn $F [$A ...] ... ($Q \"...\" $A ...) ...)"), "a.clj", CODE))).containsExactly(5);
        assertThat(lines(scan(pattern("clojure", "(query \"...\" opts)"), "a.clj", CODE))).isEmpty();
        assertThat(lines(scan(pattern("clojure", "($Q $X $X)"), "a.clj", "(= a a)\n(= a b)\n"))).containsExactly(1);
    }

    /** {@code ns/name} is two tokens: a plain {@code query} is not {@code app.db/query}, either part may be a metavariable. */
    @Test
    void aNamespacedSymbolMatchesPartByPart() {
        assertThat(lines(scan(pattern("clojure", "(app.db/query $X)"), "a.clj", CODE))).containsExactly(8);
        assertThat(lines(scan(pattern("clojure", "($NS/query $X)"), "a.clj", CODE))).containsExactly(8);
        assertThat(lines(scan(pattern("clojure", "(query $X)"), "a.clj", CODE))).isEmpty();
    }

    /** Several forms are a list of forms: they match the forms of the file or of a collection, all of them. */
    @Test
    void severalFormsMatchAWholeListOfForms() {
        assertThat(lines(scan(pattern("clojure", """
                (ns ... (:require ... [app.db ...] ...))
                ...
                """), "a.clj", CODE))).containsExactly(1);
        assertThat(lines(scan(pattern("clojure", "(defn ...)\n..."), "a.clj", CODE))).isEmpty();
        assertThat(lines(scan(pattern("clojure", ":as $ALIAS"), "a.clj", CODE))).isEmpty();
        assertThat(lines(scan(pattern("clojure", "clojure.string :as $ALIAS"), "a.clj", CODE))).containsExactly(2);
    }

    /** Brackets tell collections apart: a vector pattern does not match a list. */
    @Test
    void collectionKindsDiffer() {
        assertThat(lines(scan(pattern("clojure", "[sh ...]"), "a.clj", "(sh \"ls\")\n[sh \"ls\"]\n"))).containsExactly(2);
    }

    @Test
    void commentsAndDiscardedFormsAreNotForms() {
        assertThat(lines(scan(pattern("clojure", "(sh $CMD)"), "a.clj", "(sh ; the command\n  #_old cmd)\n"))).containsExactly(1);
    }

    /** Raw forms carry no data flow: a taint rule cannot run with its meaning, so it is reported unsupported. */
    @Test
    void taintModeIsUnsupported() {
        RuleSet set = load(rule("clojure", """
                mode: taint
                pattern-sources:
                  - pattern: (read-line)
                pattern-sinks:
                  - pattern: (sh $X)
                """));
        assertThat(set.rules()).isEmpty();
        assertThat(set.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(RuleProblem.Kind.UNSUPPORTED);
            assertThat(p.reason()).contains("taint in Clojure");
        });
    }

    @Test
    void anUnbalancedPatternIsARuleProblem() {
        assertThat(load(pattern("clojure", "(sh $X")).problems()).extracting(RuleProblem::reason).singleElement().asString()
                .contains("does not read as Clojure forms");
    }
}
