package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.freshet.engine.parse.Language;
import dev.freshet.engine.parse.SyntaxNode;
import dev.freshet.engine.parse.SyntaxTree;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Apex patterns: read as a class's members or a method's statements, matched with Java's kinds and equivalences. */
class ApexPatternTest extends EngineTestSupport {
    private static final String ACCOUNTS = """
            public with sharing class Accounts {
                public static final String TOKEN = 'secret';

                public void load(String name) {
                    String q = 'SELECT Id FROM Account WHERE Name = ' + name;
                    List<Account> found = Database.query(q);
                    insert found;
                }
            }
            """;

    @BeforeAll
    static void grammarBuilt() {
        assumeTrue(Language.APEX.hasGrammar(), "no Apex grammar in this build: engine/grammars needs npm and a C compiler");
    }

    @Test
    void theGrammarLoadsAndParsesAClass() {
        SyntaxTree tree = PARSER.parse(Language.APEX, ACCOUNTS);
        assertThat(tree.errorCount()).isZero();
        assertThat(tree.root().children()).extracting(SyntaxNode::kind).containsExactly("class_declaration");
        assertThat(tree.nodes()).extracting(SyntaxNode::kind).contains("field_declaration", "method_declaration", "dml_expression");
    }

    @Test
    void aCallPatternMatchesInsideAMethodAndInsideADeclaration() {
        assertThat(lines(scan(pattern("apex", "Database.query($Q)"), "Accounts.cls", ACCOUNTS))).containsExactly(6);
    }

    /**
     * Statements in a row with an ellipsis between them; Apex has no spread, so {@code ...x} is an
     * ellipsis before {@code x}; a string metavariable binds a literal's content.
     */
    @Test
    void aSequenceWithAnEllipsisGluedToTheNextStatement() {
        assertThat(lines(scan(pattern("apex", "String $Q = '$SQL' + $P;...Database.query($Q);"), "Accounts.cls", ACCOUNTS)))
                .containsExactly(5);
        assertThat(lines(scan(pattern("apex", "String $Q = '$SQL' + $P;...Database.query($P);"), "Accounts.cls", ACCOUNTS)))
                .isEmpty();
    }

    /** As in Java, a local declaration pattern also matches a field. */
    @Test
    void aDeclarationPatternMatchesAField() {
        assertThat(lines(scan(pattern("apex", "String $X = 'secret';"), "Accounts.cls", ACCOUNTS))).containsExactly(2);
    }
}
