package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.rules.RuleProblem;
import dev.freshet.engine.scan.Finding;
import dev.freshet.engine.scan.ScanProblem;
import dev.freshet.engine.scan.ScanResult;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Taint mode: data from sources reaching sinks, per construct, with positive and negative cases. */
class TaintTest extends EngineTestSupport {

    /** A taint rule with source(...), sink(...) and sanitize(...), plus any extra keys. */
    static String taint(String language, String extra) {
        return rule(language, """
                mode: taint
                pattern-sources:
                  - pattern: source(...)
                pattern-sinks:
                  - pattern: sink(...)
                pattern-sanitizers:
                  - pattern: sanitize(...)
                """ + extra);
    }

    @Nested
    class Python {
        private List<Integer> run(String source) {
            return lines(scan(taint("python", ""), "t.py", source));
        }

        private List<Integer> run(String rule, String source) {
            return lines(scan(rule, "t.py", source));
        }

        @Test
        void flowsThroughAssignments() {
            assertThat(run("""
                    def f():
                        x = source()
                        y = x
                        sink(y)
                        sink("constant")
                        z = "safe"
                        sink(z)
                    """)).containsExactly(4);
        }

        @Test
        void reassignmentReplacesTaint() {
            assertThat(run("""
                    def f():
                        x = source()
                        x = "safe"
                        sink(x)
                    """)).isEmpty();
        }

        @Test
        void augmentedAssignmentAddsTaint() {
            assertThat(run("""
                    def f():
                        x = "select "
                        x += source()
                        sink(x)
                        y = "a"
                        y += "b"
                        sink(y)
                    """)).containsExactly(4);
        }

        @Test
        void tuplesAssignElementByElement() {
            assertThat(run("""
                    def f():
                        a, b = source(), "safe"
                        sink(a)
                        sink(b)
                        c, d = source()
                        sink(d)
                    """)).containsExactly(3, 6);
        }

        @Test
        void callsPropagateUnlessSanitized() {
            assertThat(run("""
                    def f():
                        x = source()
                        sink(helper(x))
                        sink(sanitize(x))
                        y = sanitize(x)
                        sink(y)
                        sink(x.strip().lower())
                    """)).containsExactly(3, 7);
        }

        @Test
        void stringBuilding() {
            assertThat(run("""
                    def f():
                        x = source()
                        sink("a" + x)
                        sink(f"a {x}")
                        sink("a %s" % x)
                        sink("a {}".format(x))
                        sink(f"a {1}")
                        sink("a %s" % 1)
                    """)).containsExactly(3, 4, 5, 6);
        }

        @Test
        void branchesMergeByUnion() {
            assertThat(run("""
                    def f(c):
                        if c:
                            x = source()
                        else:
                            x = "safe"
                        sink(x)
                    def g(c):
                        x = source()
                        if c:
                            x = sanitize(x)
                        else:
                            x = "safe"
                        sink(x)
                    def h(c):
                        x = source()
                        if c:
                            x = "safe"
                        sink(x)
                    """)).containsExactly(6, 18);
        }

        @Test
        void returnEndsAPath() {
            assertThat(run("""
                    def f(c):
                        x = source()
                        if c:
                            x = "safe"
                        else:
                            return
                        sink(x)
                    """)).isEmpty();
        }

        @Test
        void loopsIterateUntilNothingChanges() {
            assertThat(run("""
                    def f(items):
                        y = ""
                        z = ""
                        for i in items:
                            sink(y)
                            y = z
                            z = source()
                        for item in source():
                            sink(item)
                        while True:
                            sink(z)
                    """)).containsExactly(5, 9, 11);
        }

        @Test
        void functionsAreAnalyzedOneByOne() {
            assertThat(run("""
                    def f():
                        x = source()
                    def g(x):
                        sink(x)
                    """)).isEmpty();
        }

        @Test
        void lambdasSeeTheVariablesAroundThem() {
            assertThat(run("""
                    def f():
                        x = source()
                        g = lambda: sink(x)
                    """)).containsExactly(3);
        }

        @Test
        void focusedSinkOnlyCaresAboutTheFocusedArgument() {
            String rule = rule("python", """
                    mode: taint
                    pattern-sources:
                      - pattern: source(...)
                    pattern-sinks:
                      - patterns:
                          - pattern: execute($QUERY, ...)
                          - focus-metavariable: $QUERY
                    """);
            assertThat(run(rule, """
                    def f():
                        x = source()
                        execute("select 1", x)
                        execute(x)
                        execute("select " + x, [])
                    """)).containsExactly(4, 5);
        }

        @Test
        void parameterMatchedBySourceIsTainted() {
            String rule = rule("python", """
                    mode: taint
                    pattern-sources:
                      - patterns:
                          - pattern-inside: |
                              def $F(request, ...):
                                ...
                          - pattern: request
                    pattern-sinks:
                      - pattern: sink(...)
                    """);
            assertThat(run(rule, """
                    def view(request):
                        data = request.GET["q"]
                        sink(data)
                    def other(req):
                        sink(req)
                    """)).containsExactly(3);
        }

        @Test
        void parameterFocusedAsSource() {
            String rule = rule("python", """
                    mode: taint
                    pattern-sources:
                      - patterns:
                          - pattern-inside: |
                              @route(...)
                              def $F(..., $ARG, ...):
                                ...
                          - focus-metavariable: $ARG
                    pattern-sinks:
                      - pattern: sink(...)
                    """);
            assertThat(run(rule, """
                    @route("/x")
                    def view(name, page=1):
                        q = "hello " + name
                        sink(q)
                    def plain(name):
                        sink(name)
                    """)).containsExactly(4);
        }

        @Test
        void exactSourceDoesNotTaintItsParts() {
            String body = """
                    mode: taint
                    pattern-sources:
                      - pattern: source(...)
                        exact: %s
                    pattern-sinks:
                      - pattern: sink(...)
                    """;
            String code = """
                    def f(x):
                        source(sink(x))
                    """;
            assertThat(run(rule("python", body.formatted("false")), code)).containsExactly(2);
            assertThat(run(rule("python", body.formatted("true")), code)).isEmpty();
        }

        @Test
        void sanitizerBySideEffect() {
            String rule = taint("python", """
                      - patterns:
                          - pattern: check($X)
                          - focus-metavariable: $X
                        by-side-effect: true
                    """);
            assertThat(run(rule, """
                    def f():
                        x = source()
                        sink(x)
                        check(x)
                        sink(x)
                    """)).containsExactly(3);
        }

        @Test
        void sourceBySideEffect() {
            String rule = rule("python", """
                    mode: taint
                    pattern-sources:
                      - patterns:
                          - pattern: make_tainted($X)
                          - focus-metavariable: $X
                        by-side-effect: true
                    pattern-sinks:
                      - pattern: sink(...)
                    """);
            assertThat(run(rule, """
                    def f(x, y):
                        sink(x)
                        make_tainted(x)
                        sink(x)
                        sink(y)
                    """)).containsExactly(4);
        }

        @Test
        void labelsAndRequires() {
            String rule = rule("python", """
                    mode: taint
                    pattern-sources:
                      - pattern: user_input()
                        label: INPUT
                      - pattern: evil(...)
                        label: EVIL
                        requires: INPUT
                      - pattern: trusted()
                        label: TRUSTED
                    pattern-sinks:
                      - pattern: sink(...)
                        requires: EVIL and not TRUSTED
                    """);
            assertThat(run(rule, """
                    def f():
                        a = user_input()
                        sink(a)
                        b = evil(a)
                        sink(b)
                        c = evil("constant")
                        sink(c)
                        sink(b + trusted())
                    """)).containsExactly(5);
        }

        @Test
        void propagatorMovesTaintIntoTheTarget() {
            String rule = taint("python", "") + """
                      pattern-propagators:
                        - pattern: $S.add($E)
                          from: $E
                          to: $S
                    """;
            assertThat(run(rule, """
                    def f():
                        s = set()
                        t = set()
                        s.add(source())
                        t.add("safe")
                        sink(s.pop())
                        sink(t.pop())
                    """)).containsExactly(6);
        }

        @Test
        void fieldsAreTrackedByPath() {
            assertThat(run("""
                    class A:
                        def m(self):
                            self.name = source()
                            sink(self.name)
                            sink(self.other)
                            self.name = "safe"
                            sink(self.name)
                    """)).containsExactly(4);
        }

        @Test
        void subscriptsAndContainers() {
            assertThat(run("""
                    def f():
                        d = {}
                        d["k"] = source()
                        sink(d)
                        sink([1, source()])
                        sink({"a": source()})
                        sink(["safe"])
                    """)).containsExactly(4, 5, 6);
        }

        @Test
        void conditionalExpressionCarriesOnlyItsValues() {
            assertThat(run("""
                    def f():
                        x = source()
                        sink("a" if x else "b")
                        sink(x if c else "b")
                    """)).containsExactly(4);
        }

        @Test
        void withAndComprehensions() {
            assertThat(run("""
                    def f():
                        with open(source()) as fh:
                            sink(fh)
                        sink([item for item in source()])
                        sink([1 for item in source()])
                    """)).containsExactly(3, 4);
        }

        @Test
        void messageUsesTheSinkBindings() {
            String rule = rule("test", "python", "ERROR", "tainted $Q", """
                    mode: taint
                    pattern-sources:
                      - pattern: source(...)
                    pattern-sinks:
                      - patterns:
                          - pattern: execute($Q)
                          - focus-metavariable: $Q
                    """);
            List<Finding> findings = scan(rule, "t.py", """
                    def f():
                        query = source()
                        execute(query)
                    """);
            assertThat(messages(findings)).containsExactly("tainted query");
            assertThat(spans(findings)).containsExactly("3:13-3:18");
        }

        @Test
        void safeBooleansAndIndexesOptions() {
            String rule = taint("python", """
                    options:
                      taint_assume_safe_booleans: true
                      taint_assume_safe_indexes: true
                    """);
            assertThat(run(rule, """
                    def f(items):
                        x = source()
                        sink(x == "admin")
                        sink(items[x])
                        sink(x)
                    """)).containsExactly(5);
        }

        @Test
        void onlyPropagateThroughAssignments() {
            String rule = taint("python", """
                    options:
                      taint_only_propagate_through_assignments: true
                    """);
            assertThat(run(rule, """
                    def f():
                        x = source()
                        y = x
                        z = transform(x)
                        w = "select " + x
                        v = x.attribute
                        sink(y)
                        sink(z)
                        sink(w)
                        sink(v)
                    """)).containsExactly(7, 10);
        }
    }

    @Nested
    class JavaScript {
        @Test
        void taintedIndexOfAnAssignedElementReachesAnElementSink() {
            String rule = rule("javascript", """
                    mode: taint
                    pattern-sources:
                      - pattern: source(...)
                    pattern-sinks:
                      - pattern: $O[...]
                    """);
            assertThat(lines(scan(rule, "t.js", """
                    cache[source(x)] = x;
                    cache["constant"] = source(x);
                    """))).containsExactly(1, 2);
        }

        @Test
        void sourceMatchingAWholeAssignmentLabelsTheAssignedVariable() {
            String rule = rule("javascript", """
                    mode: taint
                    pattern-sources:
                      - pattern: source(...)
                        label: INPUT
                      - pattern: $X += $I
                        label: CONCAT
                        requires: INPUT
                    pattern-sinks:
                      - pattern: sink(...)
                        requires: CONCAT
                    """);
            assertThat(lines(scan(rule, "t.js", """
                    let q = "select ";
                    q += source();
                    sink(q);
                    let r = source();
                    sink(r);
                    """))).containsExactly(3);
        }

        @Test
        void functionDeclaredAfterAReturnIsStillAnalyzed() {
            assertThat(lines(scan(taint("javascript", ""), "t.js", """
                    function outer() {
                      return inner;
                      function inner() {
                        sink(source());
                      }
                    }
                    """))).containsExactly(4);
        }

        @Test
        void expressRequestThroughTemplatesAndDestructuring() {
            String rule = rule("javascript", """
                    mode: taint
                    pattern-sources:
                      - patterns:
                          - pattern-inside: function ... ($REQ, $RES, ...) {...}
                          - pattern: $REQ.query
                    pattern-sinks:
                      - patterns:
                          - pattern: $DB.query($Q, ...)
                          - focus-metavariable: $Q
                    pattern-sanitizers:
                      - pattern: escape(...)
                    """);
            assertThat(lines(scan(rule, "t.js", """
                    app.get('/a', (req, res) => {
                      const { id, name } = req.query;
                      db.query(`select * from t where id = ${id}`);
                      db.query("select 1", [name]);
                      db.query("select " + escape(name));
                      let q = "select ";
                      q += req.query.x;
                      db.query(q);
                    });
                    app.get('/b', async function (req, res) {
                      const cb = () => db.query(req.query.y);
                    });
                    """))).containsExactly(3, 8, 11);
        }

        @Test
        void metavariablePatternTaintsUsesNotTheParameterDeclaration() {
            String rule = rule("javascript", """
                    mode: taint
                    pattern-sources:
                      - patterns:
                          - pattern-inside: function ... (..., $Y, ...) {...}
                          - pattern: $Y
                          - pattern-not-inside: $Y.body
                    pattern-sinks:
                      - pattern: sink(...)
                    """);
            assertThat(lines(scan(rule, "t.js", """
                    function handler(req, res) {
                      sink(req.body.name);
                      sink(req.query.name);
                    }
                    """))).containsExactly(3);
        }
    }

    @Nested
    class Java {
        @Test
        void servletParameterIntoQuery() {
            String rule = rule("java", """
                    mode: taint
                    pattern-sources:
                      - pattern: (HttpServletRequest $R).getParameter(...)
                      - pattern: $R.getParameter(...)
                    pattern-sinks:
                      - patterns:
                          - pattern: $S.executeQuery($Q)
                          - focus-metavariable: $Q
                    """.replace("  - pattern: (HttpServletRequest $R).getParameter(...)\n", ""));
            assertThat(lines(scan(rule, "T.java", """
                    class T {
                      void get(HttpServletRequest request, Statement stmt) {
                        String id = request.getParameter("id");
                        String query = "select * from t where id = " + id;
                        stmt.executeQuery(query);
                        StringBuilder sb = new StringBuilder();
                        stmt.executeQuery(String.format("select %s", id));
                        stmt.executeQuery("select 1");
                      }
                    }
                    """))).containsExactly(5, 7);
        }

        @Test
        void safeNumbersAreNeverTainted() {
            String rule = taint("java", """
                    options:
                      taint_assume_safe_numbers: true
                    """);
            assertThat(lines(scan(rule, "T.java", """
                    class T {
                      void get() {
                        String text = source();
                        int count = Integer.parseInt(text);
                        long total = count + 1;
                        sink(count);
                        sink(total);
                        sink(text);
                        sink(42);
                      }
                    }
                    """))).containsExactly(8);
            assertThat(lines(scan(taint("java", ""), "T.java", """
                    class T {
                      void get() {
                        String text = source();
                        int count = Integer.parseInt(text);
                        sink(count);
                      }
                    }
                    """))).as("without the option a number computed from taint is tainted").containsExactly(5);
        }
    }

    @Nested
    class Go {
        @Test
        void queryParameterIntoCommand() {
            String rule = rule("go", """
                    mode: taint
                    pattern-sources:
                      - pattern: ($R : *http.Request).URL.Query().Get(...)
                    pattern-sinks:
                      - pattern: exec.Command(...)
                    """.replace("($R : *http.Request)", "$R"));
            assertThat(lines(scan(rule, "t.go", """
                    package main
                    func handler(w http.ResponseWriter, r *http.Request) {
                    	name := r.URL.Query().Get("name")
                    	arg := fmt.Sprintf("--user=%s", name)
                    	exec.Command("id", arg)
                    	exec.Command("id", "safe")
                    }
                    """))).containsExactly(5);
        }
    }

    @Nested
    class Scala {
        /**
         * Semgrep's Dataflow_tainting follows values through val definitions and into the body of a
         * lambda, which sees the variables around it; a lambda's typed parameter written without
         * parentheses in a block is a source like any parameter.
         */
        @Test
        void flowsThroughValsAndIntoLambdaBodies() {
            String rule = rule("scala", """
                    mode: taint
                    pattern-sources:
                      - patterns:
                          - pattern: $P
                          - pattern-inside: |
                              Action { $P: Request[$T] => ... }
                      - pattern: source(...)
                    pattern-sinks:
                      - pattern: sink(...)
                    """);
            assertThat(lines(scan(rule, "t.scala", """
                    class C {
                      def a() = Action { implicit request: Request[AnyContent] =>
                        val body = request.body
                        val name = body.get("name")
                        sink(name)
                        sink("constant")
                      }
                      def b() = {
                        val x = source()
                        items.map(i => sink(x + i))
                        items.map(i => sink(i))
                      }
                    }
                    """))).containsExactly(5, 10);
        }
    }

    @Nested
    class Php {
        /** A PHP closure is a lambda to Semgrep: its parameters can be sources, and it sees the variables around it. */
        @Test
        void flowsIntoClosures() {
            String rule = rule("php", """
                    mode: taint
                    pattern-sources:
                      - patterns:
                          - pattern-inside: Route::$M($NAME, function(..., $ARG, ...) { ... })
                          - focus-metavariable: $ARG
                      - pattern: $_GET
                    pattern-sinks:
                      - pattern: sink(...)
                    """);
            assertThat(lines(scan(rule, "t.php", """
                    <?php
                    Route::get('a', function ($name) {
                      sink($name);
                      sink('constant');
                    });
                    $in = $_GET['x'];
                    $f = function ($y) use ($in) { sink($in . $y); };
                    other('b', function ($name) { sink($name); });
                    """))).containsExactly(3, 7);
        }
    }

    @Nested
    class Solidity {
        /**
         * Solidity lists a function's parameters without a field and declares locals in a declaration
         * statement without one: a parameter focused as a source is tainted in the body, and a
         * declaration passes its value on (Semgrep's Dataflow_tainting on parameters and definitions).
         */
        @Test
        void flowsFromParametersThroughDeclarations() {
            org.junit.jupiter.api.Assumptions.assumeTrue(dev.freshet.engine.parse.Language.SOLIDITY.hasGrammar());
            String rule = rule("solidity", """
                    mode: taint
                    pattern-sources:
                      - patterns:
                          - pattern: function $F(..., address $A, ...) public { ... }
                          - focus-metavariable: $A
                    pattern-sinks:
                      - pattern: selfdestruct(...);
                    """);
            assertThat(lines(scan(rule, "t.sol", """
                    contract C {
                        function a(uint256 n, address to) public {
                            address payable target = payable(to);
                            (uint256 x, address other) = (n, owner);
                            selfdestruct(target);
                            selfdestruct(other);
                        }
                        function b(address to) internal {
                            selfdestruct(to);
                        }
                    }
                    """))).containsExactly(5);
        }
    }

    @Nested
    class Loading {
        @Test
        void unsupportedFeaturesAreNamed() {
            assertThat(problem("""
                    mode: taint
                    pattern-sources:
                      - pattern: source(...)
                        control: true
                    pattern-sinks:
                      - pattern: sink(...)
                    """)).contains("control: true");
            assertThat(problem("""
                    mode: taint
                    pattern-sources:
                      - pattern: source(...)
                    pattern-sinks:
                      - pattern: sink(...)
                        at-exit: true
                    """)).contains("at-exit");
            assertThat(problem("""
                    mode: taint
                    options:
                      taint_unify_mvars: true
                    pattern-sources:
                      - pattern: source(...)
                    pattern-sinks:
                      - pattern: sink(...)
                    """)).contains("taint_unify_mvars");
            assertThat(problem("""
                    mode: taint
                    pattern-sources:
                      - pattern: source(...)
                    pattern-sinks:
                      - pattern: sink($A, $B)
                        requires:
                          - $A: TAINTED
                    """)).contains("requires' per metavariable");
        }

        @Test
        void brokenTaintRulesAreInvalid() {
            assertThat(problem("""
                    mode: taint
                    pattern-sources:
                      - pattern: source(...)
                    """)).contains("needs 'pattern-sinks'");
            assertThat(problem("""
                    mode: taint
                    pattern-sources:
                      - pattern: source(...)
                    pattern-sinks:
                      - pattern: sink(...)
                        requires: A and (B
                    """)).contains("bad 'requires'");
            assertThat(problem("""
                    mode: taint
                    pattern: x
                    pattern-sources:
                      - pattern: source(...)
                    pattern-sinks:
                      - pattern: sink(...)
                    """)).contains("not 'pattern'");
            assertThat(problem("""
                    mode: taint
                    pattern-sources:
                      - label: A
                    pattern-sinks:
                      - pattern: sink(...)
                    """)).contains("exactly one of pattern");
        }

        private String problem(String body) {
            List<RuleProblem> problems = load(rule("python", body)).problems();
            assertThat(problems).hasSize(1);
            return problems.get(0).reason();
        }
    }

    @Nested
    class HostileInput {
        @Test
        void deepNestingNeitherOverflowsNorTimesOut() {
            String nested = "(".repeat(5000) + "source()" + ")".repeat(5000);
            ScanResult result = scanFiles(taint("python", ""), "t.py", "x = " + nested + "\nsink(x)\n");
            assertThat(result.problems()).extracting(ScanProblem::kind)
                    .doesNotContain(ScanProblem.Kind.TIMEOUT, ScanProblem.Kind.RULE_ERROR);
        }

        @Test
        void deeplyNestedLoopsStayCheap() {
            StringBuilder code = new StringBuilder("def f(items):\n    x = source()\n");
            int depth = 40;
            for (int i = 0; i < depth; i++) {
                code.append("    ".repeat(i + 1)).append("for i").append(i).append(" in items:\n");
            }
            String indent = "    ".repeat(depth + 1);
            code.append(indent).append("y = x\n").append(indent).append("x = z\n").append(indent).append("z = y\n")
                    .append(indent).append("sink(z)\n");
            ScanResult result = scanFiles(taint("python", ""), "t.py", code.toString());
            assertThat(result.problems()).isEmpty();
            assertThat(lines(result.findings())).containsExactly(depth + 6);
        }

        @Test
        void hugeFunctionIsAnalyzed() {
            StringBuilder code = new StringBuilder("def f():\n    v0 = source()\n");
            int count = 20_000;
            for (int i = 1; i <= count; i++) {
                code.append("    v").append(i).append(" = v").append(i - 1).append(" + \"x\"\n");
                if (i % 100 == 0) {
                    code.append("    if c:\n        w = sanitize(v").append(i).append(")\n");
                }
            }
            code.append("    sink(v").append(count).append(")\n");
            ScanResult result = scanFiles(taint("python", ""), "t.py", code.toString());
            assertThat(result.problems()).isEmpty();
            assertThat(result.findings()).hasSize(1);
        }

        @Test
        void perFileDeadlineStopsTheAnalysis() {
            StringBuilder code = new StringBuilder("def f():\n    v0 = source()\n");
            for (int i = 1; i <= 50_000; i++) {
                code.append("    v").append(i).append(" = v").append(i - 1).append(" + \"x\"\n");
            }
            code.append("    sink(v50000)\n");
            var scanner = new dev.freshet.engine.scan.Scanner(PARSER,
                    new dev.freshet.engine.scan.Scanner.Options(java.time.Duration.ofNanos(1), 1, true));
            ScanResult result = scanner.scan(rules(taint("python", "")), List.of(write("t.py", code.toString())), tmp, n -> { });
            assertThat(result.problems()).extracting(ScanProblem::kind).contains(ScanProblem.Kind.TIMEOUT);
        }
    }
}
