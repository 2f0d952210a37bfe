package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.scan.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pattern syntax on Java code. */
class JavaPatternTest extends EngineTestSupport {

    private List<Finding> java(String pattern, String source) {
        return scan(pattern("java", pattern), "T.java", source);
    }

    /** Wraps statements in a class and method; the first statement is on line 3, indented 8. */
    private static String inMethod(String statements) {
        return "class T {\n    void m() {\n" + indent(statements.stripTrailing(), "        ") + "\n    }\n}\n";
    }

    @Test
    void metavariableBindsConsistently() {
        List<Finding> findings = java("$X.equals($X)", inMethod("""
                x.equals(x);
                x.equals(y);
                a.b().equals(a.b());
                """));
        assertThat(spans(findings)).containsExactly("3:9-3:20", "5:9-5:28");
    }

    /** A call of another method is ruled out by its name before its object is compared; the object still counts. */
    @Test
    void callsOfOtherMethodsOrOnOtherObjectsDoNotMatch() {
        assertThat(lines(java("System.out.println($X)", inMethod("""
                System.out.println(a);
                System.out.print(b);
                System.err.println(c);
                (System.out).println(d);
                System.out.println(e, f);
                """)))).containsExactly(3, 6);
        assertThat(lines(java("$A.equals($B)", inMethod("""
                a.equals(b);
                a.equal(b);
                (a).equals((b));
                a.equals(b, c);
                """)))).containsExactly(3, 5);
    }

    @Test
    void anonymousMetavariable() {
        assertThat(lines(java("foo($_)", inMethod("""
                foo(1);
                foo();
                foo(1, 2);
                foo(a.b);
                """)))).containsExactly(3, 6);
    }

    @Test
    void metavariableEllipsisCapturesARunOfArguments() {
        List<Finding> findings = scan(rule("args", "java", "INFO", "rest: $...ARGS", "pattern: bar(1, $...ARGS)"),
                "T.java", inMethod("""
                bar(1, 2, 3);
                bar(1);
                bar(2, 1);
                """));
        assertThat(lines(findings)).containsExactly(3, 4);
        assertThat(findings.get(0).message()).isEqualTo("rest: 2, 3");
    }

    @Test
    void ellipsisInCallArguments() {
        assertThat(lines(java("baz(..., 3)", inMethod("""
                baz(1, 2, 3);
                baz(3);
                baz(3, 4);
                """)))).containsExactly(3, 4);
    }

    @Test
    void ellipsisInMethodParameters() {
        List<Finding> findings = scan(rule("params", "java", "INFO", "$M takes a password", """
                pattern: |
                  $RET $M(..., String password, ...) {
                    ...
                  }
                """), "T.java", """
                class T {
                    private int login(String user, String password) { return 0; }
                    int greet(String user) { return 1; }
                    void reset(String password) { }
                }
                """);
        assertThat(spans(findings)).containsExactly("2:5-2:66", "4:5-4:36");
        assertThat(messages(findings)).containsExactly("login takes a password", "reset takes a password");
    }

    @Test
    void bareMetavariableParameterMatchesAParameterOfAnyType() {
        List<Finding> findings = scan(rule("params", "java", "INFO", "$M takes $P", """
                pattern: |
                  $RET $M(..., $P) {
                    ...
                  }
                """), "T.java", """
                class T {
                    int login(String user, final char[] secret) { return 0; }
                    void none() { }
                }
                """);
        assertThat(messages(findings)).containsExactly("login takes secret");
    }

    @Test
    void ellipsisInStatementSequence() {
        List<Finding> findings = java("""
                $T $S = $C.createStatement();
                ...
                $S.close();
                """, inMethod("""
                Statement s = conn.createStatement();
                s.execute(sql);
                s.close();
                Statement t = conn.createStatement();
                u.close();
                """));
        assertThat(spans(findings)).containsExactly("3:9-5:19");
    }

    @Test
    void statementAfterEllipsisMayBeNestedInAnIfBlock() {
        List<Finding> findings = java("""
                lock.lock();
                ...
                doWork();
                """, inMethod("""
                lock.lock();
                if (ready) {
                    doWork();
                }
                """));
        // The match runs from the first statement to the nested one, as in Semgrep.
        assertThat(spans(findings)).containsExactly("3:9-5:22");
    }

    @Test
    void ellipsisInStringMatchesAnyString() {
        assertThat(lines(java("log(\"...\")", inMethod("""
                log("hello");
                log(s);
                log("");
                """)))).containsExactly(3, 5);
    }

    @Test
    void exactStringLiteral() {
        assertThat(lines(java("Cipher.getInstance(\"DES\")", inMethod("""
                Cipher.getInstance("DES");
                Cipher.getInstance("AES/GCM/NoPadding");
                """)))).containsExactly(3);
    }

    @Test
    void deepExpression() {
        List<Finding> findings = scan(rule("deep", "java", "INFO", "$R flows into a query",
                "pattern: query(<... $R.getParameter(...) ...>)"), "T.java", inMethod("""
                query("select " + req.getParameter("id"));
                query("select");
                query(build(request.getParameter("q")));
                """));
        assertThat(lines(findings)).containsExactly(3, 5);
        assertThat(messages(findings)).containsExactly("req flows into a query", "request flows into a query");
    }

    @Test
    void parenthesizedExpressionMatchesTheBareExpression() {
        List<Finding> findings = java("a + b", inMethod("""
                int c = (a + b);
                int d = a + b;
                int e = a - b;
                """));
        assertThat(lines(findings)).containsExactly(3, 4);
        assertThat(codes(findings)).containsExactly("a + b", "a + b");
    }

    @Test
    void parenthesizedArgumentMatchesTheBareExpression() {
        assertThat(lines(java("foo(a)", inMethod("""
                foo((a));
                foo(a);
                foo(b);
                """)))).containsExactly(3, 4);
    }

    @Test
    void methodDeclarationWithModifier() {
        List<Finding> findings = scan(rule("pub", "java", "INFO", "public $M", """
                pattern: |
                  public void $M(...) {
                    ...
                  }
                """), "T.java", """
                class T {
                    public void pub() {
                        return;
                    }
                    void packagePrivate() {
                        return;
                    }
                    public int other() { return 1; }
                    @Deprecated
                    public static synchronized void util() {
                        return;
                    }
                }
                """);
        // Modifiers in the pattern must be present; extra modifiers and annotations are allowed.
        assertThat(spans(findings)).containsExactly("2:5-4:6", "9:5-12:6");
        assertThat(messages(findings)).containsExactly("public pub", "public util");
    }

    @Test
    void methodDeclarationWithAnnotation() {
        List<Finding> findings = scan(rule("mapped", "java", "INFO", "handler $M", """
                pattern: |
                  @GetMapping(...)
                  $RET $M(...) { ... }
                """), "T.java", """
                class T {
                    @GetMapping("/x")
                    public String handler() { return "x"; }

                    @PostMapping("/y")
                    public String post() { return "y"; }

                    public String plain() { return "z"; }
                }
                """);
        assertThat(spans(findings)).containsExactly("2:5-3:44");
        assertThat(messages(findings)).containsExactly("handler handler");
    }

    @Test
    void patternWithoutAnnotationMatchesAnnotatedMethod() {
        assertThat(lines(java("""
                void $M() { ... }
                """, """
                class T {
                    @Override
                    void run() { go(); }
                    void walk() { go(); }
                }
                """))).containsExactly(2, 4);
    }

    @Test
    void importedClassMatchesFullyQualifiedPattern() {
        List<Finding> findings = java("java.security.MessageDigest.getInstance(\"MD5\")", """
                import java.security.MessageDigest;

                class T {
                    void f() throws Exception {
                        MessageDigest.getInstance("MD5");
                        java.security.MessageDigest.getInstance("MD5");
                        MessageDigest.getInstance("SHA-256");
                        other.MessageDigest.getInstance("MD5");
                    }
                }
                """);
        assertThat(spans(findings)).containsExactly("5:9-5:41", "6:9-6:55");
    }

    @Test
    void unimportedSimpleNameDoesNotMatchQualifiedPattern() {
        assertThat(java("java.security.MessageDigest.getInstance(\"MD5\")", """
                import com.example.MessageDigest;

                class T {
                    void f() {
                        MessageDigest.getInstance("MD5");
                    }
                }
                """)).isEmpty();
    }

    @Test
    void newObjectWithArguments() {
        List<Finding> findings = scan(rule("rnd", "java", "WARNING", "seeded with $S", "pattern: new Random($S)"),
                "T.java", inMethod("""
                Random a = new Random(42);
                Random b = new Random();
                """));
        assertThat(spans(findings)).containsExactly("3:20-3:34");
        assertThat(messages(findings)).containsExactly("seeded with 42");
    }

    @Test
    void stringRegexTakesFlags() {
        assertThat(lines(java("$R.addHeader(\"=~/access-control-allow-origin/i\", \"=~/^\\*$/\")", inMethod("""
                res.addHeader("Access-Control-Allow-Origin", "*");
                res.addHeader("access-control-allow-origin", "*");
                res.addHeader("X-Other", "*");
                """)))).containsExactly(3, 4);
    }

    @Test
    void emptyBlockMatchesWhateverItsLayout() {
        assertThat(lines(java("public void check(...) {}", """
                class T {
                    public void check(String a) throws Exception {
                        // nothing to check
                    }
                    public void check(String a, String b) { }
                    public void check() { run(); }
                }
                """))).containsExactly(2, 5);
    }

    @Test
    void loneEllipsisInMetavariablePatternMatchesAnyExpressionButNotPartsOfAString() {
        String rule = rule("java", """
                patterns:
                  - pattern: $Q.put("$where", $INPUT);
                  - metavariable-pattern:
                      metavariable: $INPUT
                      patterns:
                        - pattern: ...
                        - pattern-not: |
                            "..."
                """);
        assertThat(lines(scan(rule, "T.java", inMethod("""
                q.put("$where", "this.a == \\"" + name + "\\"");
                q.put("$where", "this.a == \\"CONSTANT\\"");
                """)))).containsExactly(3);
    }

    @Test
    void declarationWithoutReturnTypeMatchesConstructorsAndMethods() {
        assertThat(lines(java("""
                class $C {
                    byte[] $IV = {...};
                    ...
                    $M(...) {
                        ...
                        new IvParameterSpec($IV);
                        ...
                    }
                }
                """, """
                class A {
                    byte[] iv = {0, 0};
                    A() {
                        IvParameterSpec s = new IvParameterSpec(iv);
                    }
                }
                class B {
                    byte[] iv = {0, 0};
                    void init() {
                        use(new IvParameterSpec(iv));
                    }
                }
                class C {
                    byte[] iv = {0, 0};
                    void init() {
                        use(iv);
                    }
                }
                """))).containsExactly(1, 7);
    }

    @Test
    void patternWithItsSemicolonMatchesStatementsWithTheStatementsRange() {
        // "foo(...);" is a statement pattern: the finding is the statement, once, not also its parts.
        assertThat(spans(java("$T.queryForObject(...);", inMethod("""
                Long r =
                        template.queryForObject(sql, Long.class);
                """)))).containsExactly("3:9-4:58");
        assertThat(spans(java("$T.queryForObject(...)", inMethod("""
                Long r =
                        template.queryForObject(sql, Long.class);
                """)))).containsExactly("4:17-4:57");
    }
}
