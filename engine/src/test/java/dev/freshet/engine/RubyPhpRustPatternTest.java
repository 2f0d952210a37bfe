package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.scan.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Semgrep's readings of Ruby, PHP and Rust code that their tree-sitter grammars do not spell out. */
class RubyPhpRustPatternTest extends EngineTestSupport {

    private List<Integer> ruby(String pattern, String source) {
        return lines(scan(pattern("ruby", pattern), "t.rb", source));
    }

    private List<Integer> php(String pattern, String source) {
        return lines(scan(pattern("php", pattern), "t.php", "<?php\n" + source));
    }

    private List<Integer> rust(String pattern, String source) {
        return lines(scan(pattern("rust", pattern), "t.rs", source));
    }

    /** ruby_to_generic: a call is a call of its callee, so a member access matches the callee of a call with arguments. */
    @Test
    void rubyMemberAccessIsTheCalleeOfACall() {
        assertThat(ruby("Digest::SHA1.$F", """
                Digest::SHA1.hexdigest 'abc'
                Digest::SHA1.new
                Digest::MD5.hexdigest 'abc'
                x = Digest::SHA1.digest('abc')
                """)).containsExactly(1, 2, 4);
        // A metavariable callee binds the whole member access.
        assertThat(lines(scan(rule("ruby", """
                patterns:
                  - pattern: $EXEC(...)
                  - metavariable-regex:
                      metavariable: $EXEC
                      regex: ^Process\\.spawn$
                """), "t.rb", """
                Process.spawn("ls")
                Process.exec("ls")
                spawn("ls")
                """))).containsExactly(1);
    }

    /** Semgrep's Atom: :$KEY binds the symbol's name; :k => v and k: v are one keyword pair. */
    @Test
    void rubySymbolsAndPairs() {
        assertThat(lines(scan(rule("ruby", """
                patterns:
                  - pattern: f(..., :$KEY => false, ...)
                  - metavariable-regex:
                      metavariable: $KEY
                      regex: ^secure$
                """), "t.rb", """
                f(:a, :secure => false)
                f(:a, secure: false)
                f(:a, :other => false)
                f(:a, :secure => true)
                """))).containsExactly(1, 2);
        assertThat(ruby(":secret => \"...\"", """
                x = { :key => 'k', :secret => 's' }
                y = { secret: 's' }
                z = { secret: 1 }
                """)).containsExactly(1, 2);
    }

    /** Formal_kwd: a keyword parameter is a parameter of its name; Arg does not match ArgKwd. */
    @Test
    void rubyKeywordParametersAndArguments() {
        assertThat(ruby("""
                def $H(event, context)
                  ...
                end
                """, """
                def a(event:, context:)
                  1
                end
                def b(event, context)
                  1
                end
                def c(event: 1, context:)
                  1
                end
                """)).containsExactly(1, 4);
        assertThat(ruby("User.where($X)", """
                User.where(user_id: 1)
                User.where(params[:id])
                """)).containsExactly(2);
    }

    /** Interpolation inside double quotes and backticks (%x{} too) is code; a bare statement also matches inside one. */
    @Test
    void rubyInterpolationAndStatementsInsideStatements() {
        assertThat(ruby("`...#{$X}...`", """
                a = `ls #{dir}`
                b = %x{ls #{dir}}
                c = `ls`
                """)).containsExactly(1, 2);
        assertThat(ruby("""
                $P = {..., password: ..., ...}
                ...
                JWT.encode($P, ...)
                """, """
                def f
                  payload = { data: 1, password: 2 }
                  token = JWT.encode payload, 'k'
                end
                """)).containsExactly(2);
        assertThat(ruby("""
                class $C < ApplicationController
                  ...
                end
                """, """
                class A < ApplicationController
                end
                class B < Other
                end
                """)).containsExactly(1);
    }

    /** PHP writes variables with $: $X is a metavariable, $x a variable, $_GET a superglobal (Mvar.is_metavar_name). */
    @Test
    void phpVariablesMetavariablesAndSuperglobals() {
        assertThat(php("$C = $S->getConnection(...);", """
                $conn = $em->getConnection();
                $other = getConnection();
                """)).containsExactly(2);
        assertThat(php("$x = 1;", """
                $x = 1;
                $y = 1;
                """)).containsExactly(2);
        assertThat(php("echo $_GET;", """
                echo $_GET;
                echo $_POST;
                """)).containsExactly(2);
        assertThat(php("""
                public function $F(..., Request $R, ...) { ... }
                """, """
                class A {
                  public function store(Request $request) { return 1; }
                  public function show(int $id) { return 1; }
                }
                """)).containsExactly(3);
    }

    /** php_to_generic: function names are case-insensitive (variables are not); include and require are calls of their keyword. */
    @Test
    void phpNamesAndIncludes() {
        assertThat(php("ldap_bind(...)", """
                ldap_bind($c);
                LDAP_BIND($c, "u");
                ldap_unbind($c);
                """)).containsExactly(2, 3);
        assertThat(php("$x", "$X = 1;\n")).isEmpty();
        assertThat(lines(scan(rule("php", """
                patterns:
                  - pattern: $FUNC($ARG);
                  - metavariable-regex:
                      metavariable: $FUNC
                      regex: ^(include|require_once)$
                """), "t.php", """
                <?php
                include($path);
                require_once $path;
                include_once($path);
                foo($path);
                """))).containsExactly(2, 3);
    }

    /**
     * Semgrep's PHP lexer reads a bare metavariable inside a pattern's double-quoted string as a
     * piece of its text: "$X" alone is any string literal, "...$X..." binds one text piece of an
     * interpolated string (never a constant one), and {$X} binds an interpolated expression.
     */
    @Test
    void phpMetavariablesInsideDoubleQuotedStrings() {
        String source = """
                $a = "select " . $x;
                $b = 'select ' . $x;
                $c = $y . $x;
                $d = "select $x from t";
                $e = "select from t";
                $f = "select {$x['k']} from t";
                """;
        assertThat(php("\"$S\" . $E", source)).containsExactly(2, 3);
        assertThat(lines(scan(rule("php", """
                patterns:
                  - pattern: |
                      "...$PART..."
                  - metavariable-regex:
                      metavariable: $PART
                      regex: ^ from
                """), "t.php", "<?php\n" + source))).containsExactly(5, 7);
        assertThat(lines(scan(rule("php", """
                patterns:
                  - pattern: |
                      "...{$EXPR}..."
                  - metavariable-regex:
                      metavariable: $EXPR
                      regex: ^\\$x
                """), "t.php", "<?php\n" + source))).containsExactly(5, 7);
    }

    /**
     * Constant propagation (Semgrep's Constant_propagation) through PHP variables: a variable
     * assigned a literal once in its function stands for it, a double-quoted string without
     * interpolation included; a variable written twice or given a computed value does not.
     */
    @Test
    void phpVariablesHoldConstants() {
        assertThat(php("bind($C, '')", """
                $empty = "";
                $twice = "";
                $twice = $input;
                $built = "a" . $input;
                function f($c) {
                    $local = '';
                    bind($c, $local);
                }
                bind($c, $empty);
                bind($c, $twice);
                bind($c, $built);
                bind($c, "");
                """)).containsExactly(8, 10, 13);
    }

    /** Taint flows through PHP variables ($x is a sigil and a name) and the variables of a double-quoted string. */
    @Test
    void phpTaintThroughVariablesAndInterpolation() {
        assertThat(lines(scan(rule("php", """
                mode: taint
                pattern-sources:
                  - pattern: $_GET
                pattern-sinks:
                  - pattern: system(...)
                pattern-sanitizers:
                  - pattern: escapeshellarg(...)
                """), "t.php", """
                <?php
                $in = $_GET['x'];
                system("ls $in");
                $safe = escapeshellarg($in);
                system("ls $safe");
                system("ls");
                """))).containsExactly(3);
    }

    /** Rust's use declarations bring a path's last name in: env::args() is std::env::args(). */
    @Test
    void rustUseDeclarationsAndPaths() {
        assertThat(rust("std::env::args()", """
                use std::env;
                fn main() {
                    let a = env::args();
                    let b = other::args();
                }
                """)).containsExactly(3);
        assertThat(rust("$B.set_verify(openssl::ssl::SSL_VERIFY_NONE)", """
                use openssl::ssl::{SslMethod, SSL_VERIFY_NONE as NONE};
                fn main() {
                    c.set_verify(NONE);
                    c.set_verify(SSL_VERIFY_PEER);
                }
                """)).containsExactly(3);
        assertThat(rust("rustls::client::DangerousClientConfig", """
                fn main() {
                    let c = rustls::client::DangerousClientConfig { cfg: x };
                }
                """)).containsExactly(2);
        assertThat(rust("""
                let $C = Config::dangerous(...);
                ...
                $C.set(...);
                """, """
                fn main() {
                    let mut c = Config::dangerous(1);
                    c.set(2);
                }
                """)).containsExactly(2);
    }
}
