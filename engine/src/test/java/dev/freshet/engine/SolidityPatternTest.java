package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.freshet.engine.parse.Language;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Solidity patterns: statements are read inside a contract's function, declarations inside a contract. */
class SolidityPatternTest extends EngineTestSupport {
    private static final String TOKEN = """
            pragma solidity ^0.8.0;
            contract Token {
                function _transfer(address from, address to, uint256 amount) public {
                    require(amount > 0, "zero");
                    balances[from] -= amount;
                }
                function burn(uint256 amount) internal {
                    selfdestruct(payable(msg.sender));
                }
            }
            """;

    @BeforeAll
    static void grammarBuilt() {
        assumeTrue(Language.SOLIDITY.hasGrammar(), "no Solidity grammar in this build: engine/grammars needs npm and a C compiler");
    }

    @Test
    void aCallPatternMatchesInsideFunctions() {
        assertThat(lines(scan(pattern("solidity", "require(..., \"$MSG\");"), "t.sol", TOKEN))).containsExactly(4);
        assertThat(lines(scan(pattern("sol", "selfdestruct(...)"), "t.sol", TOKEN))).containsExactly(8);
    }

    @Test
    void aFunctionPatternWithEllipsesMatchesItsDeclaration() {
        assertThat(lines(scan(pattern("solidity", """
                function $F(...) public {
                  ...
                  $B[$FROM] -= $AMOUNT;
                }
                """), "t.sol", TOKEN))).containsExactly(3);
    }

    /**
     * A function's visibility, mutability and modifiers are attributes a pattern may leave out; a
     * modifier written {@code $M} matches a modifier, never a keyword such as {@code public}.
     */
    @Test
    void attributesMayBeLeftOutAndAModifierMetavariableMatchesOnlyModifiers() {
        String code = """
                contract Owned {
                    function open(address to) public view returns (uint256) { return 1; }
                    function guarded(address to) public onlyOwner { }
                }
                """;
        assertThat(lines(scan(pattern("solidity", "function $F(address $A) { ... }"), "o.sol", code))).containsExactly(2, 3);
        assertThat(lines(scan(pattern("solidity", "function $F(...) $M { ... }"), "o.sol", code))).containsExactly(3);
    }

    /** for (...) is any loop header (Semgrep's ForEllipsis), though Solidity writes headers of three parts. */
    @Test
    void forWithEllipsisMatchesAnyLoop() {
        assertThat(lines(scan(pattern("solidity", """
                for (...) {
                  ...
                }
                """), "t.sol", """
                contract C {
                    function f(uint n) public {
                        for (uint i = 0; i < n; i++) { total += i; }
                        while (n > 0) { n--; }
                    }
                }
                """))).containsExactly(3);
    }

    /** A deep expression matches inside the expression wrappers the Solidity grammar puts around every operand. */
    @Test
    void deepExpressionLooksThroughExpressionWrappers() {
        assertThat(lines(scan(pattern("solidity", """
                if (<... $X && $Y ...>) {
                  ...
                }
                """), "t.sol", """
                contract C {
                    function f(uint a) public {
                        if (a == 1 && a < 3) { g(); }
                        if (a == 2) { g(); }
                    }
                }
                """))).containsExactly(3);
    }

    /** Semgrep's variable definition: "T x = e;" matches a contract's state variable as well as a local one. */
    @Test
    void localDeclarationPatternMatchesStateVariables() {
        assertThat(lines(scan(pattern("solidity", "$TYPE $VAR = 0;"), "t.sol", """
                contract C {
                    uint256 y = 0;
                    uint256 z = 1;
                    function f() public {
                        uint256 x = 0;
                    }
                }
                """))).containsExactly(2, 5);
    }

    /** A contract's members match in any order, as a class's do: the helper may be defined after its caller. */
    @Test
    void contractMembersMatchInAnyOrder() {
        assertThat(lines(scan(pattern("solidity", """
                contract $C {
                  ...
                  function $CHECK(...) {
                    ...
                    $X.withdraw(...);
                    ...
                  }
                  ...
                  function $F(...) {
                    ...
                    $CHECK(...);
                    ...
                  }
                  ...
                }
                """), "t.sol", """
                contract A {
                    function f(address p) private { check(p); }
                    function check(address p) private { I(p).withdraw(p); }
                }
                contract B {
                    function f(address p) private { other(p); }
                    function check(address p) private { I(p).withdraw(p); }
                }
                """))).containsExactly(1);
    }

    /**
     * Semgrep compares a metavariable's two bindings variable by variable: I(p) in one function is
     * not I(p) in another where each declares its own parameter p.
     */
    @Test
    void bindingsCompareTheVariablesInsideExpressions() {
        assertThat(lines(scan(rule("solidity", """
                patterns:
                  - pattern: $POOL.price()
                  - pattern-not-inside: |
                      contract $C {
                        ...
                        function $F(...) {
                          ...
                          check();
                          ...
                          $POOL.price();
                          ...
                        }
                        ...
                      }
                """), "t.sol", """
                contract A {
                    function f(address p) private { uint x = I(p).price(); }
                    function g(address p) private { check(); uint y = I(p).price(); }
                }
                """))).containsExactly(2);
    }

    /** Semgrep's If: a pattern without an else matches an if with one, and an else-if chain. */
    @Test
    void ifPatternWithoutElseMatchesAnIfWithOne() {
        assertThat(lines(scan(pattern("solidity", """
                if (msg.sender == $POOL) {
                  ...
                }
                """), "t.sol", """
                contract A {
                    function f() external {
                        if (msg.sender == a) { x(); }
                        else if (msg.sender == b) { y(); }
                        else { revert(); }
                        if (msg.sender == c) { x(); }
                        if (tx.origin == c) { x(); } else { y(); }
                    }
                }
                """))).containsExactly(3, 4, 6);
    }
    /**
     * A call written with its semicolon is a statement pattern (Semgrep keeps the expression
     * statement): it matches a statement holding the call, reported from the statement's start.
     */
    @Test
    void aTerminatedCallPatternReportsTheStatementHoldingIt() {
        String source = """
                contract C {
                    function f(address t) internal {
                        (bool ok, ) = t.call(
                            abi.encodeWithSelector(s, 1)
                        );
                        abi.encodeWithSelector(s, 2);
                    }
                }
                """;
        assertThat(spans(scan(pattern("solidity", "abi.encodeWithSelector(...);"), "t.sol", source)))
                .extracting(span -> span.substring(0, span.indexOf('-')))
                .containsExactly("3:9", "6:9");
        assertThat(lines(scan(pattern("solidity", "abi.encodeWithSelector(...)"), "t.sol", source))).containsExactly(4, 6);
    }
    /** A storage location is an attribute to Semgrep: "bytes $Y" matches "bytes memory sig", and binds its name. */
    @Test
    void aParameterPatternLeavesOutTheStorageLocation() {
        assertThat(lines(scan(pattern("solidity", """
                function $F(..., bytes $Y, ...) {
                  ...
                  used[$Y] = ...;
                }
                """), "t.sol", """
                contract C {
                    function a(bytes32 d, bytes memory sig) internal {
                        used[sig] = true;
                    }
                    function b(bytes memory sig, bytes calldata d) internal {
                        used[d] = true;
                    }
                    function c(uint256 sig) internal {
                        used[sig] = true;
                    }
                }
                """))).containsExactly(2, 5);
    }
}
