package dev.freshet.engine.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ComparisonTest {

    /** 2024-06-15T12:00:00Z. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-15T12:00:00Z"), ZoneOffset.UTC);

    /** Whether {@code expression} holds with {@code bindings} given as name, source text, name, text... */
    private static boolean holds(String expression, String... bindings) {
        return Comparison.parse(expression).test(lookup(bindings), CLOCK);
    }

    private static Object value(String expression, String... bindings) {
        return Comparison.parse(expression).evaluate(lookup(bindings), CLOCK);
    }

    private static java.util.function.Function<String, Optional<String>> lookup(String... bindings) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < bindings.length; i += 2) {
            map.put(bindings[i], bindings[i + 1]);
        }
        return name -> Optional.ofNullable(map.get(name));
    }

    private static String parseError(String expression) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> Comparison.parse(expression));
        assertThat(thrown).as("parse error for %s", expression).isInstanceOf(IllegalArgumentException.class);
        return thrown.getMessage();
    }

    @Nested
    class Literals {
        @ParameterizedTest
        @ValueSource(strings = {
            "42 == 42", "0x2A == 42", "0X2a == 42", "0o52 == 42", "0b101010 == 42", "1_000_000 == 1000000",
            "0x_2A == 42", "0 == 00", "1.5 == 3 / 2", ".5 == 0.5", "5. == 5", "1e3 == 1000", "1E-3 == 0.001",
            "1_0.5 == 10.5", "'abc' == \"abc\"", "True", "not False", "True == True", "[1, 2, 'a'] == [1, 2, \"a\"]",
            "(1, 2) == [1, 2]", "(1,) == [1]", "() == []", "[] == []", "[1, 2,] == [1, 2]", "(((42))) == 42",
        })
        void evaluateAsInPython(String expression) {
            assertThat(holds(expression)).as(expression).isTrue();
        }

        @Test
        void integersAreArbitraryPrecision() {
            assertThat(value("123456789012345678901234567890 + 1"))
                    .isEqualTo(new BigInteger("123456789012345678901234567891"));
            assertThat(holds("$X > 9223372036854775807", "$X", "9223372036854775808")).isTrue();
            assertThat(holds("$X + 1 == 18446744073709551616", "$X", "18446744073709551615")).isTrue();
            assertThat(holds("-9223372036854775808 - 1 < -9223372036854775808")).isTrue();
        }

        @Test
        void stringEscapesFollowPython() {
            assertThat(value("'a\\tb'")).isEqualTo("a\tb");
            assertThat(value("\"\\x41\\u0042\\N{LATIN SMALL LETTER C}\\101\"")).isEqualTo("ABcA");
            assertThat(value("'it\\'s'")).isEqualTo("it's");
            assertThat(value("'\\d+'")).as("unknown escapes are kept").isEqualTo("\\d+");
            assertThat(value("r'\\n\\''")).as("raw string").isEqualTo("\\n\\'");
            assertThat(value("b'x' U\"y\"")).as("prefixes, adjacent literals concatenate").isEqualTo("xy");
            assertThat(value("'''a'b'''")).isEqualTo("a'b");
        }
    }

    @Nested
    class Operators {
        @ParameterizedTest
        @ValueSource(strings = {
            "1 == 1", "1 != 2", "1 < 2", "2 <= 2", "3 > 2", "3 >= 3", "not 1 > 2",
            "True or False", "False or True", "True and True", "not (True and False)",
            "2 in [1, 2, 3]", "4 not in [1, 2, 3]", "'b' in 'abc'", "'x' not in 'abc'", "'' in 'abc'",
            "2.0 in [1, 2]", "[2] in [[1], [2]]",
            "1 + 2 == 3", "5 - 7 == -2", "6 * 7 == 42", "7 / 2 == 3.5", "6 / 3 == 2", "7 // 2 == 3",
            "-7 // 2 == -4", "7 % 3 == 1", "-7 % 2 == 1", "7 % -2 == -1", "7.5 // 2 == 3.0", "-7.5 % 2 == 0.5",
            "-(3) == -3", "+3 == 3", "--3 == 3", "- -3 == 3",
            "'ab' + 'cd' == 'abcd'", "[1] + [2] == [1, 2]", "1 == 1.0", "1 != '1'", "[1, [2]] == [1, [2.0]]",
            "'abc' < 'abd'", "'B' < 'a'", "'a' < 'ab'", "0.1 + 0.2 != 0.3",
            "9007199254740993 > 9007199254740992.0", "float('inf') > 99999999999999999999999999",
        })
        void evaluateAsInPython(String expression) {
            assertThat(holds(expression)).as(expression).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "1 == 2", "1 != 1", "2 < 1", "3 <= 2", "1 > 2", "2 >= 3", "False or False", "True and False",
            "4 in [1, 2]", "2 not in [1, 2]", "'x' in 'abc'", "True == 1", "[1, 2] == [2, 1]", "[1] == [1, 1]",
            "float('nan') == float('nan')", "float('nan') < 1", "float('nan') >= 1", "-0.0 != 0.0",
        })
        void areFalse(String expression) {
            assertThat(holds(expression)).as(expression).isFalse();
        }

        @Test
        void nanIsUnequalToItself() {
            assertThat(holds("float('nan') != float('nan')")).isTrue();
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "1 + 2 * 3 == 7",
            "(1 + 2) * 3 == 9",
            "10 - 4 - 3 == 3",
            "2 * 3 % 4 == 2",
            "100 / 10 / 5 == 2",
            "-2 * 3 == -6",
            "- 2 + 3 == 1",
            "True or False and False",
            "not True or True",
            "not (True or True) == False",
            "not 1 == 2",
            "1 + 1 in [2]",
            "1 < 2 and 2 < 3 or 1 > 2",
            "False and False or True",
        })
        void followPythonPrecedence(String expression) {
            assertThat(holds(expression)).as(expression).isTrue();
        }

        @Test
        void precedenceGivesTheTreeShape() {
            assertThat(value("1 + 2 * 3")).isEqualTo(BigInteger.valueOf(7));
            assertThat(value("2 * 3 + 1")).isEqualTo(BigInteger.valueOf(7));
            assertThat(value("-2 + 5")).isEqualTo(BigInteger.valueOf(3));
            assertThat(value("not True and False")).isEqualTo(false);
            assertThat(value("not (True and False)")).isEqualTo(true);
        }

        @Test
        void comparisonsChainAsInPython() {
            assertThat(holds("1 < $X < 10", "$X", "5")).isTrue();
            assertThat(holds("1 < $X < 10", "$X", "10")).isFalse();
            assertThat(holds("1 < $X < 10", "$X", "0")).isFalse();
            assertThat(holds("1 < 2 > 1")).as("not (1 < 2) > 1").isTrue();
            assertThat(holds("1 < 2 == 2")).isTrue();
            assertThat(holds("1 < 2 == True")).as("2 == True is false").isFalse();
            assertThat(holds("$X == $Y == 3", "$X", "3", "$Y", "0x3")).isTrue();
            assertThat(holds("1 <= 1 < 2 <= 2 != 3 in [3]")).isTrue();
            assertThat(holds("2 < 1 < 'a'")).as("stops at the first false link: no type error").isFalse();
            assertThat(value("2 < 1 < 'a'")).isEqualTo(false);
        }

        @Test
        void andOrShortCircuit() {
            assertThat(value("True or 1 > 'a'")).isEqualTo(true);
            assertThat(value("False and 1 > 'a'")).isEqualTo(false);
            assertThatThrownBy(() -> value("True and 1 > 'a'")).isInstanceOf(Comparison.EvaluationException.class);
        }

        @Test
        void semgrepDocumentationExample() {
            Comparison port = Comparison.parse("$ARG < 1024 and $ARG % 2 == 0");
            assertThat(port.test(lookup("$ARG", "80"))).isTrue();
            assertThat(port.test(lookup("$ARG", "443"))).isFalse();
            assertThat(port.test(lookup("$ARG", "8080"))).isFalse();
        }

        @Test
        void tuplesWorkWithIn() {
            assertThat(holds("$PORT in (80, 443)", "$PORT", "443")).isTrue();
            assertThat(holds("$PORT not in (80, 443)", "$PORT", "8443")).isTrue();
        }
    }

    @Nested
    class Functions {
        @ParameterizedTest
        @ValueSource(strings = {
            "int('42') == 42", "int(' 0x1F ') == 31", "int('1_000') == 1000", "int(3.9) == 3", "int(-3.9) == -3",
            "int(True) == 1", "int(7) == 7", "int('-12') == -12",
            "float('1.5') == 1.5", "float(2) == 2.0", "float('  -inf ') < -1e308", "float(' 10 ') == 10", "float(False) == 0",
            "str(16) == '16'", "str(0x10) == '16'", "str(1.0) == '1.0'", "str(1e16) == '1e+16'", "str(0.1) == '0.1'",
            "str(True) == 'True'", "str('x') == 'x'", "str(-5) == '-5'",
            "re.match('fo+', 'foooo bar')", "not re.match('foo', 'xfoo')", "re.match(r'\\d+$', '123')",
            "not re.match(r'\\d+$', '123a')", "re.match('(?i)ABC', 'abc')", "re.match('', 'anything')",
        })
        void evaluateAsInPython(String expression) {
            assertThat(holds(expression)).as(expression).isTrue();
        }

        @Test
        void strGivesTheSourceTextOfCode() {
            assertThat(holds("str($X) == 'foo.bar'", "$X", "foo.bar")).isTrue();
            assertThat(holds("str($X) == str($Y)", "$X", "x", "$Y", "x")).isTrue();
            assertThat(holds("str($X) == str($Y)", "$X", "x", "$Y", "y")).isFalse();
        }

        @Test
        void reMatchIsAnchoredAtTheStartOnly() {
            assertThat(holds("re.match('abc', $X)", "$X", "'abcdef'")).isTrue();
            assertThat(holds("re.match('bcd', $X)", "$X", "'abcdef'")).isFalse();
            assertThat(holds("re.match('.*bcd', $X)", "$X", "'abcdef'")).isTrue();
            assertThat(holds("re.match($P, 'abc')", "$P", "'a.c'")).as("pattern from a metavariable").isTrue();
            assertThat(holds("re.match($P, 'abc')", "$P", "'('")).as("bad pattern at run time").isFalse();
            assertThat(holds("re.match('1', $X)", "$X", "123")).as("an int is not a str").isFalse();
            assertThat(holds("re.match('1', str($X))", "$X", "123")).isTrue();
        }

        @Test
        void todayIsEpochSecondsFromTheClock() {
            assertThat(value("today()")).isEqualTo(1_718_452_800.0);
            Comparison recent = Comparison.parse("today() - 60 < $T");
            assertThat(recent.test(lookup("$T", String.valueOf(Instant.now().getEpochSecond())))).isTrue();
        }

        @Test
        void strptimeIsEpochSecondsOfMidnightUtc() {
            assertThat(value("strptime('2024-06-15')")).isEqualTo(1_718_409_600.0);
            assertThat(value("strptime('1970-01-01')")).isEqualTo(0.0);
            assertThat(value("strptime('2024-6-5')")).isEqualTo(value("strptime('2024-06-05')"));
            assertThat(value("strptime('2024-06-15T01:00:00Z')")).isEqualTo(1_718_413_200.0);
            assertThat(holds("strptime($D) < today()", "$D", "\"2024-06-14\"")).isTrue();
            assertThat(holds("strptime($D) < today()", "$D", "\"2024-06-16\"")).isFalse();
            assertThat(holds("today() - strptime($D) > 14 * 24 * 3600", "$D", "'2024-05-31'")).isTrue();
            assertThat(holds("strptime('2024-02-30') > 0")).as("no such day").isFalse();
            assertThat(holds("strptime('yesterday') > 0")).isFalse();
            assertThat(holds("strptime(20240101) > 0")).isFalse();
        }

        @Test
        void conversionFailuresMakeTheComparisonFalse() {
            assertThat(holds("int('abc') == 0")).isFalse();
            assertThat(holds("int('1.5') == 1")).isFalse();
            assertThat(holds("int(float('nan')) == 0")).isFalse();
            assertThat(holds("float('x') == 0")).isFalse();
            assertThat(holds("str([1]) == '[1]'")).isFalse();
            assertThat(holds("float($X) > 0", "$X", "1" + "0".repeat(400))).as("too large for a float").isFalse();
        }

        @Test
        void floatsPrintAsPythonDoes() {
            Map<Double, String> expected = Map.of(
                    1.0, "1.0", 0.1, "0.1", 1e16, "1e+16", 1e15, "1000000000000000.0", 1e-5, "1e-05",
                    0.0001, "0.0001", 1.5e300, "1.5e+300", -0.0, "-0.0", 123.456, "123.456", -2.5e-7, "-2.5e-07");
            expected.forEach((d, text) -> assertThat(ComparisonValues.pythonFloat(d)).as("%s", d).isEqualTo(text));
            assertThat(ComparisonValues.pythonFloat(Double.NaN)).isEqualTo("nan");
            assertThat(ComparisonValues.pythonFloat(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
        }
    }

    @Nested
    class MetavariableConversion {
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "10|10", "0x1F|31", "0X1f|31", "0o17|15", "0b101|5", "1_000|1000", "10L|10", "10l|10", "10UL|10",
            "10ull|10", "123n|123", "0755|493", "-5|-5", "+7|7", "0|0", "' 42 '|42", "0xFFL|255",
            "99999999999999999999|99999999999999999999",
        })
        void integerLiterals(String text, String expected) {
            assertThat(Comparison.metavariableValue(text, false, 10)).isEqualTo(new BigInteger(expected));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {"1.5|1.5", "1e3|1000.0", "2.5f|2.5", "3D|3.0", ".5|0.5", "-1.25|-1.25", "1_0.5|10.5"})
        void floatLiterals(String text, double expected) {
            assertThat(Comparison.metavariableValue(text, false, 10)).isEqualTo(expected);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "'abc'|abc", "\"abc\"|abc", "`abc`|abc", "r'\\d'|\\d", "b'x'|x", "u8\"x\"|x", "L\"wide\"|wide",
            "@\"verbatim\"|verbatim", "'''a'b'''|a'b", "\"\"\"q\"\"\"|q", "'it\\'s'|it\\'s", "''|~~", "'123'|123",
        })
        void stringLiteralsGiveTheirContent(String text, String expected) {
            assertThat(Comparison.metavariableValue(text, false, 10)).isEqualTo(expected);
        }

        @ParameterizedTest
        @ValueSource(strings = {"foo.bar", "x", "f(1, 2)", "\"a\" + \"b\"", "f'{x}'", "`a${b}`", "'abc", "0x", "1__", "0b2", "12abc", "0789"})
        void anythingElseIsItsText(String text) {
            assertThat(Comparison.metavariableValue(text, false, 10)).isEqualTo(text);
        }

        @Test
        void booleanLiterals() {
            assertThat(Comparison.metavariableValue("true", false, 10)).isEqualTo(true);
            assertThat(Comparison.metavariableValue("False", false, 10)).isEqualTo(false);
            assertThat(holds("$B", "$B", "True")).isTrue();
            assertThat(holds("not $B", "$B", "false")).isTrue();
        }

        @Test
        void quotedNumbersStayStringsWithoutStrip() {
            assertThat(holds("$X == '123'", "$X", "'123'")).isTrue();
            assertThat(holds("$X > 100", "$X", "'123'")).as("str > int is a type error").isFalse();
            assertThat(holds("int($X) > 100", "$X", "'123'")).as("int() converts it").isTrue();
        }

        @Test
        void stripReadsQuotedNumbers() {
            Comparison overflow = Comparison.parse("$ARG > 2147483647", new Comparison.Options("$ARG", true, 10));
            assertThat(overflow.test(lookup("$ARG", "\"2147483648\""))).isTrue();
            assertThat(overflow.test(lookup("$ARG", "\"2147483646\""))).isFalse();
            assertThat(overflow.test(lookup("$ARG", "`2147483648`"))).isTrue();
            assertThat(overflow.test(lookup("$ARG", "2147483648"))).as("unquoted still works").isTrue();
            assertThat(Comparison.metavariableValue("'1.5'", true, 10)).isEqualTo(1.5);
            assertThat(Comparison.metavariableValue("\"abc\"", true, 10)).isEqualTo("abc");
            assertThat(Comparison.metavariableValue("foo", true, 10)).isEqualTo("foo");
        }

        @Test
        void baseReadsIntegersInThatBase() {
            Comparison permissions = Comparison.parse("$ARG > 0o600", new Comparison.Options("$ARG", false, 8));
            assertThat(permissions.test(lookup("$ARG", "0700"))).isTrue();
            assertThat(permissions.test(lookup("$ARG", "0o700"))).isTrue();
            assertThat(permissions.test(lookup("$ARG", "0400"))).isFalse();
            assertThat(permissions.test(lookup("$ARG", "700"))).as("700 octal is 448").isTrue();
            assertThat(Comparison.metavariableValue("ff", false, 16)).isEqualTo(BigInteger.valueOf(255));
            assertThat(Comparison.metavariableValue("0xff", false, 16)).isEqualTo(BigInteger.valueOf(255));
            assertThat(Comparison.metavariableValue("-101", false, 2)).isEqualTo(BigInteger.valueOf(-5));
            assertThat(Comparison.metavariableValue("9", false, 8)).as("not octal: read as usual").isEqualTo(BigInteger.valueOf(9));
            assertThat(Comparison.metavariableValue("'777'", true, 8)).as("strip and base").isEqualTo(BigInteger.valueOf(511));
        }

        @Test
        void optionsApplyToTheNamedMetavariableOnly() {
            Comparison both = Comparison.parse("$A == $B", new Comparison.Options("$A", false, 16));
            assertThat(both.test(lookup("$A", "10", "$B", "16"))).isTrue();
            assertThat(both.test(lookup("$A", "10", "$B", "10"))).isFalse();
            Comparison all = Comparison.parse("$A == $B", new Comparison.Options(null, false, 16));
            assertThat(all.test(lookup("$A", "10", "$B", "10"))).isTrue();
        }

        @Test
        void normalizeRewritesTextForTheLegacyKeys() {
            assertThat(Comparison.normalize("'0700'", true, 8)).isEqualTo("448");
            assertThat(Comparison.normalize("0700", false, 8)).isEqualTo("448");
            assertThat(Comparison.normalize("\"2147483648\"", true, 10)).isEqualTo("2147483648");
            assertThat(Comparison.normalize("'1.5'", true, 10)).isEqualTo("1.5");
            assertThat(Comparison.normalize("foo.bar", true, 10)).isEqualTo("foo.bar");
            assertThat(Comparison.normalize("'abc'", true, 10)).isEqualTo("'abc'");
            assertThat(Comparison.parse("$X == 448").test(lookup("$X", Comparison.normalize("'0700'", true, 8)))).isTrue();
        }

        @Test
        void badBaseIsRejected() {
            assertThatThrownBy(() -> new Comparison.Options("$X", false, 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("base");
            assertThatThrownBy(() -> Comparison.metavariableValue("1", false, 37)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void hugeDigitStringsAreNotNumbers() {
            String digits = "9".repeat(100_000);
            assertThat(Comparison.metavariableValue(digits, false, 10)).isEqualTo(digits);
            assertThat(holds("$X > 1", "$X", digits)).isFalse();
            assertThat(Comparison.metavariableValue("9".repeat(4300), false, 10)).isInstanceOf(BigInteger.class);
        }
    }

    @Nested
    class Metavariables {
        @Test
        void areListedInOrderOfAppearance() {
            Comparison comparison = Comparison.parse("$X < $Y and $X > 0 or str($...ARGS) == '' and $_2 == 1");
            assertThat(comparison.metavariables()).containsExactly("$X", "$Y", "$...ARGS", "$_2");
            assertThat(Comparison.parse("1 < 2").metavariables()).isEmpty();
            assertThatThrownBy(() -> comparison.metavariables().add("$Z")).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void unboundMetavariableMakesItFalse() {
            assertThat(holds("$X > 1")).isFalse();
            assertThat(holds("$X > 1 or True")).as("every metavariable must be bound").isFalse();
            assertThatThrownBy(() -> value("$X > 1")).isInstanceOf(Comparison.EvaluationException.class)
                    .hasMessageContaining("$X");
        }

        @Test
        void onlyTheExpressionsMetavariablesAreLookedUp() {
            List<String> asked = new ArrayList<>();
            boolean result = Comparison.parse("$A + $A == $B").test(name -> {
                asked.add(name);
                return Optional.of("2");
            });
            assertThat(result).isFalse();
            assertThat(asked).containsExactly("$A", "$B");
        }

        @Test
        void nullFromTheCallbackCountsAsUnbound() {
            assertThat(Comparison.parse("$X == 1").test(name -> null)).isFalse();
        }
    }

    @Nested
    class EvaluationErrors {
        @ParameterizedTest
        @ValueSource(strings = {
            "'a' > 1", "1 + 'a' == 1", "1 / 0 == 0", "1 // 0 == 0", "1 % 0 == 0", "1.0 / 0 == 0", "1.5 % 0.0 == 0",
            "not 1", "1 and True", "True and 1", "1 or True", "1 in 2", "1 in 'abc'", "-'a' == 1", "[1] < [2]",
            "True < False", "[1] + 1 == 1", "'a' * 3 == 'aaa'",
        })
        void makeTheComparisonFalse(String expression) {
            Comparison comparison = Comparison.parse(expression);
            assertThat(comparison.test(lookup())).as(expression).isFalse();
            assertThatThrownBy(() -> comparison.evaluate(lookup(), CLOCK)).isInstanceOf(Comparison.EvaluationException.class);
        }

        @Test
        void typeErrorsFromMetavariables() {
            assertThat(holds("$X > 1", "$X", "'abc'")).isFalse();
            assertThat(holds("$X + 1 > 0", "$X", "foo.bar")).isFalse();
            assertThat(holds("$X % 2 == 0", "$X", "getPort()")).isFalse();
        }

        @Test
        void nonBooleanResultIsFalse() {
            assertThat(holds("1")).isFalse();
            assertThat(holds("'True'")).isFalse();
            assertThat(value("1 + 1")).isEqualTo(BigInteger.TWO);
        }

        @Test
        void messagesNameTheProblem() {
            assertThatThrownBy(() -> value("'a' > 1")).hasMessage("'>' not supported between instances of 'str' and 'int'");
            assertThatThrownBy(() -> value("1 + 'a'")).hasMessage("unsupported operand types for +: 'int' and 'str'");
            assertThatThrownBy(() -> value("1 // 0")).hasMessage("division by zero");
        }
    }

    @Nested
    class SyntaxErrors {
        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "$X <|column 5: expected an operand but found end of input",
            "~~|column 1: expected an operand but found end of input",
            "(1 + 2|column 7: expected ',' or ')' to match '(' at column 1 but found end of input",
            "[1, 2|column 6: expected ',' or ']'",
            "$x > 1|column 1: invalid metavariable '$x'",
            "$ > 1|column 1: invalid metavariable '$'",
            "$1X > 1|invalid metavariable '$1X'",
            "$X = 1|column 4: '=' is assignment; use '==' to compare",
            "!$X|unexpected '!'",
            "foo(1)|column 1: unknown function 'foo'",
            "foo > 1|unknown name 'foo'; metavariables start with '$'",
            "true|did you mean 'True'?",
            "$X == 0700|column 7: leading zeros in decimal integer literals are not permitted",
            "2 ** 3|column 3: operator '**' is not supported",
            "1 & 2|operator '&' is not supported",
            "'abc|column 1: unterminated string literal",
            "int(1, 2)|int() takes 1 argument but 2 were given",
            "today(1)|today() takes 0 arguments but 1 were given",
            "re.search('a', 'b')|only re.match(pattern, string) is supported",
            "re.match('a')|re.match() takes 2 arguments",
            "re.match('(', $X)|column 10: invalid regular expression",
            "$X 1|column 4: expected an operator or end of input but found '1'",
            "1.2.3|invalid number literal '1.2.3'",
            "1 + * 2|column 5: expected an operand but found '*'",
            "$X is None|'is' is not supported",
            "f'{x}'|f-strings are not supported",
            "int|expected '(' after int but found end of input",
            "$X not 1|expected an operator or end of input but found 'not'",
            "1 < and 2|expected an operand but found 'and'",
            "'\\x4'|truncated \\x escape",
            "é|unexpected character 'é'",
        })
        void reportColumnAndWhatWasExpected(String expression, String message) {
            assertThat(parseError(expression)).startsWith("Invalid metavariable-comparison").contains(message);
        }

        @Test
        void messageQuotesTheExpression() {
            assertThat(parseError("$X <")).endsWith("(in: $X <)");
        }
    }

    @Nested
    class HostileInput {
        @Test
        void tenThousandParenthesesAreRejectedCleanly() {
            String expression = "(".repeat(10_000) + "1" + ")".repeat(10_000);
            assertThat(parseError(expression)).contains("limit is 10000");
            assertThat(parseError("(".repeat(10_000))).contains("nested too deeply");
        }

        @ParameterizedTest
        @ValueSource(strings = {"(", "[", "not ", "-", "int(", "re.match('a', "})
        void deepNestingIsRejectedCleanly(String opener) {
            int count = (Comparison.MAX_LENGTH - 10) / opener.length();
            String expression = opener.repeat(count) + "1";
            assertThat(parseError(expression)).contains("nested too deeply (more than 100 levels)");
        }

        @Test
        void nestingUpToTheLimitIsAccepted() {
            assertThat(holds("(".repeat(99) + "1 == 1" + ")".repeat(99))).isTrue();
            assertThat(holds("not ".repeat(98) + "True")).isTrue();
        }

        @Test
        void longFlatChainsAreNotDeep() {
            String sum = "1" + " + 1".repeat(2400) + " == 2401";
            assertThat(holds(sum)).isTrue();
            String ands = "True" + " and True".repeat(1000);
            assertThat(holds(ands)).isTrue();
            String chain = "0" + " < 1".repeat(2000);
            assertThat(holds(chain)).isFalse();
            assertThat(holds("[" + "1, ".repeat(1500) + "2] == [" + "1, ".repeat(1500) + "2]")).isTrue();
        }

        @Test
        void nullExpressionIsRejected() {
            assertThatThrownBy(() -> Comparison.parse(null)).isInstanceOf(NullPointerException.class);
        }

        @Test
        void hugeIntegerResultsAreRefused() {
            String big = "9".repeat(4000);
            String power = "$X" + " * $X".repeat(50);
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                assertThat(holds(power + " > 0", "$X", big)).isFalse();
            });
            assertThatThrownBy(() -> value(power, "$X", big)).hasMessageContaining("larger than");
        }

        @Test
        void pathologicalStringsTakeLinearTime() {
            String haystack = "a".repeat(1_000_000);
            String needle = "a".repeat(200_000) + "b";
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                assertThat(holds("$N in $H", "$N", needle, "$H", haystack)).isFalse();
                assertThat(holds("$N in $H", "$N", needle.substring(1, 1000), "$H", haystack)).isTrue();
                assertThat(holds("re.match('(a+)+$', $H)", "$H", haystack.substring(0, 100_000) + "b")).isFalse();
            });
        }

        @Test
        void regexesThatExpandHugelyAreRefused() {
            assertThat(parseError("re.match('((a{1000}){1000}){1000}', $X)"))
                    .contains("column 10: invalid regular expression: regular expression too large");
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                assertThat(holds("re.match(str($P), 'a')", "$P", "'((a{1000}){1000}){1000}'")).isFalse();
                assertThat(holds("re.match($P, 'a')", "$P", "'(((a{100}){100}){100})'")).isFalse();
            });
            assertThat(holds("re.match('a{1000}', $X)", "$X", "'" + "a".repeat(1000) + "'")).isTrue();
            assertThat(holds("re.match('[a-z]{2,5}\\d{3}[{]x{,2}', 'ab123{x{,2}')")).isTrue();
        }

        @Test
        void stringGrowthIsBounded() {
            assertThat(holds("str($X) + str($X) != ''", "$X", "x".repeat(1000))).isTrue();
            assertThat(holds("str($X) + str($X) != ''", "$X", "x".repeat(600_000))).isFalse();
        }
    }

    // ---------------------------------------------------------------- properties

    private static final List<String> OPERATORS = List.of("<", "<=", ">", ">=", "==", "!=");

    @Property
    void comparisonsAgreeWithJava(@ForAll long a, @ForAll long b) {
        boolean[] expected = {a < b, a <= b, a > b, a >= b, a == b, a != b};
        for (int i = 0; i < OPERATORS.size(); i++) {
            String expression = "$A " + OPERATORS.get(i) + " $B";
            assertThat(holds(expression, "$A", Long.toString(a), "$B", Long.toString(b))).as(expression).isEqualTo(expected[i]);
        }
    }

    @Property
    void arithmeticNeverOverflows(@ForAll long a, @ForAll long b) {
        BigInteger x = BigInteger.valueOf(a);
        BigInteger y = BigInteger.valueOf(b);
        assertThat(value("$A + $B", "$A", Long.toString(a), "$B", Long.toString(b))).isEqualTo(x.add(y));
        assertThat(value("$A - $B", "$A", Long.toString(a), "$B", Long.toString(b))).isEqualTo(x.subtract(y));
        assertThat(value("$A * $B", "$A", Long.toString(a), "$B", Long.toString(b))).isEqualTo(x.multiply(y));
    }

    @Property
    void floorDivisionAndModuloAgreeWithMathFloorDivAndFloorMod(@ForAll long a, @ForAll long b) {
        Assume.that(b != 0 && !(a == Long.MIN_VALUE && b == -1));
        String[] bindings = {"$A", Long.toString(a), "$B", Long.toString(b)};
        assertThat(value("$A // $B", bindings)).isEqualTo(BigInteger.valueOf(Math.floorDiv(a, b)));
        assertThat(value("$A % $B", bindings)).isEqualTo(BigInteger.valueOf(Math.floorMod(a, b)));
        assertThat(holds("$A == ($A // $B) * $B + $A % $B", bindings)).isTrue();
    }

    @Property
    void everyIntegerSpellingHasTheSameValue(@ForAll long a) {
        BigInteger magnitude = BigInteger.valueOf(a).abs();
        String sign = a < 0 ? "-" : "";
        String decimal = Long.toString(a);
        for (String spelling : List.of(sign + "0x" + magnitude.toString(16), sign + "0o" + magnitude.toString(8),
                sign + "0b" + magnitude.toString(2), decimal + "L", "'" + decimal + "'")) {
            Comparison comparison = Comparison.parse("$S == $D", new Comparison.Options("$S", true, 10));
            assertThat(comparison.test(lookup("$S", spelling, "$D", decimal))).as(spelling).isTrue();
        }
        assertThat(holds("int(str($D)) == $D and str($D) == $T", "$D", decimal, "$T", "'" + decimal + "'")).isTrue();
    }

    @Property
    void floatsCompareLikeJavaDoubles(@ForAll double a, @ForAll double b) {
        Assume.that(Double.isFinite(a) && Double.isFinite(b));
        String[] bindings = {"$A", Double.toString(a), "$B", Double.toString(b)};
        assertThat(holds("$A < $B", bindings)).isEqualTo(a < b);
        assertThat(holds("$A == $B", bindings)).isEqualTo(a == b);
        assertThat(holds("float(str($A)) == $A", bindings)).as("str() round-trips").isTrue();
    }

    @Provide
    Arbitrary<String> expressionLike() {
        return Arbitraries.strings().withChars("$XY()[]+-*/%<>=!,.'\"0123456789 abinotdrmTFuelsx_\\").ofMaxLength(40);
    }

    @Provide
    Arbitrary<String> sourceLike() {
        return Arbitraries.oneOf(Arbitraries.strings().withChars("0123456789xXoObBlLuUn_.eE+-'\"`rf ").ofMaxLength(12),
                Arbitraries.strings().ofMaxLength(20));
    }

    @Property(tries = 2000)
    void parsingFailsOnlyWithIllegalArgumentException(@ForAll("expressionLike") String expression,
                                                       @ForAll("sourceLike") String x, @ForAll("sourceLike") String y) {
        Comparison comparison;
        try {
            comparison = Comparison.parse(expression);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).startsWith("Invalid metavariable-comparison at column ");
            return;
        }
        comparison.test(lookup("$X", x, "$Y", y)); // must not throw
        assertThat(comparison.toString()).isEqualTo(expression);
    }

    @Property(tries = 2000)
    void testNeverThrowsForAnyMetavariableText(@ForAll("sourceLike") String x, @ForAll("sourceLike") String y) {
        for (String expression : List.of("$X < $Y", "$X + $Y == 3", "$X // $Y > 0", "int($X) in [$Y]",
                "re.match(str($X), str($Y))", "strptime($X) < today()", "float($X) >= $Y % 2", "$X in $Y")) {
            Comparison.parse(expression).test(lookup("$X", x, "$Y", y)); // must not throw
        }
        assertThat(holds("str($X) == str($X)", "$X", x)).as("every metavariable value has a str()").isTrue();
    }
}
