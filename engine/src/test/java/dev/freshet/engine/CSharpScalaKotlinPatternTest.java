package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * C#, Kotlin and Scala patterns as Semgrep reads them: each case names the rule of Semgrep's
 * matching it states (Generic_vs_generic, the per-language *_to_generic translations).
 */
class CSharpScalaKotlinPatternTest extends EngineTestSupport {

    /** Typed metavariables, (Type $X) in C# as in Java: the receiver's declared type must be the one named. */
    @Test
    void csharpTypedMetavariableNeedsTheDeclaredType() {
        assertThat(lines(scan(pattern("csharp", "(IApplicationBuilder $APP).UseDirectoryBrowser(...);"), "t.cs", """
                class C {
                    void Configure(IApplicationBuilder app, Other other) {
                        app.UseDirectoryBrowser();
                        other.UseDirectoryBrowser();
                    }
                }
                """))).containsExactly(3);
    }

    /** A metavariable type binds the type's name, and the same name elsewhere must agree. */
    @Test
    void csharpTypedMetavariableMayNameItsTypeWithAMetavariable() {
        assertThat(lines(scan(pattern("csharp", "($KEYTYPE $KEY).EncryptEcb(...);"), "t.cs", """
                class C {
                    void F(Aes aes, byte[] data) {
                        aes.EncryptEcb(data, PaddingMode.PKCS7);
                        unknown.EncryptEcb(data, PaddingMode.PKCS7);
                    }
                }
                """))).containsExactly(3);
    }

    /** Statement ellipses: C# takes no bare name as a statement, yet "..." between statements stands for any. */
    @Test
    void csharpStatementSequenceWithEllipses() {
        assertThat(lines(scan(pattern("csharp", """
                XmlReaderSettings $RS = new XmlReaderSettings();
                ...
                $RS.DtdProcessing = DtdProcessing.Parse;
                """), "t.cs", """
                class C {
                    void Bad() {
                        XmlReaderSettings rs = new XmlReaderSettings();
                        Log();
                        rs.DtdProcessing = DtdProcessing.Parse;
                    }
                    void Good() {
                        XmlReaderSettings rs = new XmlReaderSettings();
                        rs.DtdProcessing = DtdProcessing.Prohibit;
                    }
                }
                """))).containsExactly(3);
    }

    /** An expression pattern is an expression ("$A - $B"), and "..." may stand for an operand. */
    @Test
    void csharpExpressionPatterns() {
        String file = """
                class C {
                    bool F(double a, double b) {
                        return Math.Abs(a - b) <= Double.Epsilon;
                    }
                }
                """;
        assertThat(lines(scan(pattern("csharp", "$A - $B"), "t.cs", file))).containsExactly(3);
        assertThat(lines(scan(pattern("csharp", "... <= Double.Epsilon"), "t.cs", file))).containsExactly(3);
    }

    /** Semgrep's vardef_assign: "$X = e" also matches a declaration that initializes a variable with e. */
    @Test
    void assignmentPatternMatchesADeclarationWithThatValue() {
        assertThat(lines(scan(pattern("csharp", "$X = new Random()"), "t.cs", """
                class C {
                    void F() {
                        Random r = new Random();
                        var s = new Random();
                        r = new Random();
                        int n;
                    }
                }
                """))).containsExactly(3, 4, 5);
        assertThat(lines(scan(pattern("kotlin", "$VAR = $MD.getInstance(\"MD5\")"), "t.kt", """
                fun md5(password: String) {
                    val md5Digest: MessageDigest = MessageDigest.getInstance("MD5")
                    val other = MessageDigest.getInstance("SHA-256")
                }
                """))).containsExactly(2);
        assertThat(lines(scan(pattern("scala", "$VAR = $MD.getInstance(\"MD5\")"), "t.scala", """
                object O {
                  def md5(password: String) = {
                    val md5Digest: MessageDigest = MessageDigest.getInstance("MD5")
                    val other = MessageDigest.getInstance("SHA-256")
                  }
                }
                """))).containsExactly(3);
    }

    /** A metavariable written as a parameter binds the parameter's name, whatever its type. */
    @Test
    void parameterMetavariableBindsTheName() {
        assertThat(lines(scan(rule("csharp", """
                patterns:
                  - pattern-inside: |
                      public $T $F(..., $ARG, ...)
                      {
                        ...
                      }
                  - pattern: Process.Start($ARG)
                """), "t.cs", """
                class C {
                    public void Run(string command) {
                        Process.Start(command);
                        Process.Start("ls");
                    }
                }
                """))).containsExactly(3);
        assertThat(lines(scan(rule("scala", """
                patterns:
                  - pattern-inside: |
                      def $F(..., $P: $T, ...) = {
                        ...
                      }
                  - pattern: exec($P)
                """), "t.scala", """
                object O {
                  def run(n: Int, cmd: String) = {
                    exec(cmd)
                    exec("ls")
                  }
                }
                """))).containsExactly(3);
    }

    /** Semgrep's m_block: a block of one statement matches the statement written without braces. */
    @Test
    void blockOfOneStatementMatchesAnUnbracedBody() {
        assertThat(lines(scan(pattern("csharp", """
                if ($ENV.IsDevelopment(...)) {
                  ...
                }
                """), "t.cs", """
                class C {
                    void F(Env env) {
                        if (env.IsDevelopment())
                            app.UseDeveloperExceptionPage();
                        if (env.IsProduction())
                            app.UseExceptionHandler();
                    }
                }
                """))).containsExactly(3);
        assertThat(lines(scan(pattern("java", "if ($C) { ... }"), "T.java", """
                class T {
                    void f(boolean c) {
                        if (c) run();
                    }
                }
                """))).containsExactly(3);
    }

    /** Semgrep's If: a pattern without an else leaves it open, so it matches an if that has one. */
    @Test
    void csharpIfPatternWithoutElseMatchesAnIfWithElse() {
        assertThat(lines(scan(pattern("csharp", "if (!$ENV.IsDevelopment()) { ... }"), "t.cs", """
                class C {
                    void F(Env env) {
                        if (!env.IsDevelopment()) {
                            a();
                        } else {
                            b();
                        }
                    }
                }
                """))).containsExactly(3);
    }

    /** $"..." is any interpolated string, not any string. */
    @Test
    void csharpInterpolatedStringPattern() {
        assertThat(lines(scan(pattern("csharp", "$LOG.Information($\"...\")"), "t.cs", """
                class C {
                    void F(ILogger log, int n) {
                        log.Information($"Processed {n} items");
                        log.Information("Processed {N} items", n);
                    }
                }
                """))).containsExactly(3);
    }

    /** Taint flows through a C# declaration's initializer and member accesses into a sink. */
    @Test
    void csharpTaintThroughDeclarations() {
        assertThat(lines(scan(rule("csharp", """
                mode: taint
                pattern-sources:
                  - patterns:
                      - pattern-inside: public $T $M(..., string $ARG, ...) { ... }
                      - focus-metavariable: $ARG
                pattern-sinks:
                  - pattern: XmlReader.Create(...)
                """), "t.cs", """
                class C {
                    public void Parse(string input) {
                        var reader = new StringReader(input);
                        XmlReader r = XmlReader.Create(reader);
                        XmlReader s = XmlReader.Create(new StringReader("<a/>"));
                    }
                }
                """))).containsExactly(4);
    }

    /** Scala to generic: "import a.b" also matches "import a.b._" and "import a.b.C" (a prefix of the path), not "import a.bc._". */
    @Test
    void scalaImportPatternMatchesAWildcardImport() {
        assertThat(lines(scan(pattern("scala", "import sys.process"), "t.scala", """
                import sys.process._
                import sys.process
                import sys.processes._
                import sys.process.Foo
                """))).containsExactly(1, 2, 4);
    }

    /** Scala to generic: "x op" (postfix) and "x.op" are the same member access, so "$X.!" matches both. */
    @Test
    void scalaMemberPatternMatchesPostfixOperator() {
        assertThat(lines(scan(pattern("scala", "$X.!"), "t.scala", """
                object O {
                  val a = cmd.!
                  val b = cmd !
                  val c = cmd !!
                  val d = cmd.run
                }
                """))).containsExactly(2, 3);
    }

    /**
     * Semgrep names each local variable apart: "factory" declared in one method is not "factory"
     * declared in another, so a pattern-not-inside that binds it in one method excludes nothing in the other.
     */
    @Test
    void localVariablesOfTheSameNameInTwoMethodsAreDifferent() {
        assertThat(lines(scan(rule("scala", """
                patterns:
                  - pattern-not-inside: |
                      ...
                      $F.setProperty("external", false)
                  - pattern: $F = Factory.newInstance()
                """), "t.scala", """
                class C {
                  def bad() = {
                    val factory = Factory.newInstance()
                    factory.parse()
                  }
                  def good() = {
                    val factory = Factory.newInstance()
                    factory.setProperty("external", false)
                  }
                }
                """))).containsExactly(3);
    }

    /** A fully qualified name in a pattern matches the short name a Scala import brought in (plain, selected or renamed). */
    @Test
    void scalaImportedNamesResolveToTheirPath() {
        assertThat(lines(scan(pattern("scala", "com.auth0.jwt.algorithms.Algorithm.HMAC256(\"...\")"), "t.scala", """
                import com.auth0.jwt.algorithms.Algorithm
                object O {
                  val a = Algorithm.HMAC256("secret")
                  val b = Other.HMAC256("secret")
                }
                """))).containsExactly(3);
        assertThat(lines(scan(pattern("scala", "a.b.Hash.make(...)"), "t.scala", """
                import a.b.{Hash, Cipher => C}
                import a.b.Cipher.{make => mk}
                object O {
                  val x = Hash.make(1)
                  val y = C.make(2)
                }
                """))).containsExactly(4);
        assertThat(lines(scan(pattern("scala", "a.b.Cipher.make(...)"), "t.scala", """
                import a.b.{Hash, Cipher => C}
                object O {
                  val y = C.make(2)
                  val z = Cipher.make(3)
                }
                """))).containsExactly(3);
    }

    /** Semgrep's module names match by prefix: "import slick.$DEPS" matches any import under slick, binding the next segment. */
    @Test
    void scalaImportPatternNamesAPrefix() {
        assertThat(lines(scan(rule("scala", """
                patterns:
                  - pattern: import slick.$DEPS
                  - metavariable-regex:
                      metavariable: $DEPS
                      regex: ^jdbc$
                """), "t.scala", """
                import slick.jdbc.H2Profile.api._
                import slick.lifted.{Tag, Rep}
                import other.jdbc.H2Profile
                import slick.jdbc
                """))).containsExactly(1, 4);
    }

    /** "..." as the text of an interpolated string matches any string of that interpolator, whatever it interpolates. */
    @Test
    void scalaInterpolatedStringEllipsis() {
        assertThat(lines(scan(pattern("scala", "sql\"...\""), "t.scala", """
                object O {
                  val a = sql"select * from #$table".as[Int]
                  val b = sql"select 1"
                  val c = s"select * from $table"
                }
                """))).containsExactly(2, 3);
        assertThat(lines(scan(pattern("scala", "sql\"select 1\""), "t.scala", """
                object O {
                  val a = sql"select 2"
                  val b = sql"select 1"
                }
                """))).containsExactly(3);
    }

    /** Constant propagation through Scala's val: "..." matches a name a val gave a string literal, not a var written twice. */
    @Test
    void scalaValHoldsAConstant() {
        assertThat(lines(scan(pattern("scala", "open(\"...\" + $V)"), "t.scala", """
                object O {
                  def f(v: String) = {
                    val dir = "public/lists"
                    var other = "a"
                    other = v
                    open(dir + v)
                    open(other + v)
                  }
                }
                """))).containsExactly(6);
    }
    /**
     * Scala 2's block whose function literal names one typed parameter without parentheses
     * ({@code { implicit r: T => ... }}) is a lambda, as Semgrep's Scala parser reads it: the
     * parameter binds and the body holds the block's statements; a self type stays a self type.
     */
    @Test
    void scalaBlockLambdaWithATypedParameter() {
        String source = """
                class C extends Base { self: Base =>
                  def a() = Action { implicit request: Request[AnyContent] =>
                    val body = request.body
                    Ok(body)
                  }
                  def b() = Action.async { request: Request[Json] =>
                    Ok(request.body)
                  }
                  def c() = Action { Ok(1) }
                }
                """;
        assertThat(lines(scan(rule("scala", """
                patterns:
                  - pattern: $REQ
                  - pattern-inside: |
                      $A {
                        $REQ: Request[$T] =>
                          ...
                      }
                """), "t.scala", source))).containsExactly(2, 3, 6, 7);
        assertThat(lines(scan(pattern("scala", "Ok($X.body)"), "t.scala", source))).containsExactly(7);
    }

    /** A def pattern without a result type matches a def with one (Semgrep's m_option_none_can_match_some). */
    @Test
    void scalaDefPatternWithoutResultTypeMatchesOneWithIt() {
        String source = """
                object O {
                  def f(url: String): Future[Unit] = {
                    get(url)
                  }
                  def g(url: String) = {
                    get(url)
                  }
                }
                """;
        assertThat(lines(scan(pattern("scala", """
                def $F(..., $U: $T, ...) = {
                  ...
                }
                """), "t.scala", source))).containsExactly(2, 5);
        assertThat(lines(scan(pattern("scala", """
                def $F(..., $U: $T, ...): Future[$R] = {
                  ...
                }
                """), "t.scala", source))).containsExactly(2);
    }
}
