package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.scan.Finding;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every rule operator, once per language (Python, JavaScript, Java). */
class OperatorTest extends EngineTestSupport {

    @Nested
    class Python {
        private List<Finding> run(String body, String source) {
            return scan(rule("python", body), "t.py", source);
        }

        private List<Finding> run(String message, String body, String source) {
            return scan(rule("test", "python", "ERROR", message, body), "t.py", source);
        }

        @Test
        void patternEither() {
            assertThat(lines(run("""
                    pattern-either:
                      - pattern: hashlib.md5(...)
                      - pattern: hashlib.sha1(...)
                    """, """
                    hashlib.md5(b"x")
                    hashlib.sha1(b"x")
                    hashlib.sha256(b"x")
                    """))).containsExactly(1, 2);
        }

        /** An alternative of pattern-either may be pattern-inside; alone, it matches where its pattern does (Semgrep's Inside). */
        @Test
        void patternEitherOfPatternInsideAtTheTop() {
            assertThat(spans(run("""
                    pattern-either:
                      - pattern-inside: open(...)
                      - pattern: close()
                    """, """
                    f = open("a")
                    close()
                    """))).containsExactly("1:5-1:14", "2:1-2:8");
        }

        /** Semgrep's syntax v2 (match: all/any/not/inside/where) finds what the same rule in classic keys finds. */
        @Test
        void matchSyntaxReadsAsTheClassicOperators() {
            String source = """
                    def handler(request):
                        open(request.path)
                        open("static.txt")
                        open(request.raw)
                    open(request.path)
                    with lock:
                        def other(r):
                            open(r.path)
                    """;
            String classic = """
                    patterns:
                      - pattern-inside: |
                          def $F(...):
                              ...
                      - pattern-either:
                          - pattern: open($X.path)
                          - pattern: open($X.raw)
                      - pattern-not: open("static.txt")
                      - pattern-not-inside: |
                          with lock:
                              ...
                      - metavariable-regex:
                          metavariable: $X
                          regex: ^req
                      - focus-metavariable: $X
                    """;
            String v2 = """
                    match:
                      all:
                        - inside: |
                            def $F(...):
                                ...
                        - any:
                            - open($X.path)
                            - pattern: open($X.raw)
                        - not: open("static.txt")
                        - not:
                            inside: |
                              with lock:
                                  ...
                      where:
                        - metavariable: $X
                          regex: ^req
                        - focus: $X
                    """;
            assertThat(spans(run(v2, source))).isEqualTo(spans(run(classic, source))).containsExactly("2:10-2:17", "4:10-4:17");
        }

        /** metavariable-regex with constant-propagation reads a literal's content and a constant variable's value. */
        @Test
        void metavariableRegexWithConstantPropagation() {
            String source = """
                    HOST = "prod-db"
                    connect(HOST)
                    connect("prod-cache")
                    connect(other)
                    """;
            String rule = """
                    patterns:
                      - pattern: connect($A)
                      - metavariable-regex:
                          metavariable: $A
                          regex: ^prod
                          constant-propagation: %s
                    """;
            assertThat(lines(run(rule.formatted("true"), source))).containsExactly(2, 3);
            assertThat(lines(run(rule.formatted("false"), source))).isEmpty();
        }

        @Test
        void patternEitherAlternativesMatchingTheSameCodeGiveOneFinding() {
            assertThat(spans(run("""
                    pattern-either:
                      - pattern: eval(...)
                      - pattern: eval($X)
                      - pattern-regex: eval\\(x\\)
                    """, """
                    eval(x)
                    """))).containsExactly("1:1-1:8");
        }

        @Test
        void patternEitherWithNestedPatterns() {
            assertThat(lines(run("""
                    pattern-either:
                      - patterns:
                          - pattern: yaml.load($X, ...)
                          - pattern-not: yaml.load($X, Loader=yaml.SafeLoader)
                      - pattern: yaml.unsafe_load(...)
                    """, """
                    yaml.load(data)
                    yaml.load(data, Loader=yaml.SafeLoader)
                    yaml.unsafe_load(data)
                    yaml.safe_load(data)
                    """))).containsExactly(1, 3);
        }

        @Test
        void patternsIntersectsPositiveTerms() {
            assertThat(lines(run("""
                    patterns:
                      - pattern: open($PATH, $MODE)
                      - pattern: open($P, "w")
                    """, """
                    open(a, "r")
                    open(b, "w")
                    open(c)
                    """))).containsExactly(2);
        }

        @Test
        void positiveTermsInsideOneAnotherIntersectAtTheNarrowerRange() {
            List<Finding> findings = run("""
                    patterns:
                      - pattern: $R.set_cookie(..., httponly=$V, ...)
                      - pattern: $V
                    """, """
                    r.set_cookie("k",
                                 httponly=False)
                    r.set_cookie("k", secure=False)
                    """);
            assertThat(spans(findings)).containsExactly("2:23-2:28");
        }

        @Test
        void patternNot() {
            assertThat(lines(run("""
                    patterns:
                      - pattern: subprocess.call(...)
                      - pattern-not: subprocess.call("ls")
                    """, """
                    subprocess.call("ls")
                    subprocess.call(cmd)
                    subprocess.call("ls", shell=True)
                    """))).containsExactly(2, 3);
        }

        @Test
        void patternNotRespectsBindings() {
            assertThat(lines(run("""
                    patterns:
                      - pattern: $A == $B
                      - pattern-not: $A == $A
                    """, """
                    a == a
                    a == b
                    """))).containsExactly(2);
        }

        @Test
        void patternInsideAndItsBindingsInTheMessage() {
            List<Finding> findings = run("eval in $F", """
                    patterns:
                      - pattern: eval(...)
                      - pattern-inside: |
                          def $F(...):
                            ...
                    """, """
                    eval(x)
                    def handler():
                        y = 1
                        eval(y)
                    """);
            assertThat(spans(findings)).containsExactly("4:5-4:12");
            assertThat(messages(findings)).containsExactly("eval in handler");
        }

        @Test
        void patternInsideStatementSequence() {
            List<Finding> findings = run("read of $F", """
                    patterns:
                      - pattern-inside: |
                          $F = open(...)
                          ...
                      - pattern: $F.read()
                    """, """
                    f = open("x")
                    other()
                    data = f.read()
                    g.read()
                    """);
            assertThat(spans(findings)).containsExactly("3:8-3:16");
            assertThat(messages(findings)).containsExactly("read of f");
        }

        @Test
        void patternNotInsideStatementSequence() {
            assertThat(lines(run("""
                    patterns:
                      - pattern: run($Q)
                      - pattern-not-inside: |
                          $Q = escape(...)
                          ...
                    """, """
                    q = escape(raw)
                    run(q)
                    run(raw)
                    """))).containsExactly(3);
        }

        @Test
        void patternEitherOfPatternInside() {
            assertThat(lines(run("""
                    patterns:
                      - pattern-either:
                          - pattern-inside: |
                              def $F(...):
                                ...
                          - pattern-inside: |
                              with $CTX:
                                ...
                      - pattern: print(...)
                    """, """
                    print(1)
                    def f():
                        print(2)
                    with lock:
                        print(3)
                    """))).containsExactly(3, 5);
        }

        @Test
        void patternInsidesAloneKeepTheNarrowerRange() {
            // With no plain pattern, each pattern-inside constrains the others and the innermost range is reported.
            List<Finding> findings = run("""
                    patterns:
                      - pattern-inside: |
                          def $F(...):
                            ...
                      - pattern-inside: eval(...)
                    """, """
                    eval(a)
                    def f():
                        eval(b)
                    """);
            assertThat(spans(findings)).containsExactly("3:5-3:12");
        }

        @Test
        void nestedPatternsOfInsidesOnlyConstrainLikePatternInside() {
            // The nested "patterns" holds only pattern-insides: its ranges contain matches, they need not equal them.
            assertThat(lines(run("""
                    patterns:
                      - pattern: eval($X)
                      - patterns:
                          - pattern-either:
                              - pattern-inside: |
                                  def $F(request):
                                    ...
                              - pattern-inside: |
                                  def $F(req):
                                    ...
                    """, """
                    eval(a)
                    def view(request):
                        eval(b)
                    def other(x):
                        eval(c)
                    """))).containsExactly(3);
        }

        @Test
        void patternNotInside() {
            assertThat(lines(run("""
                    patterns:
                      - pattern: exec(...)
                      - pattern-not-inside: |
                          try:
                            ...
                          except:
                            ...
                    """, """
                    try:
                        exec(a)
                    except:
                        pass
                    exec(b)
                    """))).containsExactly(5);
        }

        @Test
        void patternRegexWithNamedGroup() {
            List<Finding> findings = run("key $KEY", """
                    pattern-regex: AKIA(?P<KEY>[A-Z0-9]{4})
                    """, """
                    k = "AKIAABCD"
                    j = "akiaabcd"
                    """);
            assertThat(spans(findings)).containsExactly("1:6-1:14");
            assertThat(messages(findings)).containsExactly("key ABCD");
        }

        @Test
        void patternRegexSpanningLines() {
            List<Finding> findings = run("""
                    pattern-regex: (?s)BEGIN.*?END
                    """, """
                    x = 1
                    # BEGIN
                    y = 2
                    # END
                    """);
            assertThat(spans(findings)).containsExactly("2:3-4:6");
        }

        @Test
        void patternNotRegex() {
            assertThat(lines(run("""
                    patterns:
                      - pattern-regex: password\\s*=\\s*"[^"]*"
                      - pattern-not-regex: password\\s*=\\s*""
                    """, """
                    password = "hunter2"
                    password = ""
                    """))).containsExactly(1);
        }

        @Test
        void patternNotRegexOutsideTheMatchDoesNotRemoveIt() {
            // Semgrep removes a match only when it and the regex match contain one another; a
            // trailing comment is outside the call.
            assertThat(lines(run("""
                    patterns:
                      - pattern: os.system(...)
                      - pattern-not-regex: os\\.system\\("safe"\\)
                    """, """
                    os.system("safe")
                    os.system(cmd)  # os.system("safe")
                    os.system(cmd)
                    """))).containsExactly(2, 3);
        }

        @Test
        void metavariableRegexIsAnchoredAtTheStart() {
            String body = """
                    patterns:
                      - pattern: hashlib.$M(...)
                      - metavariable-regex:
                          metavariable: $M
                          regex: %s
                    """;
            String source = """
                    hashlib.md5(b"x")
                    hashlib.sha1(b"x")
                    hashlib.sha256(b"x")
                    """;
            assertThat(lines(run(body.formatted("(md5|sha1)"), source))).containsExactly(1, 2);
            // A prefix is enough (sha matches sha256), but the regex does not search (256 matches nothing).
            assertThat(lines(run(body.formatted("sha"), source))).containsExactly(2, 3);
            assertThat(lines(run(body.formatted("'256'"), source))).isEmpty();
            assertThat(lines(run(body.formatted(".*256"), source))).containsExactly(3);
        }

        @Test
        void metavariablePattern() {
            assertThat(lines(run("""
                    patterns:
                      - pattern: cursor.execute($Q)
                      - metavariable-pattern:
                          metavariable: $Q
                          pattern: $A + $B
                    """, """
                    cursor.execute("select" + x)
                    cursor.execute(q)
                    cursor.execute(f(a + b))
                    """))).containsExactly(1, 3); // the pattern may match anywhere inside $Q
        }

        @Test
        void metavariablePatternWithPatternEitherAndNot() {
            assertThat(lines(run("""
                    patterns:
                      - pattern: render($T)
                      - metavariable-pattern:
                          metavariable: $T
                          patterns:
                            - pattern-either:
                                - pattern: request.args.get(...)
                                - pattern: request.form.get(...)
                            - pattern-not: request.args.get("page")
                    """, """
                    render(request.args.get("name"))
                    render(request.form.get("x"))
                    render(request.args.get("page"))
                    render(template)
                    """))).containsExactly(1, 2);
        }

        @Test
        void metavariablePatternInAnotherLanguage() {
            List<Finding> findings = run("""
                    patterns:
                      - pattern: execjs.eval($JS)
                      - metavariable-pattern:
                          metavariable: $JS
                          language: javascript
                          pattern: require(...)
                    """, """
                    execjs.eval("require('fs').readFileSync('/etc/passwd')")
                    execjs.eval("1 + 1")
                    """);
            assertThat(spans(findings)).containsExactly("1:1-1:57");
        }

        @Test
        void metavariableComparison() {
            List<Finding> findings = run("sleeps $N", """
                    patterns:
                      - pattern: time.sleep($N)
                      - metavariable-comparison:
                          metavariable: $N
                          comparison: $N > 100
                    """, """
                    time.sleep(5)
                    time.sleep(500)
                    time.sleep(100)
                    """);
            assertThat(lines(findings)).containsExactly(2);
            assertThat(messages(findings)).containsExactly("sleeps 500");
        }

        @Test
        void metavariableComparisonBetweenTwoMetavariables() {
            assertThat(lines(run("""
                    patterns:
                      - pattern: range($A, $B)
                      - metavariable-comparison:
                          comparison: $A >= $B
                    """, """
                    for i in range(10, 1):
                        pass
                    for i in range(1, 10):
                        pass
                    """))).containsExactly(1);
        }

        @Test
        void focusMetavariable() {
            List<Finding> findings = run("""
                    patterns:
                      - pattern: requests.get($A, ...)
                      - focus-metavariable: $A
                    """, """
                    requests.get(the_url, timeout=1)
                    """);
            assertThat(spans(findings)).containsExactly("1:14-1:21");
            assertThat(codes(findings)).containsExactly("the_url");
        }

        @Test
        void focusKeepsAMatchLyingInsideTheFocusedRangeAndDropsOnesOutsideIt() {
            // Semgrep intersects the match with the focused range: a call found within the focused
            // function body stays as it is, one call per finding.
            assertThat(spans(run("""
                    patterns:
                      - pattern-inside: |
                          def $F(...):
                            $...BODY
                      - focus-metavariable: $...BODY
                      - pattern-inside: eval(...)
                    """, """
                    def f():
                        eval(a)
                        eval(b)
                    """))).containsExactly("2:5-2:12", "3:5-3:12");
            // A metavariable bound outside the match (by a pattern-inside around it) is no part of it.
            assertThat(run("""
                    patterns:
                      - pattern-inside: |
                          $X = 1
                          ...
                      - pattern: print(...)
                      - focus-metavariable: $X
                    """, """
                    a = 1
                    print(a)
                    """)).isEmpty();
        }

        @Test
        void aPatternInsideAlternativeReportsItsOwnRanges() {
            // Semgrep's R.Inside as an alternative of pattern-either: alone, its ranges are the findings.
            assertThat(lines(run("""
                    pattern-either:
                      - pattern-inside: |
                          def $F(...):
                            ...
                            eval(...)
                      - pattern: exec(...)
                    """, """
                    def f():
                        eval(a)
                    def g():
                        pass
                    exec(b)
                    """))).containsExactly(1, 5);
        }

        @Test
        void patternNotOfInsidesOnlyRemovesMatchesLyingInsideItsRanges() {
            // A negated "patterns" of pattern-insides alone gives inside-ranges, as pattern-not-inside does.
            assertThat(lines(run("""
                    patterns:
                      - pattern: eval(...)
                      - pattern-not:
                          patterns:
                            - pattern-inside: |
                                def $F(...):
                                  ...
                            - metavariable-regex:
                                metavariable: $F
                                regex: safe_
                    """, """
                    def safe_f():
                        eval(a)
                    def g():
                        eval(b)
                    """))).containsExactly(4);
        }
    }

    @Nested
    class JavaScript {
        private List<Finding> run(String body, String source) {
            return scan(rule("javascript", body), "t.js", source);
        }

        private List<Finding> run(String message, String body, String source) {
            return scan(rule("test", "javascript", "ERROR", message, body), "t.js", source);
        }

        @Test
        void metavariablePatternSeesACapturedStatementAsAStatementList() {
            assertThat(lines(run("""
                    patterns:
                      - pattern-inside: |
                          function $F($E) { $BODY }
                          ...
                      - pattern: listen($F)
                      - metavariable-pattern:
                          metavariable: $BODY
                          patterns:
                            - pattern-not: |
                                ...
                                if (<... $E.origin ...>) { ... }
                                ...
                    """, """
                    function checked(e) {
                      if (e.origin === "x") { use(e); }
                    }
                    function unchecked(e) {
                      use(e);
                    }
                    listen(checked);
                    listen(unchecked);
                    """))).containsExactly(8);
        }

        @Test
        void functionPatternInMetavariablePatternMatchesArrowFunctions() {
            assertThat(lines(run("""
                    patterns:
                      - pattern: listen($H)
                      - metavariable-pattern:
                          metavariable: $H
                          pattern: function ($E) { ... }
                    """, """
                    listen((e) => { use(e); });
                    listen(e => { use(e); });
                    listen(handler);
                    """))).containsExactly(1, 2);
        }

        @Test
        void patternEither() {
            assertThat(lines(run("""
                    pattern-either:
                      - pattern: eval(...)
                      - pattern: new Function(...)
                    """, """
                    eval(code);
                    const f = new Function("a", code);
                    run(code);
                    """))).containsExactly(1, 2);
        }

        @Test
        void patternsIntersectsPositiveTerms() {
            assertThat(lines(run("""
                    patterns:
                      - pattern: fs.writeFile($PATH, ...)
                      - pattern: $F($P, $DATA, $CB)
                    """, """
                    fs.writeFile(p, data, cb);
                    fs.writeFile(p, data);
                    """))).containsExactly(1);
        }

        @Test
        void patternNot() {
            assertThat(lines(run("""
                    patterns:
                      - pattern: $EL.innerHTML = $V
                      - pattern-not: $EL.innerHTML = "..."
                    """, """
                    el.innerHTML = userInput;
                    el.innerHTML = "<b>static</b>";
                    """))).containsExactly(1);
        }

        @Test
        void patternInside() {
            List<Finding> findings = run("sends from $P", """
                    patterns:
                      - pattern: res.send(...)
                      - pattern-inside: |
                          app.get($P, function (...) { ... })
                    """, """
                    res.send("outside");
                    app.get("/a", function (req, res) {
                      res.send(req.query.a);
                    });
                    """);
            assertThat(spans(findings)).containsExactly("3:3-3:24");
            assertThat(messages(findings)).containsExactly("sends from \"/a\"");
        }

        @Test
        void patternInsideStatementSequence() {
            assertThat(lines(run("""
                    patterns:
                      - pattern-inside: |
                          const $CP = require('child_process');
                          ...
                      - pattern: $CP.exec(...)
                    """, """
                    other.exec(a);
                    const cp = require('child_process');
                    cp.exec(b);
                    other.exec(c);
                    """))).containsExactly(3);
        }

        @Test
        void patternNotInside() {
            assertThat(lines(run("""
                    patterns:
                      - pattern: JSON.parse($X)
                      - pattern-not-inside: |
                          try { ... } catch ($E) { ... }
                    """, """
                    try {
                      JSON.parse(a);
                    } catch (e) {
                    }
                    JSON.parse(b);
                    """))).containsExactly(5);
        }

        @Test
        void patternRegexWithNamedGroup() {
            List<Finding> findings = run("token $TOKEN", """
                    pattern-regex: (?P<TOKEN>ghp_[A-Za-z0-9]{8})
                    """, """
                    const t = "ghp_abcdEFGH";
                    const u = "gho_abcdEFGH";
                    """);
            assertThat(spans(findings)).containsExactly("1:12-1:24");
            assertThat(messages(findings)).containsExactly("token ghp_abcdEFGH");
        }

        @Test
        void patternNotRegex() {
            assertThat(lines(run("""
                    patterns:
                      - pattern: console.log(...)
                      - pattern-not-regex: console\\.log\\("debug
                    """, """
                    console.log("debug: x");
                    console.log(secret);
                    """))).containsExactly(2);
        }

        @Test
        void metavariableRegexSeesStringQuotes() {
            List<Finding> findings = run("weak hash $ALG", """
                    patterns:
                      - pattern: crypto.createHash($ALG)
                      - metavariable-regex:
                          metavariable: $ALG
                          regex: ^['"](md5|sha1)['"]
                    """, """
                    crypto.createHash('md5');
                    crypto.createHash("sha1");
                    crypto.createHash('sha256');
                    """);
            assertThat(lines(findings)).containsExactly(1, 2);
            assertThat(messages(findings)).containsExactly("weak hash 'md5'", "weak hash \"sha1\"");
        }

        @Test
        void metavariablePattern() {
            assertThat(lines(run("""
                    patterns:
                      - pattern: $EL.innerHTML = $V
                      - metavariable-pattern:
                          metavariable: $V
                          pattern: $A + $B
                    """, """
                    el.innerHTML = "<b>" + name;
                    el.innerHTML = name;
                    """))).containsExactly(1);
        }

        @Test
        void metavariablePatternInAnotherLanguage() {
            assertThat(lines(run("""
                    patterns:
                      - pattern: python.run($CODE)
                      - metavariable-pattern:
                          metavariable: $CODE
                          language: python
                          pattern: os.system(...)
                    """, """
                    python.run("import os; os.system('ls')");
                    python.run("print(1)");
                    """))).containsExactly(1);
        }

        @Test
        void metavariableComparison() {
            assertThat(lines(run("""
                    patterns:
                      - pattern: setTimeout($F, $MS)
                      - metavariable-comparison:
                          metavariable: $MS
                          comparison: $MS < 10
                    """, """
                    setTimeout(tick, 0);
                    setTimeout(tick, 1000);
                    """))).containsExactly(1);
        }

        @Test
        void focusMetavariable() {
            List<Finding> findings = run("""
                    patterns:
                      - pattern: fetch($URL, ...)
                      - focus-metavariable: $URL
                    """, """
                    fetch(base + path, { method: "POST" });
                    """);
            assertThat(spans(findings)).containsExactly("1:7-1:18");
        }
    }

    @Nested
    class Java {
        private List<Finding> run(String body, String source) {
            return scan(rule("java", body), "T.java", source);
        }

        private List<Finding> run(String message, String body, String source) {
            return scan(rule("test", "java", "ERROR", message, body), "T.java", source);
        }

        private static String inMethod(String statements) {
            return "class T {\n    void m() throws Exception {\n" + indent(statements.stripTrailing(), "        ")
                    + "\n    }\n}\n";
        }

        @Test
        void patternEither() {
            assertThat(lines(run("""
                    pattern-either:
                      - pattern: Cipher.getInstance("DES")
                      - pattern: new DESKeySpec(...)
                    """, inMethod("""
                    Cipher c = Cipher.getInstance("DES");
                    DESKeySpec k = new DESKeySpec(key);
                    Cipher d = Cipher.getInstance("AES/GCM/NoPadding");
                    """)))).containsExactly(3, 4);
        }

        @Test
        void patternsIntersectsPositiveTerms() {
            assertThat(lines(run("""
                    patterns:
                      - pattern: $S.executeQuery($Q)
                      - pattern: stmt.$M($Q)
                    """, inMethod("""
                    stmt.executeQuery(q);
                    other.executeQuery(q);
                    """)))).containsExactly(3);
        }

        @Test
        void patternNot() {
            assertThat(lines(run("""
                    patterns:
                      - pattern: $S.executeQuery($Q)
                      - pattern-not: $S.executeQuery("...")
                    """, inMethod("""
                    stmt.executeQuery("select 1");
                    stmt.executeQuery(sql);
                    """)))).containsExactly(4);
        }

        @Test
        void patternInside() {
            List<Finding> findings = run("parameter read in $M", """
                    patterns:
                      - pattern: $REQ.getParameter(...)
                      - pattern-inside: |
                          @RequestMapping(...)
                          $RET $M(...) { ... }
                    """, """
                    class T {
                        @RequestMapping("/a")
                        String handle(HttpServletRequest req) {
                            return req.getParameter("a");
                        }
                        String helper(HttpServletRequest req) {
                            return req.getParameter("b");
                        }
                    }
                    """);
            assertThat(spans(findings)).containsExactly("4:16-4:37");
            assertThat(messages(findings)).containsExactly("parameter read in handle");
        }

        @Test
        void patternInsideStatementSequence() {
            assertThat(lines(run("""
                    patterns:
                      - pattern-inside: |
                          $C = $DS.getConnection();
                          ...
                      - pattern: $C.createStatement()
                    """, inMethod("""
                    other.createStatement();
                    c = ds.getConnection();
                    c.createStatement();
                    """)))).containsExactly(5);
        }

        @Test
        void patternNotInside() {
            assertThat(lines(run("""
                    patterns:
                      - pattern: System.exit(...)
                      - pattern-not-inside: |
                          public static void main(...) { ... }
                    """, """
                    class T {
                        public static void main(String[] args) {
                            System.exit(0);
                        }
                        void stop() {
                            System.exit(1);
                        }
                    }
                    """))).containsExactly(6);
        }

        @Test
        void patternRegexWithNamedGroup() {
            List<Finding> findings = run("key $KEY", """
                    pattern-regex: (?P<KEY>AKIA[0-9A-Z]{4})
                    """, inMethod("""
                    String k = "AKIAWXYZ";
                    """));
            assertThat(spans(findings)).containsExactly("3:21-3:29");
            assertThat(messages(findings)).containsExactly("key AKIAWXYZ");
        }

        @Test
        void patternNotRegex() {
            assertThat(lines(run("""
                    patterns:
                      - pattern: $LOG.info(...)
                      - pattern-not-regex: info\\("static
                    """, inMethod("""
                    log.info("static text");
                    log.info(user.getPassword());
                    """)))).containsExactly(4);
        }

        @Test
        void metavariableRegex() {
            List<Finding> findings = run("weak $ALG", """
                    patterns:
                      - pattern: MessageDigest.getInstance($ALG)
                      - metavariable-regex:
                          metavariable: $ALG
                          regex: '"(MD5|SHA1)"'
                    """, inMethod("""
                    MessageDigest.getInstance("MD5");
                    MessageDigest.getInstance("SHA-256");
                    MessageDigest.getInstance("SHA1");
                    """));
            assertThat(lines(findings)).containsExactly(3, 5);
            assertThat(messages(findings)).containsExactly("weak \"MD5\"", "weak \"SHA1\"");
        }

        @Test
        void metavariablePattern() {
            assertThat(lines(run("""
                    patterns:
                      - pattern: $S.executeQuery($Q)
                      - metavariable-pattern:
                          metavariable: $Q
                          pattern: $A + $B
                    """, inMethod("""
                    stmt.executeQuery("select * from t where id = " + id);
                    stmt.executeQuery(sql);
                    """)))).containsExactly(3);
        }

        @Test
        void metavariablePatternInAnotherLanguage() {
            assertThat(lines(run("""
                    patterns:
                      - pattern: $ENGINE.eval($CODE)
                      - metavariable-pattern:
                          metavariable: $CODE
                          language: javascript
                          pattern: require(...)
                    """, inMethod("""
                    engine.eval("require('child_process').exec(cmd)");
                    engine.eval("1 + 1");
                    """)))).containsExactly(3);
        }

        @Test
        void metavariableComparison() {
            List<Finding> findings = run("sleeps $MS ms", """
                    patterns:
                      - pattern: Thread.sleep($MS)
                      - metavariable-comparison:
                          metavariable: $MS
                          comparison: $MS >= 1000
                    """, inMethod("""
                    Thread.sleep(10);
                    Thread.sleep(5000);
                    Thread.sleep(1000);
                    """));
            assertThat(lines(findings)).containsExactly(4, 5);
            assertThat(messages(findings)).containsExactly("sleeps 5000 ms", "sleeps 1000 ms");
        }

        @Test
        void focusMetavariable() {
            List<Finding> findings = run("""
                    patterns:
                      - pattern: Runtime.getRuntime().exec($CMD)
                      - focus-metavariable: $CMD
                    """, inMethod("""
                    Runtime.getRuntime().exec("ls " + dir);
                    """));
            assertThat(spans(findings)).containsExactly("3:35-3:46");
            assertThat(codes(findings)).containsExactly("\"ls \" + dir");
        }
    }
}
