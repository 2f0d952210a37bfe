package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.scan.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pattern syntax on Python code: what each feature matches, and where. */
class PythonPatternTest extends EngineTestSupport {

    private List<Finding> python(String pattern, String source) {
        return scan(pattern("python", pattern), "t.py", source);
    }

    @Test
    void metavariableBindsConsistently() {
        List<Finding> findings = python("$X == $X", """
                if a == a:
                    pass
                if a == b:
                    pass
                ok = user.id == user.id
                no = user.id == user.name
                """);
        assertThat(spans(findings)).containsExactly("1:4-1:10", "5:6-5:24");
        assertThat(codes(findings)).containsExactly("a == a", "user.id == user.id");
    }

    @Test
    void metavariableBindingIgnoresLayout() {
        List<Finding> findings = python("$X == $X", """
                r = f(1,2) == f( 1 , 2 )
                s = f(1, 2) == f(2, 1)
                """);
        assertThat(lines(findings)).containsExactly(1);
    }

    @Test
    void anonymousMetavariableMatchesOneExpressionAndDoesNotBind() {
        assertThat(lines(python("foo($_)", """
                foo(1)
                foo()
                foo(1, 2)
                foo(x.y)
                """))).containsExactly(1, 4);
        // Each $_ is independent: $_ == $_ matches different operands.
        assertThat(lines(python("$_ == $_", """
                a == b
                """))).containsExactly(1);
    }

    @Test
    void metavariableEllipsisCapturesARunOfArguments() {
        List<Finding> findings = scan(rule("args", "python", "INFO", "rest is $...ARGS",
                "pattern: bar(1, $...ARGS)"), "t.py", """
                bar(1, 2, 3)
                bar(1)
                bar(2, 1)
                """);
        assertThat(lines(findings)).containsExactly(1, 2);
        assertThat(findings.get(0).message()).isEqualTo("rest is 2, 3");
    }

    @Test
    void ellipsisInCallArguments() {
        assertThat(lines(python("baz(..., 3)", """
                baz(1, 2, 3)
                baz(3)
                baz(3, 4)
                baz()
                """))).containsExactly(1, 2);
        assertThat(lines(python("f(...)", """
                f()
                f(1, x=2, *a, **k)
                g(1)
                """))).containsExactly(1, 2);
    }

    @Test
    void ellipsisInFunctionParameters() {
        List<Finding> findings = scan(rule("params", "python", "INFO", "$NAME takes a password", """
                pattern: |
                  def $NAME(..., password, ...):
                      ...
                """), "t.py", """
                def login(user, password):
                    pass

                def reset(password):
                    return 1

                def greet(user):
                    pass
                """);
        assertThat(spans(findings)).containsExactly("1:1-2:9", "4:1-5:13");
        assertThat(messages(findings)).containsExactly("login takes a password", "reset takes a password");
    }

    @Test
    void ellipsisInStatementSequence() {
        List<Finding> findings = python("""
                $F = open(...)
                ...
                $F.close()
                """, """
                def a():
                    f = open("x")
                    f.read()
                    f.close()

                def b():
                    f = open("x")
                    g.close()
                """);
        assertThat(spans(findings)).containsExactly("2:5-4:14");
    }

    @Test
    void statementAfterEllipsisMayBeNestedInAnIfBlock() {
        List<Finding> findings = python("""
                lock.acquire()
                ...
                do_work()
                """, """
                def c():
                    lock.acquire()
                    if ready:
                        do_work()

                def d():
                    do_work()
                    lock.acquire()
                """);
        assertThat(spans(findings)).containsExactly("2:5-4:18");
    }

    @Test
    void ellipsisInStringMatchesAnyString() {
        assertThat(lines(python("log(\"...\")", """
                log("hello world")
                log(x)
                log('single')
                log(\"\"\"triple\"\"\")
                """))).containsExactly(1, 3, 4);
    }

    @Test
    void stringLiteralMatchesRegardlessOfQuoteStyle() {
        assertThat(lines(python("open('secret.txt')", """
                open("secret.txt")
                open('secret.txt')
                open('other.txt')
                """))).containsExactly(1, 2);
        assertThat(lines(python("open(\"secret.txt\")", """
                open('secret.txt')
                """))).containsExactly(1);
    }

    @Test
    void deepExpression() {
        List<Finding> findings = scan(rule("deep", "python", "INFO", "$X leaks", "pattern: print(<... $X.password ...>)"),
                "t.py", """
                print("a" + user.password + "b")
                print(user.name)
                print(fmt(admin.password))
                print(root.password)
                """);
        // The deep expression may also be the whole argument (zero depth).
        assertThat(lines(findings)).containsExactly(1, 3, 4);
        assertThat(messages(findings)).containsExactly("user leaks", "admin leaks", "root leaks");
    }

    @Test
    void parenthesizedExpressionsMatchTheBareExpression() {
        assertThat(lines(python("x + y", """
                z = (x + y)
                z = x + (y)
                z = x - y
                """))).containsExactly(1, 2);
        assertThat(lines(python("foo(a)", """
                foo((a))
                """))).containsExactly(1);
    }

    @Test
    void keywordArguments() {
        assertThat(lines(python("requests.get(..., verify=False, ...)", """
                requests.get(url, verify=False)
                requests.get(url, timeout=3, verify=False)
                requests.get(url, verify=True)
                requests.get(verify=False)
                requests.get(url)
                """))).containsExactly(1, 2, 4);
    }

    @Test
    void decoratedFunction() {
        List<Finding> findings = python("""
                @app.route(...)
                def $F(...):
                    ...
                """, """
                @app.route("/")
                def index():
                    return "hi"

                def plain():
                    return 2
                """);
        assertThat(spans(findings)).containsExactly("1:1-3:16");
    }

    @Test
    void importAliasesResolveToTheQualifiedName() {
        List<Finding> findings = python("subprocess.Popen(...)", """
                from subprocess import Popen as P
                P(["ls"])
                subprocess.Popen("x")
                Q(["ls"])
                """);
        assertThat(spans(findings)).containsExactly("2:1-2:10", "3:1-3:22");
    }

    @Test
    void moduleAliasAndFromImport() {
        assertThat(lines(python("hashlib.md5(...)", """
                import hashlib as h
                from hashlib import md5
                h.md5(b"1")
                md5(b"2")
                sha.md5(b"3")
                """))).containsExactly(3, 4);
    }

    @Test
    void aMetavariableObjectMatchesAnImportedNameOrAChainEndingInTheSameName() {
        // run is m.execute; a written chain ends in its own last name, whatever its first stands for.
        assertThat(lines(python("$O.execute($Q)", """
                from m import execute as run
                db.execute(q)
                run(q)
                run.other(q)
                db.executes(q)
                run.execute(q)
                """))).containsExactly(2, 3, 6);
    }

    @Test
    void importInsideAFunctionResolvesFromThereToTheFunctionsEnd() {
        assertThat(lines(python("sys.exit(...)", """
                exit(1)
                def f():
                    exit(2)
                    from sys import exit
                    exit(3)
                def g():
                    import _pickle as p
                exit(4)
                """))).containsExactly(5);
        assertThat(lines(python("_pickle.loads(...)", """
                def f(data):
                    import _pickle as p
                    p.loads(data)
                """))).containsExactly(3);
    }

    @Test
    void moduleImportPatternMatchesSubmodulesAndFromImports() {
        assertThat(lines(python("import xml", """
                import xml
                import xml.etree
                from xml.etree import ElementTree
                import xmlrpc
                from defusedxml.etree import ElementTree
                import os, xml.dom as d
                """))).containsExactly(1, 2, 3, 6);
        assertThat(lines(python("import bokeh.layouts.widgetbox", """
                from bokeh.layouts import widgetbox
                from bokeh.layouts import row
                from bokeh import layouts
                """))).containsExactly(1);
    }

    @Test
    void parenthesizedEllipsisInAPatternIsAnyExpression() {
        assertThat(lines(python("cur.execute('...' % (...))", """
                cur.execute("a %s" % f(x))
                cur.execute("a %s" % (x, y))
                cur.execute("a %s" % (x))
                cur.execute("a %s" % x)
                cur.execute("a %s".format(x))
                """))).containsExactly(1, 2, 3, 4);
    }

    @Test
    void statementAfterANestedMatchFollowsItInsteadOfSittingInsideIt() {
        assertThat(lines(python("""
                for $K in $O:
                    ...
                    if $X:
                        foo()
                    bar()
                """, """
                for k in o:
                    init()
                    if x:
                        foo()
                    bar()
                for k in o:
                    if x:
                        foo()
                        bar()
                """))).containsExactly(1);
    }

    @Test
    void dictionaryWithEllipsesAndMetavariableKeys() {
        assertThat(lines(python("{..., $X: $A, ..., $X: $B, ...}", """
                d = {1: "a", 2: "b", 1: "c"}
                e = {1: "a", 2: "b"}
                f = {k: 1, "x": 2, k: 3}
                """))).containsExactly(1, 3);
    }

    @Test
    void deepExpressionAsAStatementMatchesAStatementContainingIt() {
        assertThat(lines(python("""
                def $FF(...):
                    ...
                ...
                <... $FF ...>
                """, """
                def outer():
                    def used():
                        pass
                    return used
                def other():
                    def unused():
                        pass
                    return 1
                """))).containsExactly(2);
    }

    @Test
    void literalInAPatternMatchesANameHoldingThatConstant() {
        assertThat(lines(python("g(False)", """
                def f():
                    b = False
                    g(b)
                    g(False)
                    c = True
                    g(c)
                    d = False
                    d = True
                    g(d)
                """))).containsExactly(3, 4);
    }

    @Test
    void callPatternWithAnyArgumentsMatchesABareDecorator() {
        assertThat(lines(python("functools.lru_cache(...)", """
                from functools import lru_cache
                @lru_cache
                def a():
                    pass
                @lru_cache(maxsize=1)
                def b():
                    pass
                @other
                def c():
                    pass
                x = lru_cache
                """))).containsExactly(2, 5);
    }
}
