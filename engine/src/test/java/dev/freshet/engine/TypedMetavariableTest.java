package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.rules.RuleProblem;
import dev.freshet.engine.scan.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Typed metavariables and metavariable-type: types come from the file's own declarations. */
class TypedMetavariableTest extends EngineTestSupport {

    @Test
    void javaTypeFromParametersLocalsFieldsNewAndCasts() {
        List<Finding> findings = scan(pattern("java", "(Statement $S).execute(...)"), "T.java", """
                import java.sql.Statement;
                class T {
                    private Statement field;
                    void m(Statement param, Object other) {
                        Statement local = make();
                        var inferred = new Statement();
                        param.execute(q);
                        local.execute(q);
                        field.execute(q);
                        this.field.execute(q);
                        inferred.execute(q);
                        ((Statement) other).execute(q);
                        other.execute(q);
                        unknown.execute(q);
                        make().execute(q);
                    }
                }
                """);
        assertThat(lines(findings)).containsExactly(7, 8, 9, 10, 11, 12);
    }

    @Test
    void javaQualifiedTypeMatchesImportedSimpleNameOnly() {
        String rule = pattern("java", "(java.sql.Statement $S).execute(...)");
        assertThat(lines(scan(rule, "A.java", """
                import java.sql.Statement;
                class A { void m(Statement s) { s.execute(q); } }
                """))).containsExactly(2);
        assertThat(lines(scan(rule, "B.java", """
                import org.other.Statement;
                class B { void m(Statement s) { s.execute(q); } }
                """))).isEmpty();
        // java.lang needs no import.
        assertThat(lines(scan(pattern("java", "(java.lang.Runtime $R).exec(...)"), "C.java", """
                class C { void m(Runtime r, Process p) { r.exec(c); p.exec(c); } }
                """))).containsExactly(1);
    }

    @Test
    void javaGenericsArraysAndTypeMetavariables() {
        String source = """
                import java.util.List;
                class T {
                    void m(List<String> names, Cookie[] cookies, List<Integer> numbers) {
                        use(names);
                        use(cookies);
                        use(numbers);
                    }
                }
                """;
        assertThat(lines(scan(pattern("java", "use((java.util.List<String> $X))"), "T.java", source))).containsExactly(4);
        assertThat(lines(scan(pattern("java", "use((Cookie[] $X))"), "U.java", source))).containsExactly(5);
        // Without type arguments the pattern names the raw type.
        assertThat(lines(scan(pattern("java", "use((List $X))"), "V.java", source))).containsExactly(4, 6);
        List<Finding> bound = scan(rule("t", "java", "INFO", "list of $T", "pattern: use((List<$T> $X))"), "W.java", source);
        assertThat(messages(bound)).containsExactly("list of String", "list of Integer");
    }

    @Test
    void javaTypedAssignmentMatchesDeclarations() {
        assertThat(lines(scan(pattern("java", "(String $S) = \"...\" + $X;"), "T.java", """
                class T {
                    void m(String a) {
                        String q = "select " + a;
                        Object o = "select " + a;
                        int n = 1 + a;
                    }
                }
                """))).containsExactly(3);
    }

    @Test
    void javaParameterListsAndLambdasAreNotTypedMetavariables() {
        String source = """
                class T {
                    void doGet(HttpServletRequest req) { }
                    void other() { run((String s) -> s.trim()); }
                }
                """;
        assertThat(lines(scan(pattern("java", "void $M(HttpServletRequest $R) { ... }"), "T.java", source))).containsExactly(2);
        assertThat(lines(scan(pattern("java", "(String $S) -> $S.trim()"), "U.java", source))).containsExactly(3);
    }

    @Test
    void goTypesFromParametersVarsAndCompositeLiterals() {
        List<Finding> findings = scan(pattern("go", "($R : *http.Request).$F"), "t.go", """
                package p
                import h "net/http"
                func f(r *h.Request, w h.ResponseWriter) {
                    var v *h.Request
                    x := &h.Request{}
                    y := h.Request{}
                    _ = r.URL
                    _ = v.URL
                    _ = x.URL
                    _ = y.URL
                    _ = w.URL
                }
                """);
        assertThat(lines(findings)).containsExactly(7, 8, 9);
    }

    @Test
    void goBooleanAndStringTypes() {
        String source = """
                package p
                func f(s string, n int) {
                    use(s)
                    use(n)
                    use("lit")
                    use(a == b)
                }
                """;
        assertThat(lines(scan(pattern("go", "use(($X : string))"), "t.go", source))).containsExactly(3, 5);
        assertThat(lines(scan(pattern("go", "use(($X : bool))"), "u.go", source))).containsExactly(6);
    }

    @Test
    void typescriptAnnotationsAndLiterals() {
        String source = """
                function f(a: string, b: number, c) {
                    let d: Foo = make();
                    s.replace(a, "");
                    s.replace(b, "");
                    s.replace(c, "");
                    s.replace("'", "");
                    s.replace(d, "");
                }
                """;
        assertThat(lines(scan(pattern("typescript", "$S.replace(($C: string), ...)"), "t.ts", source))).containsExactly(3, 6);
        assertThat(lines(scan(pattern("typescript", "$S.replace(($C: Foo), ...)"), "u.ts", source))).containsExactly(7);
        // A typed function parameter list is not a typed metavariable.
        assertThat(lines(scan(pattern("typescript", "function $F($X: string, ...) { ... }"), "v.ts", source))).containsExactly(1);
    }

    @Test
    void pythonTypedArgumentsAndAnnotations() {
        String source = """
                import time as t
                def f(n: int, s):
                    t.sleep(5)
                    t.sleep(0.5)
                    t.sleep(n)
                    t.sleep(s)
                    t.sleep(g())
                """;
        assertThat(lines(scan(pattern("python", "time.sleep($X: int)"), "a.py", source))).containsExactly(3, 5);
        assertThat(lines(scan(pattern("python", "time.sleep($X: float)"), "b.py", source))).containsExactly(4);
        // def parameters with annotations stay parameters.
        assertThat(lines(scan(pattern("python", "def $F($X: int, ...):\n    ..."), "c.py", source))).containsExactly(2);
    }

    @Test
    void metavariableTypeCondition() {
        String rule = rule("python", """
                patterns:
                  - pattern: $X + $Y
                  - metavariable-type:
                      metavariable: $X
                      types: [int, string]
                """);
        assertThat(lines(scan(rule, "a.py", """
                a = "s" + x
                b = 1 + x
                c = x + "s"
                d = 1.5 + x
                """))).containsExactly(1, 2);
    }

    @Test
    void metavariableTypeNeedsATypeAndAStringList() {
        RuleProblem missing = load(rule("python", """
                patterns:
                  - pattern: $X + $Y
                  - metavariable-type:
                      metavariable: $X
                """)).problems().get(0);
        assertThat(missing.kind()).isEqualTo(RuleProblem.Kind.INVALID);
        assertThat(missing.reason()).contains("'type' or 'types'");
        RuleProblem mapping = load(rule("python", """
                patterns:
                  - pattern: $X + $Y
                  - metavariable-type:
                      metavariable: $X
                      types: {a: b}
                """)).problems().get(0);
        assertThat(mapping.reason()).contains("list of strings");
    }

    @Test
    void formatStringPatternMatchesOnlyFormatStrings() {
        assertThat(lines(scan(pattern("python", "f\"...\""), "a.py", """
                a = f"x{y}"
                b = "x{y}"
                c = 'plain'
                """))).containsExactly(1);
    }

    @Test
    void deepMemberEllipsis() {
        String source = """
                db.Order(a)
                db.Table("u").Where(b).Order(c)
                other.Order(d)
                db.Limit(e)
                """;
        List<Finding> findings = scan(pattern("javascript", "db. ... .Order($V)"), "a.js", source);
        assertThat(lines(findings)).containsExactly(1, 2);
        assertThat(lines(scan(pattern("python", "db. ... .Order($V)"), "a.py", source))).containsExactly(1, 2);
    }

    @Test
    void goEllipsisBeforeAParameter() {
        assertThat(lines(scan(pattern("go", "func $F(..., $DB *gorm.DB, ...) { ... }"), "t.go", """
                package p
                func a(w http.ResponseWriter, db *gorm.DB) { }
                func b(db *gorm.DB) { }
                func c(w http.ResponseWriter) { }
                """))).containsExactly(2, 3);
    }

    @Test
    void sequenceStepMatchesACallNestedInAMatchedStatement() {
        assertThat(codes(scan(rule("go", """
                patterns:
                  - pattern: |
                      $T := $DB.Table(...)
                      ...
                      $T. ... .$M($V)
                  - focus-metavariable: $V
                """), "t.go", """
                package p
                func f() {
                    t := db.Table("users")
                    t.Order(param).Find(&u)
                }
                """))).containsExactlyInAnyOrder("&u", "param");
    }

    @Test
    void typescriptJsxPatternMatchesTsxFiles() {
        assertThat(lines(scan(pattern("typescript", "<$EL href={$X} />"), "a.tsx", """
                const a = <a href={url} />;
                const b = <a title={url} />;
                """))).containsExactly(1);
    }

    @Test
    void importListsMatchAsSubsetsAndCallTypeArgumentsAreOptional() {
        String rule = rule("typescript", """
                patterns:
                  - pattern-inside: |
                      import {Bucket} from '@aws-cdk/aws-s3'
                      ...
                  - pattern: decode($T)
                """);
        assertThat(lines(scan(rule, "a.ts", """
                import {Bucket, Other} from '@aws-cdk/aws-s3';
                decode(a);
                decode<any>(b);
                """))).containsExactly(2, 3);
        assertThat(lines(scan(rule, "b.ts", """
                import {Other} from '@aws-cdk/aws-s3';
                decode(a);
                """))).isEmpty();
    }
}
