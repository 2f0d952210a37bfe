package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.freshet.engine.parse.Language;
import dev.freshet.engine.parse.SyntaxNode;
import dev.freshet.engine.parse.SyntaxTree;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Lua patterns: calls are statements of their own, so a call pattern matches inside any statement; ellipses stand for statements. */
class LuaPatternTest extends EngineTestSupport {
    private static final String SCRIPT = """
            local json = require("cjson")
            function run(code, env)
              local f = loadstring(code)
              setfenv(f, env)
              return f()
            end
            os.execute("ls " .. arg)
            """;

    @BeforeAll
    static void grammarBuilt() {
        assumeTrue(Language.LUA.hasGrammar(), "no Lua grammar in this build: engine/grammars needs npm and a C compiler");
    }

    @Test
    void theGrammarLoadsAndParsesStatements() {
        SyntaxTree tree = PARSER.parse(Language.LUA, SCRIPT);
        assertThat(tree.errorCount()).isZero();
        assertThat(tree.root().children()).extracting(SyntaxNode::kind)
                .containsExactly("variable_declaration", "function_declaration", "function_call");
    }

    @Test
    void aCallPatternMatchesAsAStatementAndInsideADeclaration() {
        assertThat(lines(scan(pattern("lua", "os.execute($CMD .. ...)"), "s.lua", SCRIPT))).containsExactly(7);
        assertThat(lines(scan(pattern("lua", "loadstring($X)"), "s.lua", SCRIPT))).containsExactly(3);
    }

    @Test
    void statementsInARowWithEllipses() {
        assertThat(lines(scan(pattern("lua", """
                function $F(...)
                  ...
                  loadstring($X)
                  ...
                  return $G()
                end
                """), "s.lua", SCRIPT))).containsExactly(2);
        assertThat(lines(scan(pattern("lua", """
                loadstring($X)
                ...
                setfenv($F, $E)
                """), "s.lua", SCRIPT))).containsExactly(3);
        assertThat(lines(scan(pattern("lua", """
                setfenv($F, $E)
                ...
                loadstring($X)
                """), "s.lua", SCRIPT))).isEmpty();
    }
}
