package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.scan.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pattern syntax on JavaScript code (and, where it costs one test, TypeScript and TSX). */
class JavaScriptPatternTest extends EngineTestSupport {

    private List<Finding> js(String pattern, String source) {
        return scan(pattern("javascript", pattern), "t.js", source);
    }

    @Test
    void metavariableBindsConsistently() {
        List<Finding> findings = js("$X === $X", """
                if (a === a) {}
                if (a === b) {}
                const same = obj.k === obj.k;
                """);
        assertThat(spans(findings)).containsExactly("1:5-1:12", "3:14-3:29");
    }

    @Test
    void anonymousMetavariable() {
        assertThat(lines(js("foo($_)", """
                foo(1);
                foo();
                foo(1, 2);
                foo(a.b);
                """))).containsExactly(1, 4);
        assertThat(lines(js("$_ + $_", """
                x = a + b;
                """))).containsExactly(1);
    }

    @Test
    void metavariableEllipsisCapturesARunOfArguments() {
        List<Finding> findings = scan(rule("args", "javascript", "INFO", "rest: $...ARGS",
                "pattern: bar(1, $...ARGS)"), "t.js", """
                bar(1, 2, 3);
                bar(1);
                bar(2, 1);
                """);
        assertThat(lines(findings)).containsExactly(1, 2);
        assertThat(findings.get(0).message()).isEqualTo("rest: 2, 3");
    }

    @Test
    void ellipsisInCallArguments() {
        assertThat(lines(js("baz(..., 3)", """
                baz(1, 2, 3);
                baz(3);
                baz(3, 4);
                """))).containsExactly(1, 2);
    }

    @Test
    void ellipsisInFunctionParameters() {
        List<Finding> findings = scan(rule("params", "javascript", "INFO", "$F takes a password", """
                pattern: |
                  function $F(..., password, ...) {
                    ...
                  }
                """), "t.js", """
                function login(user, password) {
                  return check(user, password);
                }
                function greet(user) {
                  return user;
                }
                function reset(password) {}
                """);
        assertThat(lines(findings)).containsExactly(1, 7);
        assertThat(spans(findings).get(0)).isEqualTo("1:1-3:2");
        assertThat(messages(findings)).containsExactly("login takes a password", "reset takes a password");
    }

    @Test
    void ellipsisInStatementSequence() {
        List<Finding> findings = js("""
                const $C = connect();
                ...
                $C.close();
                """, """
                function a() {
                  const c = connect();
                  c.query("x");
                  c.close();
                }
                function b() {
                  const c = connect();
                  d.close();
                }
                """);
        assertThat(spans(findings)).containsExactly("2:3-4:13");
    }

    @Test
    void statementAfterEllipsisMayBeNestedInAnIfBlock() {
        List<Finding> findings = js("""
                lock.acquire();
                ...
                doWork();
                """, """
                function c() {
                  lock.acquire();
                  if (ready) {
                    doWork();
                  }
                }
                function d() {
                  doWork();
                  lock.acquire();
                }
                """);
        assertThat(spans(findings)).containsExactly("2:3-4:14");
    }

    @Test
    void ellipsisInStringMatchesAnyString() {
        assertThat(lines(js("log(\"...\")", """
                log("hello");
                log('single');
                log(x);
                """))).containsExactly(1, 2);
    }

    @Test
    void stringLiteralMatchesRegardlessOfQuoteStyle() {
        assertThat(lines(js("require('fs')", """
                const a = require("fs");
                const b = require('fs');
                const c = require('path');
                """))).containsExactly(1, 2);
    }

    @Test
    void deepExpression() {
        List<Finding> findings = scan(rule("deep", "javascript", "INFO", "$X flows into innerHTML",
                "pattern: $EL.innerHTML = <... $X.query ...>"), "t.js", """
                el.innerHTML = "<b>" + req.query + "</b>";
                el.innerHTML = "<b>static</b>";
                el.innerHTML = wrap(request.query.name);
                """);
        assertThat(lines(findings)).containsExactly(1, 3);
        assertThat(messages(findings)).containsExactly("req flows into innerHTML", "request flows into innerHTML");
    }

    @Test
    void parenthesizedExpressionsMatchTheBareExpression() {
        assertThat(lines(js("x + y", """
                z = (x + y);
                z = x + (y);
                z = x - y;
                """))).containsExactly(1, 2);
    }

    @Test
    void methodCallOnAnyObject() {
        List<Finding> findings = js("$OBJ.innerHTML = $V", """
                document.body.innerHTML = html;
                el.textContent = html;
                """);
        assertThat(spans(findings)).containsExactly("1:1-1:31");
    }

    @Test
    void importsResolveToTheModuleName() {
        // Semgrep's documented JS import equivalences: named imports and destructured require
        // bind the imported name, a namespace import binds the module.
        List<Finding> findings = js("child_process.exec(...)", """
                import * as child from 'child_process';
                import { exec as run } from 'child_process';
                const { exec } = require('child_process');
                child.exec(a);
                run(b);
                exec(c);
                child_process.exec(d);
                other.exec(e);
                """);
        assertThat(lines(findings)).containsExactly(4, 5, 6, 7);
    }

    @Test
    void bareImportPatternMatchesAnyImportOfThatModule() {
        List<Finding> findings = js("import 'path';", """
                import { join } from 'path';
                import * as p from 'path';
                import 'path';
                import { join as j } from 'fs';
                import 'fs';
                """);
        assertThat(lines(findings)).containsExactly(1, 2, 3);
    }

    @Test
    void bareImportThenQualifiedCallMatchesTheImportedName() {
        String yaml = rule("join", "javascript", "INFO", "join", """
                patterns:
                  - pattern-inside: |
                      import 'path';
                      ...
                  - pattern-inside: path.join(..., $SINK, ...)
                  - focus-metavariable: $SINK
                """);
        assertThat(spans(scan(yaml, "t.js", "import { join } from 'path';\njoin(a, b);\n")))
                .containsExactly("2:6-2:7", "2:9-2:10");
        assertThat(scan(yaml, "t.js", "import { join } from 'fs';\njoin(a, b);\n")).isEmpty();
    }

    @Test
    void requireCallInPatternMatchesOnlyTheWrittenCall() {
        // As in Semgrep, `require('m').f(...)` is matched structurally: a variable holding the
        // module is not followed back to the require call.
        List<Finding> findings = js("require('child_process').exec(...)", """
                require('child_process').exec(x);
                require("child_process").exec(y);
                require('fs').exec(z);
                """);
        assertThat(lines(findings)).containsExactly(1, 2);
    }

    @Test
    void typescriptRuleMatchesTypedCodeInTsAndTsxFiles() {
        String yaml = pattern("typescript", "eval($X)");
        List<Finding> ts = scan(yaml, "t.ts", """
                const code: string = input as string;
                eval(code);
                """);
        assertThat(spans(ts)).containsExactly("2:1-2:11");
        List<Finding> tsx = scan(yaml, "view.tsx", """
                const View = (p: Props) => <div onClick={() => eval(p.code)} />;
                """);
        assertThat(spans(tsx)).containsExactly("1:48-1:60");
    }

    @Test
    void typescriptTypeAnnotationsInPatterns() {
        assertThat(lines(scan(pattern("typescript", "function $F(..., $P: any, ...) { ... }"), "t.ts", """
                function loose(a: any) { return a; }
                function strict(a: string) { return a; }
                """))).containsExactly(1);
    }

    @Test
    void parameterMetavariableBindsTheNameOfATypedParameter() {
        assertThat(codes(scan(rule("typescript", """
                patterns:
                  - pattern-inside: function ... ($REQ, $RES) {...}
                  - pattern: $REQ.query
                """), "t.ts", """
                const f = (req: Request, res: Response) => {
                  use(req.query);
                  use(res.query);
                };
                """))).containsExactly("req.query");
    }

    @Test
    void destructuringPatternTakesSomeFields() {
        assertThat(lines(scan(pattern("typescript", "({ $P }: Request) => {...}"), "t.ts", """
                const f = ({ params, query }: Request) => {};
                const g = ({ params }: Other) => {};
                """))).containsExactly(1);
    }

    @Test
    void keyValuePatternIsAnObjectProperty() {
        assertThat(lines(js("secret: '$Y'", """
                const config = {
                  secret: 'hardcoded',
                  other: 'x',
                };
                secret: for (;;) { break secret; }
                """))).containsExactly(2);
    }

    @Test
    void patternInBracesIsAnObjectLiteral() {
        assertThat(lines(js("{...}", """
                const a = {x: 1};
                function f() {
                  return g(a);
                }
                """))).containsExactly(1);
    }

    @Test
    void pastAnEllipsisTheBodyMayGoOn() {
        assertThat(lines(js("""
                function $F(...) {
                  ...
                  return $X;
                }
                """, """
                function f(a) {
                  if (a) {
                    return 1;
                  }
                  log(a);
                }
                function g(a) {
                  log(a);
                }
                """))).containsExactly(1);
    }

    @Test
    void namedFunctionPatternWithAMetavariableNameAlsoMatchesAnonymousFunctions() {
        assertThat(lines(js("$X.forEach(function $NAME(...) {...})", """
                a.forEach(function each(x) {});
                a.forEach(function (x) {});
                a.forEach((x) => {});
                a.forEach(x => {});
                """))).containsExactly(1, 2, 3, 4);
    }

    @Test
    void templatePatternQuotesAnchorItsEnds() {
        assertThat(lines(js("x = `...${$V}`", """
                x = `${a}/hi`;
                x = `pre ${a}`;
                """))).containsExactly(2);
        assertThat(codes(scan(rule("javascript", """
                patterns:
                  - pattern: "`$SQL${$E}...`"
                  - focus-metavariable: $SQL
                """), "t.js", """
                q = `SELECT * FROM t WHERE id = ${id}`;
                """))).containsExactly("SELECT * FROM t WHERE id = ");
    }

    @Test
    void stringsBuiltFromConstantsAreConstantStrings() {
        assertThat(lines(js("eval(\"...\")", """
                const a = "static";
                const b = 'also static';
                eval(`${a}`);
                eval(a + b);
                eval(`${dynamic} code`);
                eval(dynamic + a);
                """))).containsExactly(3, 4);
    }
}
